/// The outcome of one underwriting rule for one plan, for `explain`.
public struct RuleVerdict: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Rule name, e.g. `"entry_age"`, `"rider_sum_insured_max[R201]"`.
    public var rule: String
    public var passed: Bool
    /// Plain-English detail with the numbers, e.g. `"insurance age 41 within 20..65"`.
    public var detail: String
    /// The decline reason when the rule failed; nil when it passed.
    public var reason: DeclineReason?

    public init(rule: String, passed: Bool, detail: String, reason: DeclineReason? = nil) {
        self.rule = rule
        self.passed = passed
        self.detail = detail
        self.reason = reason
    }

    /// `"PASS entry_age: insurance age 41 within 20..65"`.
    public var description: String { "\(passed ? "PASS" : "FAIL") \(rule): \(detail)" }
}
