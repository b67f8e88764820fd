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
    /// The values and the premium per payment of one coverage, with explanation lines.
    public struct Result: Hashable, Sendable {
        public var values: ActuarialValues
        /// Lines with the numbers substituted, for `PremiumBreakdown.steps`.
        public var steps: [String]
    }

    /// Prices `sumInsured` of a coverage under `basis` for an insured of `gender` aged `age`,
    /// covered for `termYears` (ignored for whole life) and paying for `payYears` at
    /// `frequency`. `coverage` names it in messages ("main" or a rider code).
    public static func price(basis: ActuarialBasis, coverage: String, gender: Gender, age x: Int, termYears: Int,
                             payYears m: Int, sumInsured: Int64, frequency: PaymentFrequency) throws(PricingError) -> Result {
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

        // Explanation, numbers substituted.
        typealias T = CatalogText
        let f6 = { (v: Double) in T.fixed(v, 6) }
        let big = { (v: Double) in T.fixed(v, 4, grouping: true) }
        let won = { (v: Double) in T.fixed(v, 6, grouping: true) }
        let whole = basis.benefit == .wholeLife
        let xn = whole ? "\(x)" : "\(x):\(n)"
        let aPayName = "ä_{\(x):\(m)}", aCoverName = whole ? "ä_{\(x)}" : "ä_{\(x):\(n)}"
        let insName: String
        switch basis.benefit {
        case .term: insName = "A1_{\(xn)}"
        case .endowment: insName = "A_{\(xn)}"
        case .wholeLife: insName = "A_{\(x)}"
        }
        let beyond = table.lastAge + 1
        func idx(_ k: Int) -> String { x + k > table.lastAge ? "\(beyond)" : "\(x + k)" }
        var steps: [String] = []
        steps.append("\(coverage): actuarial \(basis.benefit.rawValue), mortality \(basis.mortality.description(for: gender)), "
            + "interest \(T.percent(basis.interest)), x = \(x), n = \(n)\(whole ? " (to the table's end age \(table.lastAge))" : ""), m = \(m)")
        let dPart = m == n ? "D_\(idx(n)) = \(big(dxn))" : "D_\(idx(m)) = \(big(dxm)), D_\(idx(n)) = \(big(dxn))"
        let nPart = m == n ? "N_\(idx(n)) = \(big(nxn))" : "N_\(idx(m)) = \(big(nxm)), N_\(idx(n)) = \(big(nxn))"
        steps.append("\(coverage): commutation (l_\(table.firstAge) = 100,000): D_\(x) = \(big(dx)), \(dPart), "
            + "N_\(x) = \(big(nx)), \(nPart), M_\(x) = \(big(mx)), M_\(idx(n)) = \(big(mxn))")
        steps.append("\(coverage): \(aPayName) = (N_\(x) - N_\(idx(m))) / D_\(x) = (\(big(nx)) - \(big(nxm))) / \(big(dx)) = \(f6(aPay))")
        if n != m {
            steps.append("\(coverage): \(aCoverName) = (N_\(x) - N_\(idx(n))) / D_\(x) = (\(big(nx)) - \(big(nxn))) / \(big(dx)) = \(f6(aCover))")
        }
        switch basis.benefit {
        case .term:
            steps.append("\(coverage): \(insName) = (M_\(x) - M_\(idx(n))) / D_\(x) = (\(big(mx)) - \(big(mxn))) / \(big(dx)) = \(f6(a1))")
        case .endowment:
            steps.append("\(coverage): A1_{\(xn)} = (M_\(x) - M_\(idx(n))) / D_\(x) = (\(big(mx)) - \(big(mxn))) / \(big(dx)) = \(f6(a1))")
            steps.append("\(coverage): \(n)E_\(x) = D_\(idx(n)) / D_\(x) = \(big(dxn)) / \(big(dx)) = \(f6(nE))")
            steps.append("\(coverage): \(insName) = A1_{\(xn)} + \(n)E_\(x) = \(f6(a1)) + \(f6(nE)) = \(f6(insurance))")
        case .wholeLife:
            steps.append("\(coverage): \(insName) = M_\(x) / D_\(x) = \(big(mx)) / \(big(dx)) = \(f6(a1))")
        }
        steps.append("\(coverage): net annual premium P = S x \(insName) / \(aPayName) = \(T.grouped(sumInsured)) x \(f6(insurance)) / \(f6(aPay)) = \(won(net))")
        let gammaText = "\(T.number(l.gamma)) x \(f6(aPay)) + \(T.number(l.gammaAfterPayment)) x (\(f6(aCover)) - \(f6(aPay)))"
        steps.append("\(coverage): loadings alpha = \(T.number(l.alpha)) (on S, once), beta = \(T.number(l.beta)) (on each gross premium), "
            + "gamma = \(T.number(l.gamma)) (on S a year while paying), gamma' = \(T.number(l.gammaAfterPayment)) (on S a year after paying)")
        steps.append("\(coverage): gross annual premium G = S x (A + alpha + gamma x \(aPayName) + gamma' x (\(aCoverName) - \(aPayName))) / ((1 - beta) x \(aPayName))"
            + " = \(T.grouped(sumInsured)) x (\(f6(insurance)) + \(T.number(l.alpha)) + \(gammaText)) / ((1 - \(T.number(l.beta))) x \(f6(aPay)))"
            + " = \(won(grossAnnual))")
        if let a12 = woolhouse {
            steps.append("\(coverage): Woolhouse (two terms) ä^(12)_{\(x):\(m)} = \(aPayName) - 11/24 x (1 - \(m)E_\(x)) "
                + "= \(f6(aPay)) - 0.458333 x (1 - \(f6(mE))) = \(f6(a12))")
            steps.append("\(coverage): monthly premium = S x (A + alpha + gamma x \(aPayName) + gamma' x (\(aCoverName) - \(aPayName))) / ((1 - beta) x 12 x ä^(12)_{\(x):\(m)})"
                + " = \(T.grouped(sumInsured)) x \(f6(numerator)) / ((1 - \(T.number(l.beta))) x 12 x \(f6(a12))) = \(won(perPayment))")
        } else {
            steps.append("\(coverage): annual premium = G = \(won(perPayment))")
        }

        let values = ActuarialValues(
            benefit: basis.benefit, mortality: basis.mortality.description(for: gender), mortalityTable: table.name,
            mortalityScale: basis.mortality.scale(gender), interest: basis.interest,
            age: x, coverageYears: n, payYears: m,
            commutation: Dictionary([("D_\(x)", dx), ("D_\(idx(m))", dxm), ("D_\(idx(n))", dxn), ("N_\(x)", nx),
                                     ("N_\(idx(m))", nxm), ("N_\(idx(n))", nxn), ("M_\(x)", mx), ("M_\(idx(n))", mxn)],
                                    uniquingKeysWith: { first, _ in first }),
            annuityPay: aPay, annuityCover: aCover, termInsurance: a1, pureEndowment: nE, insurance: insurance,
            pureEndowmentPay: mE, woolhouseAnnuity: woolhouse, netAnnualPremium: net, grossAnnualPremium: grossAnnual,
            premiumPerPayment: perPayment, loadings: l)
        return Result(values: values, steps: steps)
    }
}
