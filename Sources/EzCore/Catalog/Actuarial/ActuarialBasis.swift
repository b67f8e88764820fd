/// The pricing basis of an actuarially priced coverage (SPEC section 4, `pricing.actuarial`):
/// mortality, interest, the benefit and expense loadings. Premiums are level and payable in
/// advance (annually, or monthly via Woolhouse); see `ActuarialCalculator`.
public struct ActuarialBasis: Hashable, Sendable, Codable {
    public var mortality: MortalityBasis {
        didSet { commutation = Self.commutation(mortality, interest) }
    }
    /// Annual effective interest rate, e.g. 0.025 for 2.5% (예정이율).
    public var interest: Double {
        didSet { commutation = Self.commutation(mortality, interest) }
    }
    public var benefit: ActuarialBenefit
    public var loadings: ExpenseLoadings
    /// The commutation functions of each gender (male, female), built once with the basis
    /// (and again when its mortality or interest changes) instead of for every quote.
    public private(set) var commutation: [CommutationTable]

    public init(mortality: MortalityBasis, interest: Double, benefit: ActuarialBenefit, loadings: ExpenseLoadings) {
        self.mortality = mortality
        self.interest = interest
        self.benefit = benefit
        self.loadings = loadings
        commutation = Self.commutation(mortality, interest)
    }

    /// The commutation functions for `gender`.
    public func commutation(for gender: Gender) -> CommutationTable {
        commutation[gender == .female ? 1 : 0]
    }

    private static func commutation(_ mortality: MortalityBasis, _ interest: Double) -> [CommutationTable] {
        [Gender.male, .female].map { CommutationTable(basis: mortality, gender: $0, interest: interest) }
    }

    enum CodingKeys: String, CodingKey { case mortality, interest, benefit, loadings }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(mortality: try c.decode(MortalityBasis.self, forKey: .mortality),
                  interest: try c.decode(Double.self, forKey: .interest),
                  benefit: try c.decode(ActuarialBenefit.self, forKey: .benefit),
                  loadings: try c.decode(ExpenseLoadings.self, forKey: .loadings))
    }
}
