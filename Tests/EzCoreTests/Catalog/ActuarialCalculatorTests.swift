import Foundation
import Testing
@testable import EzCore

@Suite("Actuarial: gross premium, Woolhouse, riders, rounding")
struct ActuarialCalculatorTests {
    typealias S = ActuarialSample

    @Test("gross annual premium = S (A + α + γ ä:m + γ' (ä:n − ä:m)) / ((1 − β) ä:m), from the commutation functions")
    func grossFormula() throws {
        let basis = S.basis(.endowment)
        let v = try ActuarialCalculator.price(basis: basis, coverage: "main", gender: .female, age: 50, termYears: 20,
                                              payYears: 10, sumInsured: 20_000_000, frequency: .annual)
        let t = CommutationTable(basis: basis.mortality, gender: .female, interest: 0.025)
        let aPay = (t.N(50)! - t.N(60)!) / t.D(50)!, aCover = (t.N(50)! - t.N(70)!) / t.D(50)!
        let a = (t.M(50)! - t.M(70)!) / t.D(50)! + t.D(70)! / t.D(50)!
        let expected = 20_000_000 * (a + 0.03 + 0.002 * aPay + 0.001 * (aCover - aPay)) / (0.95 * aPay)
        #expect(abs(v.annuityPay - aPay) < 1e-12 && abs(v.annuityCover - aCover) < 1e-12 && abs(v.insurance - a) < 1e-12)
        #expect(abs(v.grossAnnualPremium - expected) < 1e-6)
        #expect(abs(v.netAnnualPremium - 20_000_000 * a / aPay) < 1e-6)
        #expect(v.premiumPerPayment == v.grossAnnualPremium)
        #expect(v.grossAnnualPremium > v.netAnnualPremium)
        // The explanation substitutes the numbers.
        let steps = PremiumSteps.actuarial(coverage: "main", sumInsured: 20_000_000, v)
        #expect(steps.contains { $0.hasPrefix("main: ä_{50:10} = (N_50 - N_60) / D_50 = (") })
        #expect(steps.contains { $0.contains("gross annual premium G = S x (A + alpha") && $0.contains("20,000,000 x (") })
    }

    @Test("monthly premium: Woolhouse ä(12)x:m = äx:m − 11/24 (1 − mEx), monthly = numerator / ((1 − β) 12 ä(12))")
    func woolhouse() throws {
        let basis = S.basis(.term)
        let annual = try ActuarialCalculator.price(basis: basis, coverage: "main", gender: .male, age: 40, termYears: 20,
                                                   payYears: 20, sumInsured: 100_000_000, frequency: .annual)
        let monthly = try ActuarialCalculator.price(basis: basis, coverage: "main", gender: .male, age: 40, termYears: 20,
                                                    payYears: 20, sumInsured: 100_000_000, frequency: .monthly)
        let a12 = try #require(monthly.woolhouseAnnuity)
        #expect(abs(a12 - (annual.annuityPay - 11.0 / 24.0 * (1 - annual.pureEndowmentPay))) < 1e-12)
        #expect(abs(monthly.premiumPerPayment * 12 * a12 - annual.grossAnnualPremium * annual.annuityPay) < 1e-6)
        // Twelve monthly premiums cost more than one annual premium (interest and mortality
        // within the year), but by less than 3% here.
        #expect(monthly.premiumPerPayment * 12 > annual.premiumPerPayment)
        #expect(monthly.premiumPerPayment * 12 < annual.premiumPerPayment * 1.03)
        #expect(annual.woolhouseAnnuity == nil)
    }

    @Test("whole life is priced to the table's end age; gamma' applies after the payment term")
    func wholeLife() throws {
        let basis = S.basis(.wholeLife)
        let v = try ActuarialCalculator.price(basis: basis, coverage: "main", gender: .male, age: 40, termYears: 40,
                                              payYears: 20, sumInsured: 10_000_000, frequency: .annual)
        #expect(v.coverageYears == 110 - 40 + 1)
        let t = CommutationTable(basis: basis.mortality, gender: .male, interest: 0.025)
        #expect(abs(v.insurance - t.wholeLifeInsurance(age: 40)!) < 1e-12)
        #expect(abs(v.annuityCover - t.wholeLifeAnnuityDue(age: 40)!) < 1e-12)
        #expect(v.pureEndowment == 0)
        var cheaper = basis
        cheaper.loadings.gammaAfterPayment = 0
        let w = try ActuarialCalculator.price(basis: cheaper, coverage: "main", gender: .male, age: 40, termYears: 40,
                                              payYears: 20, sumInsured: 10_000_000, frequency: .annual)
        let diff = 10_000_000 * 0.001 * (v.annuityCover - v.annuityPay) / (0.95 * v.annuityPay)
        #expect(abs(v.grossAnnualPremium - w.grossAnnualPremium - diff) < 1e-6)
    }

    @Test("ages or terms outside the table, and pay years above the term, are pricing errors")
    func errors() {
        #expect(throws: PricingError.outsideMortalityTable(coverage: "main", table: "kr-illustrative", age: 10, years: 20)) {
            try S.premium(S.basis(.term), age: 10, term: 20, pay: 20)
        }
        #expect(throws: PricingError.outsideMortalityTable(coverage: "main", table: "kr-illustrative", age: 95, years: 20)) {
            try S.premium(S.basis(.term), age: 95, term: 20, pay: 20)
        }
        #expect(throws: PricingError.actuarialTerm(coverage: "main", detail: "pay years 30 must be 1 to coverage years 20")) {
            try S.premium(S.basis(.term), age: 40, term: 20, pay: 30)
        }
    }

    @Test("riders are priced by their own method and added; rounding once on the total")
    func ridersAndRounding() throws {
        let v = S.version()
        let q = CatalogSample.quote(sumInsured: 30_000_000, term: 20, pay: 10, frequency: .monthly,
                                    riders: [RiderSelection(code: "R1", sumInsured: 5_000_000),
                                             RiderSelection(code: "R2", sumInsured: 2_000_000)])
        let b = try PremiumCalculator.quote(version: v, gender: .male, age: 45, quote: q)
        #expect(b.components.map(\.coverage) == ["main", "R1", "R2"])
        #expect(b.components.map(\.method) == ["actuarial", "actuarial", "rate_table"])
        #expect(b.components[0].actuarial?.payYears == 10 && b.components[1].actuarial?.coverageYears == 20)
        #expect(b.components[2].rawAmount == 2_000_000.0 / 10_000 * 0.5)
        let main = try S.premium(S.basis(.term), age: 45, term: 20, pay: 10, sumInsured: 30_000_000, frequency: .monthly)
        #expect(abs(b.components[0].rawAmount - main) < 1e-9)
        #expect(abs(b.rawTotal - b.components.reduce(0) { $0 + $1.rawAmount }) < 1e-9)
        #expect(b.premium == Rounding(unit: 10, mode: .floor).apply(b.rawTotal))
        #expect(b.annualPremium == b.premium * 12)
        // The equivalent rate reproduces the raw amount: S / per × rate × 1.
        let c = b.components[0]
        #expect(abs(Double(c.sumInsured) / Double(c.per) * c.rate * c.modalFactor - c.rawAmount) < 1e-6)
    }

    @Test("a breakdown saved before actuarial pricing (no method, no actuarial) still decodes; new ones round-trip")
    func codableCompatibility() throws {
        let old = """
        {"version_id":"P00000001-v1","premium":23760,"frequency":"monthly","annual_premium":285120,\
        "components":[{"coverage":"main","name":"치아보험","sum_insured":3000000,"rate":79.23,"per":10000,\
        "modal_factor":1,"raw_amount":23769}],"raw_total":23769,"rounding":{"unit":10,"mode":"floor"},"steps":["x"]}
        """
        let decoded = try JSONDecoder().decode(PremiumBreakdown.self, from: Data(old.utf8))
        #expect(decoded.components[0].method == nil && decoded.components[0].actuarial == nil)
        #expect(decoded.premium == 23_760)
        #expect(decoded.steps == ["x"] && decoded.quote == nil)
        let b = try PremiumCalculator.quote(version: S.version(), gender: .female, age: 30,
                                            quote: CatalogSample.quote(sumInsured: 30_000_000, term: 20, pay: 20))
        let again = try JSONDecoder().decode(PremiumBreakdown.self, from: JSONEncoder().encode(b))
        #expect(again == b)
    }

    @Test("a term plan at a known basis: male 52, 20/20, 100,000,000 annual on the P00000005-v2 basis = 113,390 KRW")
    func knownPlan() throws {
        var basis = S.basis(.term, loadings: ExpenseLoadings(alpha: 0.002, beta: 0.08, gamma: 0.0001))
        basis.mortality.maleScale = 0.12
        basis.mortality.femaleScale = 0.10
        var v = S.version()
        v.pricing = .actuarial(basis)
        v.terms = [TermOption(termYears: 20, payYears: 20)]
        let b = try PremiumCalculator.quote(version: v, gender: .male, age: 52,
                                            quote: CatalogSample.quote(sumInsured: 100_000_000, frequency: .annual))
        // ä52:20 = 15.893594, A1 52:20 = 0.012992 (printed by `explain PL00000010` in the demo).
        let a = try #require(b.components[0].actuarial)
        #expect(CatalogText.fixed(a.annuityPay, 6) == "15.893594")
        #expect(CatalogText.fixed(a.termInsurance, 6) == "0.012992")
        #expect(b.premium == 113_390)
        #expect(b.steps.contains("main: ä_{52:20} = (N_52 - N_72) / D_52 = (809,798.9687 - 371,724.0583) / 27,562.9858 = 15.893594"))
        #expect(b.steps.last == "annual premium: 113,390 x 1 payments = 113,390 KRW")
    }
}
