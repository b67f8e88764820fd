/// A rider (특약) a product offers: its own sum-insured rule, rate table and, optionally, a
/// narrower entry age range than the main coverage. A rider follows the main coverage's
/// term, payment period and payment frequency.
public struct RiderSpec: Hashable, Sendable, Codable {
    /// Rider code, unique within a product version (e.g. `"R201"`).
    public var code: String
    /// Korean name (e.g. `"암수술비특약"`).
    public var name: String
    /// Allowed sums insured for the rider.
    public var sumInsured: SumInsuredRule
    /// The rider's own premium rates.
    public var rateTable: RateTable
    /// Insurance ages at which the rider may be attached; nil = the product's entry ages.
    public var entryAge: ClosedRange<Int>?

    public init(code: String, name: String, sumInsured: SumInsuredRule, rateTable: RateTable,
                entryAge: ClosedRange<Int>? = nil) {
        self.code = code
        self.name = name
        self.sumInsured = sumInsured
        self.rateTable = rateTable
        self.entryAge = entryAge
    }
}
