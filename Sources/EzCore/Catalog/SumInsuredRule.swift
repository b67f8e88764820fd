/// Allowed sums insured (가입금액) for a coverage: from `min` to `max` in multiples of `step`, KRW.
public struct SumInsuredRule: Hashable, Sendable, Codable {
    /// Smallest sum insured, KRW (a multiple of `step`).
    public var min: Int64
    /// Largest sum insured, KRW (a multiple of `step`).
    public var max: Int64
    /// The sum insured must be a multiple of this, KRW (> 0).
    public var step: Int64

    public init(min: Int64, max: Int64, step: Int64) {
        self.min = min
        self.max = max
        self.step = step
    }

    /// Whether `amount` is within `min...max` and a multiple of `step`.
    public func allows(_ amount: Int64) -> Bool {
        amount >= min && amount <= max && step > 0 && amount % step == 0
    }
}
