/// The pricing basis of an actuarially priced coverage (SPEC section 4, `pricing.actuarial`):
/// mortality, interest, the benefit and expense loadings. Premiums are level and payable in
/// advance (annually, or monthly via Woolhouse); see `ActuarialCalculator`.
public struct ActuarialBasis: Hashable, Sendable, Codable {
    public var mortality: MortalityBasis
    /// Annual effective interest rate, e.g. 0.025 for 2.5% (예정이율).
    public var interest: Double
    public var benefit: ActuarialBenefit
    public var loadings: ExpenseLoadings

    public init(mortality: MortalityBasis, interest: Double, benefit: ActuarialBenefit, loadings: ExpenseLoadings) {
        self.mortality = mortality
        self.interest = interest
        self.benefit = benefit
        self.loadings = loadings
    }
}
