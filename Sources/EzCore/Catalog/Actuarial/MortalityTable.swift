/// A one-year mortality table (생명표): `qₓ` for consecutive ages, unisex or by gender.
///
/// The table ends at `lastAge`, where `q` is 1: nobody survives beyond it, which is what
/// "whole life" is priced to. Loaded from `data/mortality/*.csv` by the catalog adapter or
/// generated from Makeham parameters (`MakehamLaw.table`).
public struct MortalityTable: Hashable, Sendable, Codable {
    /// Short name the catalog refers to (the file name without `.csv`), e.g. `"sult"`.
    public var name: String
    /// Human title, e.g. `"Standard Ultimate Life Table"`.
    public var title: String
    /// Where the numbers come from (book, table, page or construction).
    public var source: String
    /// Age of the first rate.
    public var firstAge: Int
    /// `q` for ages `firstAge, firstAge + 1, …` — male, or every life when `female` is nil.
    public var male: [Double]
    /// `q` for females; nil for a unisex table.
    public var female: [Double]?

    public init(name: String, title: String, source: String, firstAge: Int, male: [Double], female: [Double]? = nil) {
        self.name = name
        self.title = title
        self.source = source
        self.firstAge = firstAge
        self.male = male
        self.female = female
    }

    /// Whether the table has separate male and female rates.
    public var byGender: Bool { female != nil }

    /// The last age of the table (q = 1 there).
    public var lastAge: Int { firstAge + male.count - 1 }

    /// `qₓ` for a gender (the unisex rate when the table has no genders); nil outside the table.
    public func q(age: Int, gender: Gender) -> Double? {
        let rates = gender == .female ? (female ?? male) : male
        let i = age - firstAge
        return rates.indices.contains(i) ? rates[i] : nil
    }
}
