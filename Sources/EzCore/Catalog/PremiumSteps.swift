/// The plain-English lines of a premium calculation, numbers substituted, that an auditor can
/// follow to the premium (`explain` prints them).
///
/// Rendered from the values a `PremiumBreakdown` keeps, not stored with it: the lines repeat
/// those values as text (about 1.3 KB a plan, more than half of the stored breakdown), and
/// every number in them is one the breakdown holds or the same arithmetic on them. Pure:
/// the same breakdown gives the same lines. Breakdowns saved before carry their lines
/// (`PremiumBreakdown.writtenSteps`), which are printed as they were saved.
public enum PremiumSteps {
    typealias T = CatalogText

    public static func lines(_ b: PremiumBreakdown) -> [String] {
        var steps: [String] = []
        if let q = b.quote {
            steps.append("product \(b.versionId) (\(b.components.first?.name ?? "")), insured \(q.gender.rawValue) age \(q.age), "
                + "term \(q.termYears) years, pay \(q.payYears) years, \(b.frequency.rawValue) payments")
        }
        for c in b.components {
            if let a = c.actuarial {
                steps += actuarial(coverage: c.coverage, sumInsured: c.sumInsured, a)
            } else {
                steps.append("\(c.coverage) (\(c.name)): \(T.grouped(c.sumInsured)) / \(T.grouped(c.per))"
                    + " x \(T.number(c.rate)) (\(c.rateKey ?? "")) x \(T.number(c.modalFactor)) (\(b.frequency.rawValue))"
                    + " = \(T.decimal6(c.rawAmount))")
            }
        }
        if b.components.count > 1 {
            steps.append("total: " + b.components.map { T.decimal6($0.rawAmount) }.joined(separator: " + ")
                + " = " + T.decimal6(b.rawTotal))
        } else {
            steps.append("total: " + T.decimal6(b.rawTotal))
        }
        steps.append("rounding once on the total (6 decimals, then \(b.rounding.mode.rawValue) "
            + "to a multiple of \(T.grouped(b.rounding.unit)) KRW): "
            + "\(T.decimal6(b.rawTotal)) -> \(T.grouped(b.premium)) KRW per \(b.frequency.rawValue) payment")
        steps.append("annual premium: \(T.grouped(b.premium)) x \(T.paymentsPerYear(b.frequency)) payments = "
            + "\(T.grouped(b.annualPremium)) KRW")
        return steps
    }

    /// The lines of one actuarially priced coverage (`ActuarialCalculator`'s formulas).
    public static func actuarial(coverage: String, sumInsured: Int64, _ v: ActuarialValues) -> [String] {
        let x = v.age, n = v.coverageYears, m = v.payYears
        // Lookups past the table's end age name age ω + 1 (x + n for whole life), as priced.
        func c(_ f: String, _ age: Int) -> Double { v.commutation["\(f)_\(age)"] ?? 0 }
        let dx = c("D", x), dxm = c("D", x + m), dxn = c("D", x + n)
        let nx = c("N", x), nxm = c("N", x + m), nxn = c("N", x + n)
        let mx = c("M", x), mxn = c("M", x + n)
        let aPay = v.annuityPay, aCover = v.annuityCover, a1 = v.termInsurance, nE = v.pureEndowment
        let insurance = v.insurance, l = v.loadings
        let numerator = insurance + l.alpha + l.gamma * aPay + l.gammaAfterPayment * (aCover - aPay)
        let f6 = { (v: Double) in T.fixed(v, 6) }
        let big = { (v: Double) in T.fixed(v, 4, grouping: true) }
        let won = { (v: Double) in T.fixed(v, 6, grouping: true) }
        let whole = v.benefit == .wholeLife
        let xn = whole ? "\(x)" : "\(x):\(n)"
        let aPayName = "ä_{\(x):\(m)}", aCoverName = whole ? "ä_{\(x)}" : "ä_{\(x):\(n)}"
        let insName: String
        switch v.benefit {
        case .term: insName = "A1_{\(xn)}"
        case .endowment: insName = "A_{\(xn)}"
        case .wholeLife: insName = "A_{\(x)}"
        }
        var steps: [String] = []
        steps.append("\(coverage): actuarial \(v.benefit.rawValue), mortality \(v.mortality), "
            + "interest \(T.percent(v.interest)), x = \(x), n = \(n)\(whole ? " (to the table's end age \(x + n - 1))" : ""), m = \(m)")
        let dPart = m == n ? "D_\(x + n) = \(big(dxn))" : "D_\(x + m) = \(big(dxm)), D_\(x + n) = \(big(dxn))"
        let nPart = m == n ? "N_\(x + n) = \(big(nxn))" : "N_\(x + m) = \(big(nxm)), N_\(x + n) = \(big(nxn))"
        steps.append("\(coverage): commutation (l_\(v.radixAge.map(String.init) ?? "?") = 100,000): D_\(x) = \(big(dx)), \(dPart), "
            + "N_\(x) = \(big(nx)), \(nPart), M_\(x) = \(big(mx)), M_\(x + n) = \(big(mxn))")
        steps.append("\(coverage): \(aPayName) = (N_\(x) - N_\(x + m)) / D_\(x) = (\(big(nx)) - \(big(nxm))) / \(big(dx)) = \(f6(aPay))")
        if n != m {
            steps.append("\(coverage): \(aCoverName) = (N_\(x) - N_\(x + n)) / D_\(x) = (\(big(nx)) - \(big(nxn))) / \(big(dx)) = \(f6(aCover))")
        }
        switch v.benefit {
        case .term:
            steps.append("\(coverage): \(insName) = (M_\(x) - M_\(x + n)) / D_\(x) = (\(big(mx)) - \(big(mxn))) / \(big(dx)) = \(f6(a1))")
        case .endowment:
            steps.append("\(coverage): A1_{\(xn)} = (M_\(x) - M_\(x + n)) / D_\(x) = (\(big(mx)) - \(big(mxn))) / \(big(dx)) = \(f6(a1))")
            steps.append("\(coverage): \(n)E_\(x) = D_\(x + n) / D_\(x) = \(big(dxn)) / \(big(dx)) = \(f6(nE))")
            steps.append("\(coverage): \(insName) = A1_{\(xn)} + \(n)E_\(x) = \(f6(a1)) + \(f6(nE)) = \(f6(insurance))")
        case .wholeLife:
            steps.append("\(coverage): \(insName) = M_\(x) / D_\(x) = \(big(mx)) / \(big(dx)) = \(f6(a1))")
        }
        steps.append("\(coverage): net annual premium P = S x \(insName) / \(aPayName) = \(T.grouped(sumInsured)) x \(f6(insurance)) / \(f6(aPay)) = \(won(v.netAnnualPremium))")
        let gammaText = "\(T.number(l.gamma)) x \(f6(aPay)) + \(T.number(l.gammaAfterPayment)) x (\(f6(aCover)) - \(f6(aPay)))"
        steps.append("\(coverage): loadings alpha = \(T.number(l.alpha)) (on S, once), beta = \(T.number(l.beta)) (on each gross premium), "
            + "gamma = \(T.number(l.gamma)) (on S a year while paying), gamma' = \(T.number(l.gammaAfterPayment)) (on S a year after paying)")
        steps.append("\(coverage): gross annual premium G = S x (A + alpha + gamma x \(aPayName) + gamma' x (\(aCoverName) - \(aPayName))) / ((1 - beta) x \(aPayName))"
            + " = \(T.grouped(sumInsured)) x (\(f6(insurance)) + \(T.number(l.alpha)) + \(gammaText)) / ((1 - \(T.number(l.beta))) x \(f6(aPay)))"
            + " = \(won(v.grossAnnualPremium))")
        if let a12 = v.woolhouseAnnuity {
            steps.append("\(coverage): Woolhouse (two terms) ä^(12)_{\(x):\(m)} = \(aPayName) - 11/24 x (1 - \(m)E_\(x)) "
                + "= \(f6(aPay)) - 0.458333 x (1 - \(f6(v.pureEndowmentPay))) = \(f6(a12))")
            steps.append("\(coverage): monthly premium = S x (A + alpha + gamma x \(aPayName) + gamma' x (\(aCoverName) - \(aPayName))) / ((1 - beta) x 12 x ä^(12)_{\(x):\(m)})"
                + " = \(T.grouped(sumInsured)) x \(f6(numerator)) / ((1 - \(T.number(l.beta))) x 12 x \(f6(a12))) = \(won(v.premiumPerPayment))")
        } else {
            steps.append("\(coverage): annual premium = G = \(won(v.premiumPerPayment))")
        }
        return steps
    }
}
