/// The mortality a coverage is priced with: a table (shipped or generated from Makeham
/// parameters) and an optional multiplier on `q` per gender.
///
/// The multiplier is how a product adapts a reference table to its risk (위험률 적용비율):
/// an accidental-death cover uses a fraction of all-cause mortality, an insured-lives basis a
/// selection discount. A scaled `q` never exceeds 1, and the table's last age keeps q = 1.
public struct MortalityBasis: Hashable, Sendable, Codable {
    /// Where the table came from, for explanations.
    public enum Origin: Hashable, Sendable, Codable {
        /// A table file shipped under `data/mortality/` (its name).
        case table(String)
        /// Makeham parameters written in the catalog.
        case makeham(MakehamLaw)
    }

    public var origin: Origin
    public var table: MortalityTable
    /// Multiplier on `q` for males (1 = the table as is).
    public var maleScale: Double
    /// Multiplier on `q` for females.
    public var femaleScale: Double

    public init(origin: Origin, table: MortalityTable, maleScale: Double = 1, femaleScale: Double = 1) {
        self.origin = origin
        self.table = table
        self.maleScale = maleScale
        self.femaleScale = femaleScale
    }

    /// The multiplier for a gender.
    public func scale(_ gender: Gender) -> Double { gender == .female ? femaleScale : maleScale }

    /// The `q` used for pricing: the table's, times the gender's scale, at most 1; the last
    /// age is always 1. Nil outside the table.
    public func q(age: Int, gender: Gender) -> Double? {
        guard let q = table.q(age: age, gender: gender) else { return nil }
        return age == table.lastAge ? 1 : min(1, q * scale(gender))
    }

    /// `"table sult (Standard Ultimate Life Table), male × 0.12"`.
    public func description(for gender: Gender) -> String {
        let base: String
        switch origin {
        case .table(let name):
            base = "table \(name) (\(table.title)" + (table.byGender ? ", \(gender == .female ? "female" : "male") rates" : ", unisex")
                + ", ages \(table.firstAge)..\(table.lastAge))"
        case .makeham(let law):
            base = "\(law.description), ages \(table.firstAge)..\(table.lastAge)"
        }
        let s = scale(gender)
        return s == 1 ? base : base + " x \(CatalogText.number(s)) (\(gender == .female ? "female" : "male") scale)"
    }
}
