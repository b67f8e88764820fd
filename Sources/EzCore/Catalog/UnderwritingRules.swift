/// Product-level underwriting limits (인수조건) beyond entry age, terms and sum insured.
public struct UnderwritingRules: Hashable, Sendable, Codable {
    /// Largest total main-coverage sum insured one customer may hold in this product, over
    /// pending (quoted/proposed) and active policies, including the plan being evaluated. KRW.
    public var maxAggregateSumInsured: Int64
    /// Highest occupation class (직업급수, 1 = office … 5 = most hazardous) accepted.
    public var maxOccupationClass: Int
    /// Whether a plan without a stated occupation class is declined.
    public var requireOccupationClass: Bool

    public init(maxAggregateSumInsured: Int64, maxOccupationClass: Int = 5,
                requireOccupationClass: Bool = false) {
        self.maxAggregateSumInsured = maxAggregateSumInsured
        self.maxOccupationClass = maxOccupationClass
        self.requireOccupationClass = requireOccupationClass
    }
}
