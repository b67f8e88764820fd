@testable import EzCore
import Foundation
import Testing

@Suite("RequestCanonical")
struct RequestCanonicalTests {
    /// The same enrollment as a CSV row becomes it: every value a string, riders as text,
    /// defaults and the implied customer_no spelt differently.
    static let csvShape = #"""
    {"request_id":"req-006","type":"enrollment.apply",
     "customer":{"customer_no":"C0001234","name":" 김철수 ","birth_date":"1990-02-28","gender":"m","phone":"01012345678","email":"kim@example.com","occupation_class":"2"},
     "customer_no":"C0001234","product_code":"P00000001","sum_insured":"100000000","term_years":"20","pay_years":"10",
     "payment_frequency":"monthly","riders":"R01:10000000","issue_document":"Y",
     "payment":{"method":"account","bank_code":"004","account_no":"123456789012","holder_name":"김철수","card_token":""}}
    """#

    @Test func jsonAndCSVShapesGiveTheSameCanonicalText() throws {
        let fromJSON = try #require(accepted(Lines.enrollment))
        let fromCSV = try #require(accepted(Self.csvShape))
        #expect(fromJSON == fromCSV)
        #expect(RequestCanonical.canonicalJSON(fromJSON) == RequestCanonical.canonicalJSON(fromCSV))
    }

    @Test func canonicalTextIsSortedCompactAndComplete() throws {
        let request = try #require(accepted(Lines.quoteMinimal))
        #expect(RequestCanonical.canonicalJSON(request) == #"{"customer_no":"C0001234","issue_document":false,"pay_years":20,"payment_frequency":"monthly","product_code":"P00000001","request_id":"req-003","riders":[],"sum_insured":50000000,"term_years":20,"type":"plan.quote"}"#)
    }

    @Test func keyOrderOfTheInputDoesNotMatter() throws {
        let reordered = #"{"type":"document.request","plan_no":"PL-2025-000001","request_id":"req-004"}"#
        let a = try #require(accepted(Lines.document)), b = try #require(accepted(reordered))
        #expect(RequestCanonical.canonicalJSON(a) == RequestCanonical.canonicalJSON(b))
    }

    @Test func differentContentGivesDifferentText() throws {
        let a = try #require(accepted(Lines.quoteMinimal))
        let b = try #require(accepted(with(Lines.quoteMinimal, ["sum_insured": .int(50_000_001)])))
        #expect(RequestCanonical.canonicalJSON(a) != RequestCanonical.canonicalJSON(b))
    }

    @Test(arguments: [Lines.register, Lines.quote, Lines.quoteMinimal, Lines.document, Lines.submit,
                      Lines.enrollment, Lines.withdraw])
    func canonicalTextDecodesBackToTheSameRequest(line: String) throws {
        let request = try #require(accepted(line))
        let text = RequestCanonical.canonicalJSON(request)
        let again = try #require(accepted(text))
        #expect(again == request)
        #expect(RequestCanonical.canonicalJSON(again) == text)
    }

    /// The direct writer against the reference (`serialize(jsonValue(_:))`), on every request
    /// type and shape: references by number and by request id, card and account, riders or
    /// none, optional fields present and absent, texts that need escaping.
    @Test(arguments: [Lines.register, Lines.quote, Lines.quoteMinimal, Lines.document, Lines.submit,
                      Lines.enrollment, Lines.withdraw,
                      with(Lines.withdraw, ["reason": nil, "proposal_no": nil, "proposal_request_id": .string("req-006")]),
                      with(Lines.withdraw, ["reason": .string(#"said "no" \ twice"#)]),
                      with(Lines.withdraw, ["reason": .string(#"C:\변심\n"#)]),
                      with(Lines.document, ["plan_no": nil, "plan_request_id": .string("req-002")]),
                      with(Lines.submit, ["plan_request_id": nil, "plan_no": .string("PL-2025-000001")]),
                      #"{"request_id":"req-008","type":"customer.register","customer":{"customer_no":"C9","name":"이\"영\"희","birth_date":"2000-01-01","gender":"F","phone":"01099998888"}}"#,
                      with(Lines.enrollment, ["riders": .array([]), "payment_frequency": .string("annual")])])
    func directWriterMatchesTheReference(line: String) throws {
        let request = try #require(accepted(line))
        #expect(RequestCanonical.canonicalJSON(request) == RequestCanonical.serialize(RequestCanonical.jsonValue(request)))
        #expect(RequestCanonical.canonicalBytes(request) == Array(RequestCanonical.canonicalJSON(request).utf8))
    }

    /// The writer sorts fields by their keys' declaration order: it must be the names' byte order.
    @Test func canonicalKeysAreDeclaredInTheByteOrderOfTheirNames() {
        let names = CanonicalKey.allCases.map(\.name)
        for (a, b) in zip(names, names.dropFirst()) {
            #expect(UTF8Order.precedes(a, b), "\(a) is declared before \(b)")
        }
        #expect(CanonicalKey.written[CanonicalKey.paymentFrequency.rawValue] == Array(#""payment_frequency":"#.utf8))
    }

    @Test func stringsAreEscapedMinimally() {
        let value = JSONValue.object(["b": .string("a\"b\\c\n\u{01}한/"), "a": .array([.int(1), .bool(false), .null])])
        #expect(RequestCanonical.serialize(value) == #"{"a":[1,false,null],"b":"a\"b\\c\n\u0001한/"}"#)
    }
}
