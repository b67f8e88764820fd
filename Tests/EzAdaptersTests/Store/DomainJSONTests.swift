@testable import EzAdapters
@testable import EzCore
import Foundation
import Testing

/// Each `JSONWritable` record must write what its `Encodable` conformance writes through
/// Foundation's `JSONEncoder`, compact and pretty: once with every field set (a field the
/// writer forgets, or writes out of order, shows) and once with every optional left out.
@Suite("JSONWritable records write Foundation's bytes")
struct DomainJSONTests {
    static let awkward = "a/b \"q\" \\ 한글\n\t\u{1}😀"

    static func expectWritten<T: Encodable & JSONWritable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for pretty in [false, true] {
            var writer = JSONWriter(pretty: pretty)
            value.writeJSON(to: &writer)
            let direct = String(decoding: writer.bytes, as: UTF8.self)
            let expected = try FastJSONEncoderTests.foundation(value, pretty: pretty)
            #expect(direct == expected, "\(T.self), pretty: \(pretty)", sourceLocation: sourceLocation)
            #expect(try FastJSONEncoder.encode(value, pretty: pretty) == expected, sourceLocation: sourceLocation)
        }
    }

    /// Fails when a stored property of `value` is nil or an empty collection: the full samples
    /// must set every field, so that a field added to a record and not to its writer shows.
    static func expectFull(_ value: Any, _ path: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
        for child in Mirror(reflecting: value).children {
            let name = path + "." + (child.label ?? "?")
            let mirror = Mirror(reflecting: child.value)
            if mirror.displayStyle == .optional {
                #expect(!mirror.children.isEmpty, "\(name) is nil in the full sample", sourceLocation: sourceLocation)
            }
            if mirror.displayStyle == .collection || mirror.displayStyle == .dictionary {
                #expect(!mirror.children.isEmpty, "\(name) is empty in the full sample", sourceLocation: sourceLocation)
            }
        }
    }

    static let d = StoreFx.d

    static var fullCustomer: Customer {
        Customer(customerNo: "C00000001", name: awkward, birthDate: d("1985-01-10"), gender: .female,
                 phone: "010-****-5678", email: "a/b@example.com", occupationClass: 3)
    }

    static var fullPlan: Plan {
        var plan = StoreFx.plan("PL00000001", status: .declined)
        plan.productName = awkward
        plan.riders = [RiderSelection(code: "R1", sumInsured: 5_000_000), RiderSelection(code: "R2", sumInsured: 0)]
        plan.declineReasons = [PlanDeclineReason(code: "AGE", field: "birth_date", message: awkward)]
        plan.documentNo = "DOC00000001"
        plan.paymentFrequency = .annual
        return plan
    }

    static var fullProposal: Proposal {
        var p = StoreFx.proposal("PR00000001", plan: "PL00000001", status: .active)
        p.attempts = 2
        p.nextAttemptOn = d("2025-03-03")
        p.lastDecline = awkward
        p.policyNo = "PO00000001"
        p.establishedOn = d("2025-03-04")
        return p
    }

    static var fullWithdrawal: Withdrawal {
        var w = Withdrawal(withdrawalNo: "WD00000001", requestId: "REQ-W", proposalNo: "PR00000001",
                           customerNo: "C00000001", requestedOn: d("2025-03-05"), reason: awkward)
        w.policyNo = "PO00000001"
        w.status = .rejected
        w.refundAmount = 2_460
        w.refundDueOn = d("2025-03-08")
        w.decidedOn = d("2025-03-06")
        w.rejectionReasons = ["late", awkward]
        return w
    }

    static var fullOutcome: RequestOutcome {
        RequestOutcome(requestId: "REQ-1", type: "enrollment.apply", status: .failed, file: "in/a.jsonl", line: 7,
                       errors: [FieldError(field: "customer.name", reason: awkward)], customerNo: "C00000001",
                       planNo: "PL00000001", proposalNo: "PR00000001", withdrawalNo: "WD00000001")
    }

    static var fullView: CustomerView {
        var view = CustomerView(customerNo: "C00000001")
        view.name = awkward
        view.birthDate = d("1985-01-10")
        view.gender = .male
        view.phone = "010-****-5678"
        view.email = "h***@example.com"
        view.occupationClass = 1
        view.plans = [fullPlan, StoreFx.plan("PL00000002")]
        view.proposals = [fullProposal]
        view.withdrawals = [fullWithdrawal]
        view.lastEventSeq = 12_345
        view.updatedOn = d("2025-03-06")
        return view
    }

    static var fullAlarm: AlarmMessage {
        AlarmMessage(messageId: "M-1", templateCode: "PAYMENT_SETTLED", customerNo: "C00000001", phone: "01012345678",
                     correlation: Correlation(requestId: "REQ-1", customerNo: "C00000001", planNo: "PL00000001",
                                              proposalNo: "PR00000001", policyNo: "PO00000001"),
                     variables: ["고객명": awkward, "b": "2", "a_b": "3", "ab": "4", "A": "5", "a10": "6"],
                     text: awkward, eventSeq: 42, eventType: "payment.settled", occurredOn: d("2025-03-02"))
    }

    static var fullActuarial: ActuarialValues {
        ActuarialValues(benefit: .wholeLife, mortality: awkward, mortalityTable: "kr-illustrative", radixAge: 15,
                        mortalityScale: 0.85,
                        interest: 0.025, age: 40, coverageYears: 60, payYears: 20,
                        commutation: ["Dₓ": 12_345.678, "Nₓ": 1e21, "Mₓ": 0.1, "Dₓ₊ₘ": 3e-7, "x": 5],
                        annuityPay: 15.2, annuityCover: 22.75, termInsurance: 0.31, pureEndowment: 0,
                        insurance: 1.0 / 3.0, pureEndowmentPay: 0.61, woolhouseAnnuity: 14.9,
                        netAnnualPremium: 123_456.789, grossAnnualPremium: 130_000.5, premiumPerPayment: 10_833.375,
                        loadings: ExpenseLoadings(alpha: 0.05, beta: 0.07, gamma: 0.003, gammaAfterPayment: 0.001))
    }

    static var fullComponent: PremiumComponent {
        PremiumComponent(coverage: "main", name: "주계약", sumInsured: 100_000_000, rate: 1.0 / 3.0, per: 1_000,
                         modalFactor: 1, rawAmount: 0.30000000000000004, method: "actuarial", actuarial: fullActuarial,
                         rateKey: awkward)
    }

    static var fullBreakdown: PremiumBreakdown {
        PremiumBreakdown(versionId: "P00000077-v1", premium: 10_830, frequency: .monthly, annualPremium: 129_960,
                         components: [fullComponent,
                                      PremiumComponent(coverage: "R1", name: awkward, sumInsured: 5_000_000, rate: 0.123,
                                                       per: 10_000, modalFactor: 0.0875, rawAmount: 2_152.5,
                                                       method: "rate_table", rateKey: "F, age 40, term 20/10")],
                         rawTotal: 2_152.8000000000002, rounding: Rounding(unit: 10, mode: .roundHalfUp),
                         quote: PricedQuote(gender: .female, age: 40, termYears: 20, payYears: 10),
                         writtenSteps: ["main: 20,000,000 / 10,000 × 0.123 = 246", awkward])
    }

    static var fullQuote: QuoteInput {
        QuoteInput(customerNo: "C00000001", productCode: "P00000001", sumInsured: 50_000_000, termYears: 20, payYears: 10,
                   paymentFrequency: .annual, riders: [RiderSelection(code: "R1", sumInsured: 5_000_000)], issueDocument: true)
    }

    static var card: PaymentInfo { PaymentInfo(instrument: .card(token: "tok_" + awkward), holderName: awkward) }
    static var account: PaymentInfo { PaymentInfo(instrument: .account(bankCode: "004", accountNo: "123-45"), holderName: "김") }

    /// One request of every type, every instrument and reference kind, with and without the
    /// optional withdrawal reason.
    static var requests: [Request] {
        [Request(requestId: "R1", body: .customerRegister(fullCustomer)),
         Request(requestId: "R2", body: .planQuote(fullQuote)),
         Request(requestId: "R3", body: .documentRequest(plan: .number("PL00000001"))),
         Request(requestId: "R4", body: .proposalSubmit(plan: .requestId(awkward), payment: card)),
         Request(requestId: awkward, body: .enrollmentApply(customer: fullCustomer, quote: fullQuote, payment: account)),
         Request(requestId: "R6", body: .proposalWithdraw(proposal: .number("PR1"), requestedOn: d("2025-03-02"), reason: awkward)),
         Request(requestId: "R7", body: .proposalWithdraw(proposal: .requestId("R4"), requestedOn: d("2025-03-02"), reason: nil))]
    }

    @Test("full samples set every field")
    func samplesAreFull() {
        for value in [Self.fullCustomer, Self.fullPlan, Self.fullProposal, Self.fullWithdrawal, Self.fullOutcome,
                      Self.fullView, Self.fullAlarm, Self.fullAlarm.correlation, Self.fullBreakdown,
                      Self.fullComponent, Self.fullActuarial, Self.fullActuarial.loadings, Self.fullQuote] as [Any] {
            Self.expectFull(value, "\(type(of: value))")
        }
    }

    @Test("every field set")
    func full() throws {
        try Self.expectWritten(Self.fullCustomer)
        try Self.expectWritten(Self.fullPlan)
        try Self.expectWritten(Self.fullProposal)
        try Self.expectWritten(Self.fullWithdrawal)
        try Self.expectWritten(Self.fullOutcome)
        try Self.expectWritten(RequestView(current: Self.fullOutcome))
        try Self.expectWritten(Self.fullView)
        try Self.expectWritten(Self.fullAlarm)
        try Self.expectWritten(Self.fullBreakdown)
        for request in Self.requests { try Self.expectWritten(request) }
    }

    @Test("a non-finite double is refused as Encodable refuses it")
    func nonFinite() {
        var breakdown = Self.fullBreakdown
        breakdown.components[0].actuarial?.commutation["Dₓ"] = .nan
        #expect(throws: EncodingError.self) { try FastJSONEncoder.encode(breakdown) }
        #expect(throws: EncodingError.self) { try FastJSONEncoderTests.foundation(breakdown, pretty: false) }
        breakdown = Self.fullBreakdown
        breakdown.rawTotal = .infinity
        #expect(throws: EncodingError.self) { try FastJSONEncoder.encode(breakdown, pretty: true) }
    }

    @Test("every optional left out, every list empty")
    func sparse() throws {
        try Self.expectWritten(Customer(customerNo: "C1", name: "", birthDate: Self.d("2000-02-29"), gender: .male, phone: ""))
        var plan = Self.fullPlan
        plan.premium = nil
        plan.documentNo = nil
        plan.riders = []
        plan.declineReasons = []
        try Self.expectWritten(plan)
        try Self.expectWritten(StoreFx.proposal("PR1", plan: "PL1"))
        try Self.expectWritten(Withdrawal(withdrawalNo: "WD1", requestId: "R", proposalNo: "PR1", customerNo: "C1",
                                          requestedOn: Self.d("2025-01-01"), reason: nil))
        try Self.expectWritten(RequestOutcome(requestId: "R", type: nil, status: .accepted, file: nil, line: nil))
        try Self.expectWritten(CustomerView(customerNo: "C1"))
        var breakdown = Self.fullBreakdown
        breakdown.components[0].method = nil
        breakdown.components[0].actuarial?.woolhouseAnnuity = nil
        breakdown.components[0].actuarial?.commutation = [:]
        breakdown.components[0].actuarial?.radixAge = nil
        breakdown.components[0].rateKey = nil
        breakdown.components[1].rateKey = nil
        breakdown.quote = nil
        breakdown.writtenSteps = nil
        try Self.expectWritten(breakdown)
        breakdown.components = []
        try Self.expectWritten(breakdown)
        var alarm = Self.fullAlarm
        alarm.correlation = Correlation()
        alarm.variables = [:]
        try Self.expectWritten(alarm)
    }

    /// `json` read directly must give what Foundation's `JSONDecoder` gives: the same value, or
    /// an error of the same kind.
    static func expectRead<T: Decodable & Equatable>(_ type: T.Type, _ json: String,
                                                      sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = Result { try JSONDecoder().decode(T.self, from: Data(json.utf8)) }
        let actual = Result { try FastJSONDecoder.decode(T.self, from: json) }
        switch (expected, actual) {
        case let (.success(e), .success(a)):
            #expect(a == e, "\(T.self) from \(json)", sourceLocation: sourceLocation)
        case let (.failure(e), .failure(a)):
            #expect(kind(e) == kind(a), "\(T.self) from \(json): Foundation \(e), direct \(a)", sourceLocation: sourceLocation)
        default:
            Issue.record("\(T.self) from \(json): Foundation \(expected), direct \(actual)", sourceLocation: sourceLocation)
        }
    }

    static func kind(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _)?: "keyNotFound \(key.stringValue)"
        case .typeMismatch?: "typeMismatch"
        case .valueNotFound?: "valueNotFound"
        case .dataCorrupted?: "dataCorrupted"
        default: "other \(error)"
        }
    }

    static func expectRoundTrip<T: Codable & Equatable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for pretty in [false, true] {
            let json = try FastJSONEncoderTests.foundation(value, pretty: pretty)
            expectRead(T.self, json, sourceLocation: sourceLocation)
            #expect(try FastJSONDecoder.decode(T.self, from: json) == value, sourceLocation: sourceLocation)
        }
    }

    @Test("records read back, every field set and every optional left out")
    func readBack() throws {
        try Self.expectRoundTrip(Self.fullCustomer)
        try Self.expectRoundTrip(Self.fullPlan)
        try Self.expectRoundTrip(Self.fullProposal)
        try Self.expectRoundTrip(Self.fullWithdrawal)
        try Self.expectRoundTrip(Self.fullOutcome)
        try Self.expectRoundTrip(RequestView(current: Self.fullOutcome))
        try Self.expectRoundTrip(Self.fullView)
        try Self.expectRoundTrip(CustomerView(customerNo: "C1"))
        try Self.expectRoundTrip(StoreFx.proposal("PR1", plan: "PL1"))
        try Self.expectRoundTrip(RequestOutcome(requestId: "R", type: nil, status: .accepted, file: nil, line: nil))
        for payload in [EventPayload.request(Self.fullOutcome), .customer(Self.fullCustomer), .plan(Self.fullPlan),
                        .proposal(Self.fullProposal), .withdrawal(Self.fullWithdrawal)] {
            try Self.expectRoundTrip(payload)
        }
        for request in Self.requests { try Self.expectRoundTrip(request) }
    }

    @Test("damaged records fail as Decodable fails: missing key, wrong type, null, bad enum or date, extra keys")
    func readDamaged() throws {
        let plan = try FastJSONEncoderTests.foundation(Self.fullPlan, pretty: false)
        func replacing(_ old: String, _ new: String) -> String {
            precondition(plan.contains(old), old)
            return plan.replacingOccurrences(of: old, with: new)
        }
        Self.expectRead(Plan.self, replacing("\"plan_no\":\"PL00000001\",", ""))
        Self.expectRead(Plan.self, replacing("\"document_no\":\"DOC00000001\",", ""))
        Self.expectRead(Plan.self, replacing("\"document_no\":\"DOC00000001\"", "\"document_no\":null"))
        Self.expectRead(Plan.self, replacing("\"plan_no\":\"PL00000001\"", "\"plan_no\":null"))
        Self.expectRead(Plan.self, replacing("\"insurance_age\":40", "\"insurance_age\":\"40\""))
        Self.expectRead(Plan.self, replacing("\"insurance_age\":40", "\"insurance_age\":40.5"))
        Self.expectRead(Plan.self, replacing("\"insurance_age\":40", "\"insurance_age\":4e1"))
        Self.expectRead(Plan.self, replacing("\"status\":\"DECLINED\"", "\"status\":\"declined\""))
        Self.expectRead(Plan.self, replacing("\"quote_date\":\"2025-03-01\"", "\"quote_date\":\"2025-02-30\""))
        Self.expectRead(Plan.self, replacing("\"riders\":[", "\"riders\":{\"x\":["))
        Self.expectRead(Plan.self, replacing("\"riders\":[", "\"unknown\":[1,{}],\"riders\":["))
        Self.expectRead(Plan.self, replacing("\"riders\":[{\"code\":\"R1\"", "\"riders\":[{\"cod\\u0065\":\"R1\""))
        Self.expectRead(Plan.self, "[]")
        Self.expectRead(Plan.self, "null")
        Self.expectRead(EventPayload.self, "{}")
        Self.expectRead(EventPayload.self, "{\"plan\":null,\"withdrawal\":1}")
        Self.expectRead(CustomerView.self, "{\"customer_no\":\"C1\",\"plans\":[],\"proposals\":[],\"withdrawals\":[]}")
        // Enums with associated values: exactly one case key (others ignored), its values by label.
        let submit = #"{"body":{"proposalSubmit":{"payment":{"holderName":"H","instrument":{"card":{"token":"t"}}},"plan":{"number":{"_0":"PL1"}}}},"requestId":"R"}"#
        Self.expectRead(Request.self, submit)
        for (old, new) in [(#"{"card":{"token":"t"}}"#, #"{"card":{"token":"t"},"account":{"bankCode":"1","accountNo":"2"}}"#),
                           (#"{"card":{"token":"t"}}"#, #"{"debit":{"token":"t"}}"#),
                           (#"{"card":{"token":"t"}}"#, #"{"card":{"token":"t"},"x":1}"#),
                           (#"{"card":{"token":"t"}}"#, #"{"card":null}"#),
                           (#"{"card":{"token":"t"}}"#, #"{"card":{"_0":"t"}}"#),
                           (#"{"card":{"token":"t"}}"#, #"{"card":"t"}"#),
                           (#"{"number":{"_0":"PL1"}}"#, #"{"number":{"_0":1}}"#),
                           (#"{"number":{"_0":"PL1"}}"#, #"{}"#),
                           (#""holderName":"H","#, ""),
                           (#""requestId":"R""#, #""requestId":"R","planQuote":{}"#),
                           (#"{"body":{"proposalSubmit""#, #"{"body":{"proposalsubmit""#)] {
            precondition(submit.contains(old), old)
            Self.expectRead(Request.self, submit.replacingOccurrences(of: old, with: new))
        }
        let withdraw = #"{"body":{"proposalWithdraw":{"proposal":{"requestId":{"_0":"R4"}},"reason":null,"requestedOn":"2025-03-02"}},"requestId":"R"}"#
        Self.expectRead(Request.self, withdraw)
        Self.expectRead(Request.self, withdraw.replacingOccurrences(of: "2025-03-02", with: "2025-02-30"))
        let quote = try FastJSONEncoderTests.foundation(Request(requestId: "Q", body: .planQuote(Self.fullQuote)), pretty: false)
        Self.expectRead(Request.self, quote.replacingOccurrences(of: #""issue_document":true"#, with: #""issue_document":1"#))
        Self.expectRead(Request.self, quote.replacingOccurrences(of: #""issue_document":true,"#, with: ""))
    }

    @Test("the status views' reading of a payload gives what Foundation's decoder gives, damaged ones included")
    func viewedPayloads() throws {
        for payload in [EventPayload.request(Self.fullOutcome), .customer(Self.fullCustomer), .plan(Self.fullPlan),
                        .proposal(Self.fullProposal), .withdrawal(Self.fullWithdrawal)] {
            for pretty in [false, true] {
                let json = try FastJSONEncoderTests.foundation(payload, pretty: pretty)
                Self.expectRead(ViewedPayload.self, json)
            }
        }
        let plan = try FastJSONEncoderTests.foundation(EventPayload.plan(Self.fullPlan), pretty: false)
        let read = try FastJSONDecoder.decode(ViewedPayload.self, from: plan)
        #expect(read == ViewedPayload(head: .item(ViewItem(customerNo: "C00000001", kind: .plan, number: "PL00000001"), status: "DECLINED")))
        for (old, new) in [("\"plan_no\":\"PL00000001\",", ""), ("\"status\":\"DECLINED\"", "\"status\":\"ACTIVE\""),
                           ("\"customer_no\":\"C00000001\"", "\"customer_no\":1"), ("{\"plan\":", "{\"plans\":")] {
            precondition(plan.contains(old), old)
            Self.expectRead(ViewedPayload.self, plan.replacingOccurrences(of: old, with: new))
        }
        Self.expectRead(ViewedPayload.self, "{}")
        Self.expectRead(ViewedPayload.self, "{\"plan\":null,\"withdrawal\":1}")
        Self.expectRead(ViewedPayload.self, "{\"proposal\":{\"customer_no\":\"C1\",\"proposal_no\":\"PR1\",\"status\":\"PAID\"}}")
    }

    /// An event row as the log stores it.
    static func raw(_ type: EventType, _ payload: String) -> RawEvent {
        RawEvent(seq: 7, type: type, occurredOn: d("2025-03-01"), requestId: nil, customerNo: "C00000001", payload: Array(payload.utf8))
    }

    @Test("the views keep a record's JSON as the payload holds it, or as it is written again when the payload is laid out otherwise")
    func recordsForViews() throws {
        let payloads: [(EventType, EventPayload, String)] = [
            (.planQuoted, .plan(Self.fullPlan), "plan"), (.policyEstablished, .proposal(Self.fullProposal), "proposal"),
            (.withdrawalRequested, .withdrawal(Self.fullWithdrawal), "withdrawal"), (.requestRejected, .request(Self.fullOutcome), "request")]
        for (type, payload, key) in payloads {
            let record: [UInt8]
            switch payload {
            case .plan(let v): record = try JSONCodec.encodeBytes(v)
            case .proposal(let v): record = try JSONCodec.encodeBytes(v)
            case .withdrawal(let v): record = try JSONCodec.encodeBytes(v)
            case .request(let v): record = try JSONCodec.encodeBytes(v)
            case .customer: continue
            }
            let compact = try FastJSONEncoderTests.foundation(payload, pretty: false)
            #expect(RawEvent.onlyValue(of: Array(compact.utf8), key: key).map(Array.init) == record, "\(key): the payload's bytes")
            let pretty = try FastJSONEncoderTests.foundation(payload, pretty: true)
            #expect(RawEvent.onlyValue(of: Array(pretty.utf8), key: key) == nil)
            // Laid out otherwise (pretty, a second key, a space): the record written again, the same bytes.
            let second = String(compact.dropLast()) + ",\"x\":{}}"
            let spaced = String(compact.dropLast()) + " }"
            for text in [compact, pretty, second, spaced] {
                let input = try Self.raw(type, text).forViews()
                switch input.payload {
                case .item(_, _, let doc), .request(_, let doc): #expect(doc.bytes == record, "\(key) from \(text)")
                case .customer: Issue.record("\(key) read as a customer")
                }
            }
            #expect(try FastJSONDecoder.decode(ViewedPayload.self, from: compact).onlyKey)
            #expect(try !FastJSONDecoder.decode(ViewedPayload.self, from: second).onlyKey)
        }
        // A payload that does not match its event type is refused.
        let plan = try FastJSONEncoderTests.foundation(EventPayload.plan(Self.fullPlan), pretty: false)
        #expect(throws: StoreError.self) { try Self.raw(.requestAccepted, plan).forViews() }
        let outcome = try FastJSONEncoderTests.foundation(EventPayload.request(Self.fullOutcome), pretty: false)
        #expect(throws: StoreError.self) { try Self.raw(.planQuoted, outcome).forViews() }
    }

    @Test("a writer that starts with room for one byte grows as it writes, and writes Foundation's bytes")
    func writerGrows() throws {
        let values: [String: Int64] = [
            "min": .min, "max": .max, "zero": 0, "minus one": -1, "ten": 10, Self.awkward: 42,
            String(repeating: "보험료", count: 200): 7, String(repeating: "k", count: 700): 1_234_567_890,
        ]
        for pretty in [false, true] {
            var writer = JSONWriter(pretty: pretty, capacity: 1)
            values.writeJSON(to: &writer)
            let expected = try FastJSONEncoderTests.foundation(values, pretty: pretty)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == expected, "pretty: \(pretty)")
        }
    }

    @Test("alarm messages written as lines into one buffer: each message's bytes and a newline, none for no messages")
    func alarmLines() throws {
        var second = Self.fullAlarm
        second.messageId = "M-2"
        second.text = String(repeating: "보험료 ", count: 300)
        second.variables = [:]
        let messages = [Self.fullAlarm, second, Self.fullAlarm]
        let expected = try messages.map { try FastJSONEncoderTests.foundation($0, pretty: false) + "\n" }.joined()
        #expect(String(decoding: try JSONCodec.encodeLines(messages), as: UTF8.self) == expected)
        #expect(String(decoding: try FastJSONEncoder.writeLines(messages), as: UTF8.self) == expected)
        #expect(try JSONCodec.encodeLines([]).isEmpty)
    }

    @Test("a key written out of order is caught in debug builds", .enabled(if: _isDebugAssertConfiguration()))
    func keyOrderChecked() async {
        await #expect(processExitsWith: .failure) {
            var writer = JSONWriter(pretty: false)
            writer.object { w in
                w.field("b", 1)
                w.field("a", 2)
            }
        }
    }
}
