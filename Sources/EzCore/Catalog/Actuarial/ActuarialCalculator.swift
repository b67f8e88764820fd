/// Prices one coverage from its actuarial basis (SPEC section 4, `pricing.actuarial`).
///
/// Notation: x = insurance age, n = coverage years (whole life: n = ω − x + 1, to the
/// mortality table's last age ω), m = payment years (m ≤ n), S = sum insured,
/// v = 1 / (1 + i). Values come from the commutation functions (`CommutationTable`), which
/// are exact sums, not approximations.
///
/// Benefit (paid at the end of the year of death; endowment also at maturity):
/// - term: `A = A¹ₓ:ₙ = (Mₓ − Mₓ₊ₙ) / Dₓ`
/// - endowment: `A = A¹ₓ:ₙ + ₙEₓ`, with `ₙEₓ = Dₓ₊ₙ / Dₓ`
/// - whole life: `A = Aₓ = Mₓ / Dₓ`
///
/// Level premiums payable in advance for m years: `äₓ:ₘ = (Nₓ − Nₓ₊ₘ) / Dₓ`.
///
/// - Net annual premium: `P = S·A / äₓ:ₘ`.
/// - Gross annual premium, from the equivalence principle with expenses
///   `G·äₓ:ₘ = S·A + α·S + β·G·äₓ:ₘ + γ·S·äₓ:ₘ + γ'·S·(äₓ:ₙ − äₓ:ₘ)`:
///   `G = S·(A + α + γ·äₓ:ₘ + γ'·(äₓ:ₙ − äₓ:ₘ)) / ((1 − β)·äₓ:ₘ)`
///   (α once at issue on S; β on every gross premium; γ per year on S while premiums are
///   paid, γ' per year in the paid-up years; maintenance is charged at the start of each
///   policy year the insured is alive).
/// - Monthly premiums: the premium annuity becomes the monthly annuity-due by Woolhouse's
///   formula, first two terms (the third, μ-term is dropped):
///   `ä⁽¹²⁾ₓ:ₘ ≈ äₓ:ₘ − (11/24)·(1 − ₘEₓ)`, where `ₘEₓ = vᵐ·ₘpₓ`,
///   and the monthly premium is `S·(A + α + γ·äₓ:ₘ + γ'·(äₓ:ₙ − äₓ:ₘ)) / ((1 − β)·12·ä⁽¹²⁾ₓ:ₘ)`.
///   The expense terms stay annual (α at issue, γ at the start of each year).
///
/// Nothing is rounded here: the premium calculator adds the coverages and rounds once.
public enum ActuarialCalculator {
    /// Prices `sumInsured` of a coverage under `basis` for an insured of `gender` aged `age`,
    /// covered for `termYears` (ignored for whole life) and paying for `payYears` at
    /// `frequency`. `coverage` names it in messages ("main" or a rider code). Returns every
    /// value used, the premium per payment among them (`PremiumSteps.actuarial` explains them).
    public static func price(basis: ActuarialBasis, coverage: String, gender: Gender, age x: Int, termYears: Int,
                             payYears m: Int, sumInsured: Int64, frequency: PaymentFrequency) throws(PricingError) -> ActuarialValues {
        let table = basis.mortality.table
        let n = basis.benefit == .wholeLife ? table.lastAge - x + 1 : termYears
        guard x >= table.firstAge, n >= 1, x + n - 1 <= table.lastAge else {
            throw .outsideMortalityTable(coverage: coverage, table: table.name, age: x, years: n)
        }
        guard m >= 1, m <= n else {
            throw .actuarialTerm(coverage: coverage, detail: "pay years \(m) must be 1 to coverage years \(n)")
        }
        let t = basis.commutation(for: gender)
        // Inside the table (checked above), every lookup exists.
        let dx = t.D(x)!, dxm = t.D(x + m)!, dxn = t.D(x + n)!
        let nx = t.N(x)!, nxm = t.N(x + m)!, nxn = t.N(x + n)!
        let mx = t.M(x)!, mxn = t.M(x + n)!
        let aPay = (nx - nxm) / dx
        let aCover = (nx - nxn) / dx
        let a1 = (mx - mxn) / dx
        let nE = basis.benefit == .wholeLife ? 0 : dxn / dx
        let mE = dxm / dx
        let insurance = basis.benefit == .endowment ? a1 + nE : a1
        let l = basis.loadings
        let s = Double(sumInsured)
        let numerator = insurance + l.alpha + l.gamma * aPay + l.gammaAfterPayment * (aCover - aPay)
        guard aPay > 0, l.beta < 1 else {
            throw .actuarialTerm(coverage: coverage, detail: "no premium can be collected (ä = \(aPay), beta = \(l.beta))")
        }
        let net = s * insurance / aPay
        let grossAnnual = s * numerator / ((1 - l.beta) * aPay)
        var woolhouse: Double?
        let perPayment: Double
        switch frequency {
        case .annual:
            perPayment = grossAnnual
        case .monthly:
            let a12 = aPay - 11.0 / 24.0 * (1 - mE)
            woolhouse = a12
            perPayment = s * numerator / ((1 - l.beta) * 12 * a12)
        }

        // Whole life looks up age x + n = ω + 1, one past the table's end (where D, N, M are 0).
        return ActuarialValues(
            benefit: basis.benefit, mortality: basis.mortality.description(for: gender), mortalityTable: table.name,
            radixAge: table.firstAge,
            mortalityScale: basis.mortality.scale(gender), interest: basis.interest,
            age: x, coverageYears: n, payYears: m,
            commutation: Dictionary([("D_\(x)", dx), ("D_\(x + m)", dxm), ("D_\(x + n)", dxn), ("N_\(x)", nx),
                                     ("N_\(x + m)", nxm), ("N_\(x + n)", nxn), ("M_\(x)", mx), ("M_\(x + n)", mxn)],
                                    uniquingKeysWith: { first, _ in first }),
            annuityPay: aPay, annuityCover: aCover, termInsurance: a1, pureEndowment: nE, insurance: insurance,
            pureEndowmentPay: mE, woolhouseAnnuity: woolhouse, netAnnualPremium: net, grossAnnualPremium: grossAnnual,
            premiumPerPayment: perPayment, loadings: l)
    }
}
