/// A rider (특약) a product offers: its own sum-insured rule, pricing (a rate table or an
/// actuarial basis) and, optionally, a narrower entry age range than the main coverage. A
/// rider follows the main coverage's term, payment period and payment frequency.
public struct RiderSpec: Hashable, Sendable, Codable {
    /// Rider code, unique within a product version (e.g. `"R201"`).
    public var code: String
    /// Korean name (e.g. `"암수술비특약"`).
    public var name: String
    /// Allowed sums insured for the rider.
    public var sumInsured: SumInsuredRule
    /// How the rider's premium is computed.
    public var pricing: Pricing
    /// Insurance ages at which the rider may be attached; nil = the product's entry ages.
    public var entryAge: ClosedRange<Int>?

    public init(code: String, name: String, sumInsured: SumInsuredRule, pricing: Pricing,
                entryAge: ClosedRange<Int>? = nil) {
        self.code = code
        self.name = name
        self.sumInsured = sumInsured
        self.pricing = pricing
        self.entryAge = entryAge
    }

    /// A rider priced from a rate table.
    public init(code: String, name: String, sumInsured: SumInsuredRule, rateTable: RateTable,
                entryAge: ClosedRange<Int>? = nil) {
        self.init(code: code, name: name, sumInsured: sumInsured, pricing: .rateTable(rateTable), entryAge: entryAge)
    }

    /// The rider's rate table when it is priced from one; setting a table switches it to
    /// rate-table pricing.
    public var rateTable: RateTable? {
        get { pricing.rateTable }
        set { if let newValue { pricing = .rateTable(newValue) } }
    }
}
