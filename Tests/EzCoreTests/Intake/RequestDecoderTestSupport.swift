import EzCore
import Foundation
import Testing

/// Parses a JSON text into a `JSONValue` (test input).
func json(_ text: String) -> JSONValue {
    try! JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
}

func decodeLine(_ text: String) -> Result<Request, RequestRejection> {
    RequestDecoder.decode(json(text))
}

/// The request, or a test failure naming the errors.
func accepted(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Request? {
    switch decodeLine(text) {
    case .success(let request): return request
    case .failure(let rejection):
        Issue.record("rejected: \(rejection)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The rejection, or a test failure when the line was accepted.
func rejected(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> RequestRejection? {
    switch decodeLine(text) {
    case .success(let request):
        Issue.record("accepted: \(request)", sourceLocation: sourceLocation)
        return nil
    case .failure(let rejection): return rejection
    }
}

/// Replaces or removes (nil) top-level keys of an object line, for one-field variations.
func with(_ base: String, _ changes: [String: JSONValue?]) -> String {
    guard case .object(var fields) = json(base) else { fatalError("not an object") }
    for (key, value) in changes { fields[key] = value }
    return RequestCanonical.serialize(.object(fields))
}

enum Lines {
    static let customer = #"{"customer_no":"C0001234","name":"김철수","birth_date":"1990-02-28","gender":"M","phone":"010-1234-5678","email":"kim@example.com","occupation_class":2}"#
    static let register = #"{"request_id":"req-001","type":"customer.register","customer":\#(customer)}"#
    static let quote = #"{"request_id":"req-002","type":"plan.quote","customer_no":"C0001234","product_code":"P00000001","sum_insured":100000000,"term_years":20,"pay_years":10,"payment_frequency":"annual","riders":[{"code":"R01","sum_insured":10000000},{"code":"R02","sum_insured":5000000}],"issue_document":true}"#
    static let quoteMinimal = #"{"request_id":"req-003","type":"plan.quote","customer_no":"C0001234","product_code":"P00000001","sum_insured":50000000,"term_years":20,"pay_years":20}"#
    static let document = #"{"request_id":"req-004","type":"document.request","plan_no":"PL-2025-000001"}"#
    static let submit = #"{"request_id":"req-005","type":"proposal.submit","plan_request_id":"req-002","payment":{"method":"card","card_token":"tok_abc123","holder_name":"김철수"}}"#
    static let enrollment = #"{"request_id":"req-006","type":"enrollment.apply","customer":\#(customer),"product_code":"P00000001","sum_insured":100000000,"term_years":20,"pay_years":10,"riders":[{"code":"R01","sum_insured":10000000}],"payment":{"method":"account","bank_code":"004","account_no":"123-456-789012","holder_name":"김철수"}}"#
    static let withdraw = #"{"request_id":"req-007","type":"proposal.withdraw","proposal_no":"PR-2025-000001","requested_on":"2025-03-10","reason":"changed my mind"}"#
}
