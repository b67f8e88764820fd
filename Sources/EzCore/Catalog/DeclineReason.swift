/// Why underwriting declined a plan (인수거절 사유). A declined plan keeps every reason.
public struct DeclineReason: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Stable UPPER_SNAKE code, e.g. `"ENTRY_AGE"`, `"SUM_INSURED_MAX"`.
    public var code: String
    /// Korean, customer-facing, with the numbers.
    public var message: String
    /// The request field it concerns, e.g. `"sum_insured"`, `"riders[1].code"`.
    public var field: String

    public init(code: String, message: String, field: String) {
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String { "\(code) (\(field)): \(message)" }
}
