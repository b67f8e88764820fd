/// Why a premium could not be computed. Underwriting normally catches these cases first;
/// they surface when a plan is priced outside what the catalog prices.
public enum PricingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The rate table of `coverage` ("main" or a rider code) has no rate for the key.
    case noRate(coverage: String, gender: Gender, age: Int, term: TermOption)
    /// The rate table of `coverage` has no modal factor for the frequency.
    case noModalFactor(coverage: String, frequency: PaymentFrequency)
    /// The quote names a rider the version does not offer.
    case unknownRider(code: String)
    /// An actuarial coverage's ages x … x + n − 1 are not all in its mortality table.
    case outsideMortalityTable(coverage: String, table: String, age: Int, years: Int)
    /// An actuarial coverage cannot be priced for the term (pay years above coverage years,
    /// or no premium-paying lifetime left).
    case actuarialTerm(coverage: String, detail: String)

    public var description: String {
        switch self {
        case let .noRate(coverage, gender, age, term):
            "no rate for \(coverage): gender \(gender.rawValue), age \(age), term \(term)"
        case let .noModalFactor(coverage, frequency):
            "no modal factor for \(coverage) at frequency \(frequency.rawValue)"
        case let .unknownRider(code):
            "unknown rider \(code)"
        case let .outsideMortalityTable(coverage, table, age, years):
            "mortality table \(table) of \(coverage) does not cover \(years) years from age \(age)"
        case let .actuarialTerm(coverage, detail):
            "cannot price \(coverage) actuarially: \(detail)"
        }
    }
}
