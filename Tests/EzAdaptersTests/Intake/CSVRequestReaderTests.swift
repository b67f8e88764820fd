@testable import EzAdapters
import EzCore
import Foundation
import Testing

@Suite("CSVRequestReader")
struct CSVRequestReaderTests {
    private func requests(_ records: [InboxRecord]) -> [Int: Result<Request, RequestRejection>] {
        var out: [Int: Result<Request, RequestRejection>] = [:]
        for record in records {
            if let object = record.object { out[record.line] = RequestDecoder.decode(object) }
        }
        return out
    }

    @Test func utf8FileRowsBecomeEnrollments() throws {
        let reader = CSVRequestReader(url: IntakeFixtures.url("enrollments-utf8.csv"))
        #expect(try reader.detectEncoding() == .utf8)
        let records = try IntakeFixtures.records(reader)
        #expect(records.map(\.line) == [2, 3, 4, 5, 7])
        #expect(records[3].error == FieldError(field: "line", reason: "expected 19 cells as in the header, found 11"))

        let decoded = requests(records)
        guard case .success(let first) = decoded[2],
              case .enrollmentApply(let customer, let quote, let payment) = first.body else {
            Issue.record("line 2: \(String(describing: decoded[2]))"); return
        }
        #expect(first.requestId == "c-001")
        #expect(customer.name == "김철수")
        #expect(customer.phone == "010-1111-2222")
        #expect(customer.occupationClass == 1)
        #expect(quote.riders == [RiderSelection(code: "R01", sumInsured: 10_000_000),
                                 RiderSelection(code: "R02", sumInsured: 5_000_000)])
        #expect(quote.issueDocument)
        #expect(payment == PaymentInfo(instrument: .card(token: "tok_kim"), holderName: "김철수"))

        guard case .success(let second) = decoded[3], case .enrollmentApply(let c2, let q2, let p2) = second.body else {
            Issue.record("line 3: \(String(describing: decoded[3]))"); return
        }
        #expect(c2.name == "이영희, 주니어")
        #expect(c2.email == nil)
        #expect(q2.paymentFrequency == .annual)
        #expect(p2.instrument == .account(bankCode: "004", accountNo: "12345678901"))

        guard case .failure(let rejection) = decoded[4] else { Issue.record("line 4 accepted"); return }
        #expect(rejection.requestId == "c-003")
        #expect(rejection.errors == [FieldError(field: "customer.birth_date", reason: "not a date (YYYY-MM-DD): \"1990-02-30\"")])

        guard case .success = decoded[7] else { Issue.record("line 7: \(String(describing: decoded[7]))"); return }
    }

    @Test func cp949FileReadsLikeTheUTF8One() throws {
        let cp949 = CSVRequestReader(url: IntakeFixtures.url("enrollments-cp949.csv"))
        #expect(try cp949.detectEncoding() == .cp949)
        let utf8Records = try IntakeFixtures.records(CSVRequestReader(url: IntakeFixtures.url("enrollments-utf8.csv")))
        let cp949Records = try IntakeFixtures.records(cp949)
        #expect(cp949Records == utf8Records)
        #expect(cp949Records[0].object?["customer"]?["name"] == .string("김철수"))
    }

    @Test func bomIsSkipped() throws {
        let withBOM = try IntakeFixtures.records(CSVRequestReader(url: IntakeFixtures.url("enrollments-utf8-bom.csv")))
        let without = try IntakeFixtures.records(CSVRequestReader(url: IntakeFixtures.url("enrollments-utf8.csv")))
        #expect(withBOM == without)
    }

    @Test func csvAndJSONOfTheSameRequestHaveTheSameCanonicalText() throws {
        let records = try IntakeFixtures.records(CSVRequestReader(url: IntakeFixtures.url("enrollments-utf8.csv")))
        guard case .success(let fromCSV) = RequestDecoder.decode(records[0].object!) else {
            Issue.record("rejected"); return
        }
        let line = #"""
        {"request_id":"c-001","type":"enrollment.apply",
         "customer":{"customer_no":"C0000001","name":"김철수","birth_date":"1985-07-14","gender":"M",
                     "phone":"010-1111-2222","email":"kim@example.com","occupation_class":1},
         "product_code":"P00000001","sum_insured":100000000,"term_years":20,"pay_years":10,
         "riders":[{"code":"R01","sum_insured":10000000},{"code":"R02","sum_insured":5000000}],
         "payment":{"method":"card","card_token":"tok_kim","holder_name":"김철수"}}
        """#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(line.utf8))
        guard case .success(let fromJSON) = RequestDecoder.decode(value) else { Issue.record("rejected"); return }
        #expect(RequestCanonical.canonicalJSON(fromCSV) == RequestCanonical.canonicalJSON(fromJSON))
        #expect(ContentHash.sha256Hex(RequestCanonical.canonicalJSON(fromCSV))
            == ContentHash.sha256Hex(RequestCanonical.canonicalJSON(fromJSON)))
        // The intake hashes the bytes: the same digest as the text's.
        #expect(ContentHash.sha256Hex(bytes: RequestCanonical.canonicalBytes(fromCSV))
            == ContentHash.sha256Hex(RequestCanonical.canonicalJSON(fromJSON)))
    }

    @Test func unknownColumnMakesTheFileUnreadable() throws {
        do {
            _ = try CSVRequestReader(url: IntakeFixtures.url("unknown-column.csv")).records()
            Issue.record("no error")
        } catch let error as InboxFileError {
            #expect(error.reason.hasPrefix(#"unknown CSV column(s): "custmer.name" (did you mean "customer.name"?), "colour"; allowed: request_id, type, "#))
        }
    }

    @Test func neitherUTF8NorCP949IsUnreadable() throws {
        do {
            _ = try CSVRequestReader(url: IntakeFixtures.url("not-text.csv")).records()
            Issue.record("no error")
        } catch let error as InboxFileError {
            #expect(error.reason.hasPrefix("neither UTF-8 nor CP949: line 2 is not valid UTF-8"))
        }
    }

    @Test func riderColumnsQuotedCellsTypeColumnAndUnclosedQuotes() throws {
        let records = try IntakeFixtures.records(CSVRequestReader(url: IntakeFixtures.url("quotes-rider-columns.csv")))
        #expect(records.map(\.line) == [2, 3, 4, 5])
        let decoded = requests(records)
        guard case .success(let q1) = decoded[2], case .planQuote(let quote) = q1.body else {
            Issue.record("line 2: \(String(describing: decoded[2]))"); return
        }
        #expect(quote.riders.map(\.code) == ["R01", "R02"])
        #expect(quote.issueDocument)
        guard case .success(let q2) = decoded[3], case .planQuote(let quote2) = q2.body else {
            Issue.record("line 3: \(String(describing: decoded[3]))"); return
        }
        #expect(quote2.riders.isEmpty)
        #expect(!quote2.issueDocument)
        #expect(records[2].object?["riders"]?.arrayValue?[1]["code"] == .string("R02,2\""))
        guard case .failure(let rejection) = decoded[4] else { Issue.record("line 4 accepted"); return }
        #expect(rejection.errors.map(\.field) == ["riders[1].code"])
        #expect(records[3].error?.reason.hasPrefix("unterminated quoted cell") == true)
    }

    @Test(arguments: [
        ("request_id,riders,riders[0].code\n", "both a riders column and riders[N].* columns"),
        ("request_id,product_code,product_code\n", #"duplicate CSV column(s): "product_code""#),
        ("product_code,sum_insured\n", "no request_id column"),
        ("request_id,,sum_insured\n", "column 2 has no name"),
        ("\n\n", "empty CSV file: no header row"),
        ("request_id,riders[100].code\n", #"unknown CSV column(s): "riders[100].code""#),
    ])
    func badHeaders(header: String, reason: String) throws {
        let dir = try IntakeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("h.csv")
        try Data(header.utf8).write(to: url)
        do {
            _ = try CSVRequestReader(url: url).records()
            Issue.record("no error")
        } catch let error as InboxFileError {
            #expect(error.reason.contains(reason), "reason was: \(error.reason)")
        }
    }

    @Test func columnNamesCoverTheEnrollmentFields() {
        for name in ["request_id", "type", "customer.customer_no", "customer.name", "customer.birth_date",
                     "customer.gender", "customer.phone", "customer.email", "customer.occupation_class",
                     "customer_no", "product_code", "sum_insured", "term_years", "pay_years", "payment_frequency",
                     "riders", "issue_document", "payment.method", "payment.card_token", "payment.bank_code",
                     "payment.account_no", "payment.holder_name"] {
            #expect(CSVRequestReader.columnNames.contains(name), "\(name)")
        }
    }
}
