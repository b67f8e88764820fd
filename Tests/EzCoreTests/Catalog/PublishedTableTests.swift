import Testing
@testable import EzCore

/// Agreement with published life-contingency tables, to the printed precision.
///
/// Sources of the expected values:
/// - SULT: D.C.M. Dickson, M.R. Hardy, H.R. Waters, "Actuarial Mathematics for Life Contingent
///   Risks" (Cambridge University Press), the Standard Ultimate Life Table and its tables of
///   annuity and insurance functions at i = 5% (book appendix: columns qx, äx, Ax, ²Ax, äx:10,
///   Ax:10, äx:20, Ax:20, ₂₀Ex). Printed to 4 decimals (ä), 5 decimals (A, E) and 6 (q).
/// - ILT: N.L. Bowers et al., "Actuarial Mathematics", 2nd ed. (Society of Actuaries, 1997),
///   Appendix 2A, Illustrative Life Table with interest at 6%: columns 1000qx, äx, 1000Ax,
///   1000²Ax. Printed to 2 decimals (per mille) and 4 decimals (ä).
/// A printed value is met when |computed − printed| ≤ half a unit in its last printed place.
@Suite("Actuarial: agreement with published tables")
struct PublishedTableTests {
    typealias S = ActuarialSample

    static func expectPrinted(_ computed: Double?, _ printed: Double, decimals: Int, _ what: String,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        var half = 0.5
        for _ in 0..<decimals { half /= 10 }
        let value = computed ?? .nan
        #expect(abs(value - printed) <= half, "\(what): computed \(value), printed \(printed)", sourceLocation: sourceLocation)
    }

    // ²Ax is Ax at the doubled force of interest: i' = (1 + i)² − 1.
    static func secondMoment(_ basis: MortalityBasis, age: Int, i: Double) -> Double? {
        CommutationTable(basis: basis, gender: .male, interest: (1 + i) * (1 + i) - 1).wholeLifeInsurance(age: age)
    }

    @Test("SULT at 5%: q60, ä40, A40, ²A40, ä60, A60, ²A60 (DHW, SULT appendix table)")
    func sultWholeLife() {
        let t = CommutationTable(basis: S.sult, gender: .male, interest: 0.05)
        Self.expectPrinted(t.q(60), 0.003398, decimals: 6, "SULT q60")
        Self.expectPrinted(t.wholeLifeAnnuityDue(age: 40), 18.4578, decimals: 4, "SULT ä40")
        Self.expectPrinted(t.wholeLifeInsurance(age: 40), 0.12106, decimals: 5, "SULT A40")
        Self.expectPrinted(Self.secondMoment(S.sult, age: 40, i: 0.05), 0.02347, decimals: 5, "SULT ²A40")
        Self.expectPrinted(t.wholeLifeAnnuityDue(age: 60), 14.9041, decimals: 4, "SULT ä60")
        Self.expectPrinted(t.wholeLifeInsurance(age: 60), 0.29028, decimals: 5, "SULT A60")
        Self.expectPrinted(Self.secondMoment(S.sult, age: 60, i: 0.05), 0.10834, decimals: 5, "SULT ²A60")
    }

    @Test("SULT at 5%: 20-year values for (40): ä40:20 = 12.9935, A40:20 = 0.38126, 20E40 = 0.36663 (DHW, SULT appendix)")
    func sultTemporary() throws {
        let t = CommutationTable(basis: S.sult, gender: .male, interest: 0.05)
        let a = try #require(t.annuityDue(age: 40, years: 20))
        let a1 = try #require(t.termInsurance(age: 40, years: 20))
        let e = try #require(t.pureEndowment(age: 40, years: 20))
        Self.expectPrinted(a, 12.9935, decimals: 4, "SULT ä40:20")
        Self.expectPrinted(a1 + e, 0.38126, decimals: 5, "SULT A40:20")
        Self.expectPrinted(e, 0.36663, decimals: 5, "SULT 20E40")
        // The calculator gives the same numbers for a 20-year endowment of (40), and the net
        // premium P = S·A40:20 / ä40:20. From the printed values: 100,000 × 0.38126 / 12.9935
        // = 2,934.24; the printed rounding (±0.000005 in A, ±0.00005 in ä) allows ±0.05.
        let r = try ActuarialCalculator.price(basis: S.basis(.endowment, mortality: S.sult, interest: 0.05, loadings: .none),
                                              coverage: "main", gender: .male, age: 40, termYears: 20, payYears: 20,
                                              sumInsured: 100_000, frequency: .annual)
        #expect(abs(r.netAnnualPremium - 100_000 * 0.38126 / 12.9935) <= 0.05, "\(r.netAnnualPremium)")
        #expect(abs(r.grossAnnualPremium - r.netAnnualPremium) < 1e-9, "no loadings: gross = net")
    }

    @Test("ILT at 6%: 1000q40 = 2.78, ä40 = 14.8166, 1000A40 = 161.32, 1000²A40 = 48.63 (Bowers App. 2A)")
    func ilt40() {
        let t = CommutationTable(basis: S.ilt, gender: .male, interest: 0.06)
        Self.expectPrinted(t.q(40).map { $0 * 1000 }, 2.78, decimals: 2, "ILT 1000q40")
        Self.expectPrinted(t.wholeLifeAnnuityDue(age: 40), 14.8166, decimals: 4, "ILT ä40")
        Self.expectPrinted(t.wholeLifeInsurance(age: 40).map { $0 * 1000 }, 161.32, decimals: 2, "ILT 1000A40")
        Self.expectPrinted(Self.secondMoment(S.ilt, age: 40, i: 0.06).map { $0 * 1000 }, 48.63, decimals: 2, "ILT 1000²A40")
    }

    @Test("ILT at 6%: ä50 = 13.2668, 1000A50 = 249.05, 1000q60 = 13.76, ä60 = 11.1454, 1000A60 = 369.13 (Bowers App. 2A)")
    func ilt50and60() {
        let t = CommutationTable(basis: S.ilt, gender: .male, interest: 0.06)
        Self.expectPrinted(t.wholeLifeAnnuityDue(age: 50), 13.2668, decimals: 4, "ILT ä50")
        Self.expectPrinted(t.wholeLifeInsurance(age: 50).map { $0 * 1000 }, 249.05, decimals: 2, "ILT 1000A50")
        Self.expectPrinted(t.q(60).map { $0 * 1000 }, 13.76, decimals: 2, "ILT 1000q60")
        Self.expectPrinted(t.wholeLifeAnnuityDue(age: 60), 11.1454, decimals: 4, "ILT ä60")
        Self.expectPrinted(t.wholeLifeInsurance(age: 60).map { $0 * 1000 }, 369.13, decimals: 2, "ILT 1000A60")
    }

    @Test("ILT at 6%: whole-life net annual premium 1000 P40 = 1000 A40 / ä40 = 161.32 / 14.8166 = 10.888 (derived from App. 2A)")
    func iltNetPremium() throws {
        let r = try ActuarialCalculator.price(basis: S.basis(.wholeLife, mortality: S.ilt, interest: 0.06, loadings: .none),
                                              coverage: "main", gender: .male, age: 40, termYears: 1, payYears: 71,
                                              sumInsured: 1_000, frequency: .annual)
        // Printed precision of the inputs (±0.005 on 161.32, ±0.00005 on 14.8166) allows ±0.0004.
        #expect(abs(r.netAnnualPremium - 161.32 / 14.8166) <= 0.0004, "\(r.netAnnualPremium)")
        #expect(r.coverageYears == 71, "whole life runs to the table's end age 110: n = 110 - 40 + 1")
    }

    @Test("identities: Ax = 1 − d·äx (whole life) and Ax:n = 1 − d·äx:n (endowment), exactly")
    func identities() throws {
        for (basis, i) in [(S.sult, 0.05), (S.ilt, 0.06), (S.korean, 0.025)] {
            let t = CommutationTable(basis: basis, gender: .female, interest: i)
            let d = i / (1 + i)
            for x in [30, 45, 60] {
                let a = try #require(t.wholeLifeAnnuityDue(age: x)), ax = try #require(t.wholeLifeInsurance(age: x))
                #expect(abs(ax - (1 - d * a)) < 1e-12)
                let an = try #require(t.annuityDue(age: x, years: 15))
                let endow = try #require(t.termInsurance(age: x, years: 15)) + t.pureEndowment(age: x, years: 15)!
                #expect(abs(endow - (1 - d * an)) < 1e-12)
            }
        }
    }
}
