/// The actuarial values behind one actuarially priced coverage, kept in the plan's
/// `PremiumBreakdown` so `explain` and the document can show every number used.
///
/// Notation: x = insurance age, n = coverage years (to the table's end for whole life),
/// m = premium-payment years, S = sum insured.
public struct ActuarialValues: Hashable, Sendable, Codable {
    public var benefit: ActuarialBenefit
    /// The mortality basis in words (table, gender, scale).
    public var mortality: String
    /// The table's name (`sult`, `kr-illustrative`, `makeham`).
    public var mortalityTable: String
    /// The table's first age, where its l is 100,000 (nil in breakdowns saved before it was kept).
    public var radixAge: Int?
    /// The multiplier applied to the table's q for the insured's gender.
    public var mortalityScale: Double
    /// Annual effective interest rate.
    public var interest: Double
    public var age: Int
    public var coverageYears: Int
    public var payYears: Int
    /// `Dₓ, Dₓ₊ₘ, Dₓ₊ₙ, Nₓ, Nₓ₊ₘ, Nₓ₊ₙ, Mₓ, Mₓ₊ₙ`.
    public var commutation: [String: Double]
    /// `äₓ:ₘ`: annuity-due over the payment term.
    public var annuityPay: Double
    /// `äₓ:ₙ`: annuity-due over the coverage term (maintenance years).
    public var annuityCover: Double
    /// `A¹ₓ:ₙ`.
    public var termInsurance: Double
    /// `ₙEₓ` (0 for whole life).
    public var pureEndowment: Double
    /// The benefit's value per unit: A¹ (term), A¹ + ₙE (endowment), Aₓ (whole life).
    public var insurance: Double
    /// `ₘEₓ`, used by Woolhouse.
    public var pureEndowmentPay: Double
    /// `ä⁽¹²⁾ₓ:ₘ` by Woolhouse; nil for annual payment.
    public var woolhouseAnnuity: Double?
    /// Net annual premium `S·A / äₓ:ₘ`, KRW, unrounded.
    public var netAnnualPremium: Double
    /// Gross annual premium (annual payment), KRW, unrounded.
    public var grossAnnualPremium: Double
    /// Gross premium per payment at the quote's frequency, KRW, unrounded.
    public var premiumPerPayment: Double
    public var loadings: ExpenseLoadings

    public init(benefit: ActuarialBenefit, mortality: String, mortalityTable: String, radixAge: Int? = nil, mortalityScale: Double, interest: Double, age: Int, coverageYears: Int,
                payYears: Int, commutation: [String: Double], annuityPay: Double, annuityCover: Double,
                termInsurance: Double, pureEndowment: Double, insurance: Double, pureEndowmentPay: Double,
                woolhouseAnnuity: Double?, netAnnualPremium: Double, grossAnnualPremium: Double,
                premiumPerPayment: Double, loadings: ExpenseLoadings) {
        self.benefit = benefit
        self.mortality = mortality
        self.mortalityTable = mortalityTable
        self.radixAge = radixAge
        self.mortalityScale = mortalityScale
        self.interest = interest
        self.age = age
        self.coverageYears = coverageYears
        self.payYears = payYears
        self.commutation = commutation
        self.annuityPay = annuityPay
        self.annuityCover = annuityCover
        self.termInsurance = termInsurance
        self.pureEndowment = pureEndowment
        self.insurance = insurance
        self.pureEndowmentPay = pureEndowmentPay
        self.woolhouseAnnuity = woolhouseAnnuity
        self.netAnnualPremium = netAnnualPremium
        self.grossAnnualPremium = grossAnnualPremium
        self.premiumPerPayment = premiumPerPayment
        self.loadings = loadings
    }

    enum CodingKeys: String, CodingKey {
        case benefit, mortality, mortalityTable = "mortality_table", mortalityScale = "mortality_scale", radixAge = "radix_age", interest, age, coverageYears = "coverage_years", payYears = "pay_years"
        case commutation, annuityPay = "annuity_pay", annuityCover = "annuity_cover"
        case termInsurance = "term_insurance", pureEndowment = "pure_endowment", insurance
        case pureEndowmentPay = "pure_endowment_pay", woolhouseAnnuity = "woolhouse_annuity"
        case netAnnualPremium = "net_annual_premium", grossAnnualPremium = "gross_annual_premium"
        case premiumPerPayment = "premium_per_payment", loadings
    }
}
