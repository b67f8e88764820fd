import EzCore
import Testing

@Suite("RequestDecoder: valid requests")
struct RequestDecoderValidTests {
    @Test func customerRegisterIsDecoded() throws {
        let request = try #require(accepted(Lines.register))
        #expect(request.requestId == "req-001")
        let expected = Customer(customerNo: "C0001234", name: "김철수", birthDate: BusinessDate("1990-02-28")!,
                                gender: .male, phone: "010-1234-5678", email: "kim@example.com", occupationClass: 2)
        #expect(request.body == .customerRegister(expected))
    }

    @Test func planQuoteIsDecodedWithAllFields() throws {
        let request = try #require(accepted(Lines.quote))
        let expected = QuoteInput(customerNo: "C0001234", productCode: "P00000001", sumInsured: 100_000_000,
                                  termYears: 20, payYears: 10, paymentFrequency: .annual,
                                  riders: [RiderSelection(code: "R01", sumInsured: 10_000_000),
                                           RiderSelection(code: "R02", sumInsured: 5_000_000)],
                                  issueDocument: true)
        #expect(request.body == .planQuote(expected))
    }

    @Test func planQuoteDefaults() throws {
        let request = try #require(accepted(Lines.quoteMinimal))
        guard case .planQuote(let quote) = request.body else { Issue.record("wrong body"); return }
        #expect(quote.paymentFrequency == .monthly)
        #expect(quote.riders.isEmpty)
        #expect(quote.issueDocument == false)
    }

    @Test func documentRequestByNumberOrRequestId() throws {
        let byNumber = try #require(accepted(Lines.document))
        #expect(byNumber.body == .documentRequest(plan: .number("PL-2025-000001")))
        let byRequest = try #require(accepted(#"{"request_id":"d2","type":"document.request","plan_request_id":"req-002"}"#))
        #expect(byRequest.body == .documentRequest(plan: .requestId("req-002")))
    }

    @Test func proposalSubmitWithCard() throws {
        let request = try #require(accepted(Lines.submit))
        #expect(request.body == .proposalSubmit(plan: .requestId("req-002"),
            payment: PaymentInfo(instrument: .card(token: "tok_abc123"), holderName: "김철수")))
    }

    @Test func enrollmentApplyImpliesDocumentAndTakesCustomerNoFromCustomer() throws {
        let request = try #require(accepted(Lines.enrollment))
        guard case .enrollmentApply(let customer, let quote, let payment) = request.body else {
            Issue.record("wrong body"); return
        }
        #expect(customer.customerNo == "C0001234")
        #expect(quote.customerNo == "C0001234")
        #expect(quote.issueDocument)
        #expect(payment.instrument == .account(bankCode: "004", accountNo: "123456789012"))
    }

    @Test func enrollmentApplyAcceptsMatchingTopLevelCustomerNo() {
        #expect(accepted(with(Lines.enrollment, ["customer_no": .string("C0001234"), "issue_document": .bool(true)])) != nil)
    }

    @Test func proposalWithdraw() throws {
        let request = try #require(accepted(Lines.withdraw))
        #expect(request.body == .proposalWithdraw(proposal: .number("PR-2025-000001"),
                                                  requestedOn: BusinessDate("2025-03-10")!, reason: "changed my mind"))
        let byRequest = try #require(accepted(#"{"request_id":"w2","type":"proposal.withdraw","proposal_request_id":"req-005","requested_on":"2025-03-10"}"#))
        #expect(byRequest.body == .proposalWithdraw(proposal: .requestId("req-005"),
                                                    requestedOn: BusinessDate("2025-03-10")!, reason: nil))
    }

    @Test func csvStyleStringsAreAccepted() throws {
        let line = #"""
        {"request_id":"csv-1","type":"plan.quote","customer_no":"C1","product_code":"P00000001",
         "sum_insured":"100000000","term_years":" 20 ","pay_years":"10","payment_frequency":"",
         "riders":"R01:10000000;R02:5000000","issue_document":"Y"}
        """#
        let request = try #require(accepted(line))
        guard case .planQuote(let quote) = request.body else { Issue.record("wrong body"); return }
        #expect(quote.sumInsured == 100_000_000)
        #expect(quote.termYears == 20)
        #expect(quote.paymentFrequency == .monthly)
        #expect(quote.riders == [RiderSelection(code: "R01", sumInsured: 10_000_000),
                                 RiderSelection(code: "R02", sumInsured: 5_000_000)])
        #expect(quote.issueDocument)
    }

    @Test(arguments: [("true", true), ("false", false), ("Y", true), ("n", false), ("TRUE", true)])
    func booleanStrings(text: String, value: Bool) throws {
        let request = try #require(accepted(with(Lines.quoteMinimal, ["issue_document": .string(text)])))
        guard case .planQuote(let quote) = request.body else { return }
        #expect(quote.issueDocument == value)
    }

    @Test func wholeDoubleMoneyIsAccepted() throws {
        let request = try #require(accepted(with(Lines.quoteMinimal, ["sum_insured": .double(5e7)])))
        guard case .planQuote(let quote) = request.body else { return }
        #expect(quote.sumInsured == 50_000_000)
    }

    @Test(arguments: [("01012345678", "010-1234-5678"), ("010 1234 5678", "010-1234-5678"),
                      ("0111234567", "011-123-4567"), ("+82 10-1234-5678", "010-1234-5678"),
                      ("010-1234-5678", "010-1234-5678")])
    func phoneIsNormalised(input: String, normal: String) throws {
        let line = #"{"request_id":"p","type":"customer.register","customer":{"customer_no":"C1","name":"A","birth_date":"1990-01-01","gender":"F","phone":"\#(input)"}}"#
        let request = try #require(accepted(line))
        guard case .customerRegister(let customer) = request.body else { return }
        #expect(customer.phone == normal)
        #expect(customer.email == nil && customer.occupationClass == nil)
    }
}
