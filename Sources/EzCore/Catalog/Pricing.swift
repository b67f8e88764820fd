/// How a product version's (or a rider's) premiums are computed (SPEC section 4).
public enum Pricing: Hashable, Sendable, Codable {
    /// Premium rates per unit of sum insured, by gender and insurance age (and term when the
    /// table says so), as actuaries hand them to operations.
    case rateTable(RateTable)
    /// From first principles: mortality, interest and expense loadings
    /// (`ActuarialCalculator`).
    case actuarial(ActuarialBasis)

    /// The rate table, for the `rateTable` case.
    public var rateTable: RateTable? {
        switch self {
        case .rateTable(let table): table
        case .actuarial: nil
        }
    }

    /// The actuarial basis, for the `actuarial` case.
    public var actuarial: ActuarialBasis? {
        switch self {
        case .rateTable: nil
        case .actuarial(let basis): basis
        }
    }

    /// `"rate_table"` or `"actuarial"`, as spelled in the catalog.
    public var method: String {
        switch self {
        case .rateTable: "rate_table"
        case .actuarial: "actuarial"
        }
    }
}
