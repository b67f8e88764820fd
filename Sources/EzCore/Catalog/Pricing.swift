/// How a product version's premiums are computed (SPEC section 4).
public enum Pricing: Hashable, Sendable, Codable {
    /// Premium rates per unit of sum insured, by gender and insurance age (and term when the
    /// table says so), as actuaries hand them to operations.
    case rateTable(RateTable)

    // RESERVED — `case actuarial(ActuarialBasis)` (SPEC section 4: mortality table or Makeham
    // parameters, interest, alpha/beta/gamma loadings, Woolhouse monthly premiums) goes here.
    // Not implemented yet: the catalog loader rejects `pricing.actuarial` with an explicit
    // "not supported yet" error, so no version can reach the calculator without a rate table.

    /// The rate table, for the `rateTable` case.
    public var rateTable: RateTable? {
        switch self {
        case .rateTable(let table): table
        }
    }
}
