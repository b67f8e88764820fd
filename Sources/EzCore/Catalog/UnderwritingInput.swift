/// Everything underwriting looks at for one plan.
public struct UnderwritingInput: Hashable, Sendable {
    /// The version in effect on the quote date.
    public var version: ProductVersion
    /// The insured's insurance age at the quote date.
    public var insuranceAge: InsuranceAge
    public var gender: Gender
    /// Occupation class (직업급수) 1…5, nil when not stated.
    public var occupationClass: Int?
    public var quote: QuoteInput
    /// Main-coverage sum insured the customer already holds in this product over pending and
    /// active policies (excluding this plan), KRW.
    public var existingAggregateSumInsured: Int64

    public init(version: ProductVersion, insuranceAge: InsuranceAge, gender: Gender,
                occupationClass: Int?, quote: QuoteInput, existingAggregateSumInsured: Int64 = 0) {
        self.version = version
        self.insuranceAge = insuranceAge
        self.gender = gender
        self.occupationClass = occupationClass
        self.quote = quote
        self.existingAggregateSumInsured = existingAggregateSumInsured
    }
}
