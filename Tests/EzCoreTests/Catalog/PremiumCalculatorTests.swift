import Testing
import Foundation
@testable import EzCore

@Suite("Catalog: premium calculation")
struct PremiumCalculatorTests {
    typealias S = CatalogSample

    @Test("main coverage: sum insured / per x rate x modal factor, with audit steps")
    func mainCoverage() throws {
        let b = try PremiumCalculator.quote(version: S.version(), gender: .male, age: 40, quote: S.quote())
        #expect(b.components.count == 1)
        let c = b.components[0]
        #expect(c.coverage == "main" && c.sumInsured == 30_000_000 && c.rate == 1.234 && c.per == 10_000)
        #expect(c.modalFactor == 1.0)
        #expect(abs(c.rawAmount - 3_702) < 1e-9)
        #expect(b.premium == 3_700)          // floor to 10
        #expect(b.annualPremium == 3_700 * 12)
        #expect(b.frequency == .monthly)
        #expect(b.versionId == "P00000009-v1")
        #expect(b.steps.contains("main (테스트보험): 30,000,000 / 10,000 x 1.234 (M, age 40, term 20/20) x 1.0 (monthly) = 3,702.000000"))
        #expect(b.steps.contains { $0.contains("3,702.000000 -> 3,700 KRW per monthly payment") })
        #expect(b.steps.last == "annual premium: 3,700 x 12 payments = 44,400 KRW")
    }

    @Test("rounding modes apply once to the total; 6-decimal guard against float noise",
          arguments: [(Rounding.Mode.floor, Int64(3_700)), (.roundHalfUp, 3_710), (.ceil, 3_710)])
    func roundingModes(mode: Rounding.Mode, expected: Int64) throws {
        // 3,000 x 1.235 is 3704.9999999999995 or 3705.0000000000005 in binary; 6 decimals make it 3,705.
        let v = S.version(rounding: Rounding(unit: 10, mode: mode))
        let b = try PremiumCalculator.quote(version: v, gender: .male, age: 41, quote: S.quote())
        #expect(b.premium == expected)
    }

    @Test("Rounding.apply in integer micro-won")
    func roundingApply() {
        #expect(Rounding(unit: 10, mode: .floor).apply(3_709.999_999_9) == 3_710) // 6 decimals first
        #expect(Rounding(unit: 10, mode: .floor).apply(3_709.99) == 3_700)
        #expect(Rounding(unit: 10, mode: .roundHalfUp).apply(3_704.999_999) == 3_700)
        #expect(Rounding(unit: 10, mode: .roundHalfUp).apply(3_705) == 3_710)
        #expect(Rounding(unit: 10, mode: .ceil).apply(3_700.000_000_1) == 3_700)
        #expect(Rounding(unit: 10, mode: .ceil).apply(3_700.01) == 3_710)
        #expect(Rounding(unit: 1, mode: .roundHalfUp).apply(0.5) == 1)
        #expect(Rounding(unit: 100, mode: .floor).apply(12_345) == 12_300)
    }

    @Test("riders are priced with their own tables and rounded together with the main coverage")
    func riders() throws {
        // main 3,702 + R1 5,000,000/10,000 x 0.8 = 400 + R2 3,000,000/10,000 x 0.8 = 240 -> 4,342 -> 4,340
        let q = S.quote(riders: [RiderSelection(code: "R1", sumInsured: 5_000_000),
                                 RiderSelection(code: "R2", sumInsured: 3_000_000)])
        let b = try PremiumCalculator.quote(version: S.version(), gender: .male, age: 40, quote: q)
        #expect(b.components.map(\.coverage) == ["main", "R1", "R2"])
        #expect(abs(b.rawTotal - 4_342) < 1e-9)
        #expect(b.premium == 4_340)
        #expect(b.steps.contains("R1 (수술특약): 5,000,000 / 10,000 x 0.8 (M, age 40) x 1.0 (monthly) = 400.000000"))
        #expect(b.steps.contains("total: 3,702.000000 + 400.000000 + 240.000000 = 4,342.000000"))
        // Rounding each component first would give 3,700 + 400 + 240 = 4,340 here but must not be relied on:
        // with half-up, 3,705 + 405 -> 4,110 (total) versus 3,710 + 410 = 4,120 (per component).
        let v = S.version(rounding: Rounding(unit: 10, mode: .roundHalfUp))
        let riderTable = RateTable(per: 10_000, modalFactors: [.monthly: 1.0], byTerm: false,
                                   rows: [.init(gender: .male, ageFrom: 40, rates: [0.81, 0.81])])
        var v2 = v
        v2.riders[0].rateTable = riderTable
        let b2 = try PremiumCalculator.quote(version: v2, gender: .male, age: 41,
                                             quote: S.quote(riders: [RiderSelection(code: "R1", sumInsured: 5_000_000)]))
        #expect(b2.premium == 4_110)
    }

    @Test("annual frequency uses the modal factor; annual premium is one payment")
    func annual() throws {
        var v = S.version(rounding: Rounding(unit: 10, mode: .roundHalfUp))
        v.paymentFrequencies = [.monthly, .annual]
        let b = try PremiumCalculator.quote(version: v, gender: .female, age: 40,
                                            quote: S.quote(term: 10, pay: 10, frequency: .annual))
        // 30,000,000 / 10,000 x 0.9 x 11.7 = 31,590
        #expect(b.components[0].modalFactor == 11.7)
        #expect(b.premium == 31_590)
        #expect(b.annualPremium == 31_590)
    }

    @Test("typed errors: no rate, no modal factor, unknown rider")
    func errors() {
        let v = S.version()
        #expect(throws: PricingError.noRate(coverage: "main", gender: .male, age: 42, term: S.term20)) {
            try PremiumCalculator.quote(version: v, gender: .male, age: 42, quote: S.quote())
        }
        #expect(throws: PricingError.noRate(coverage: "main", gender: .male, age: 40,
                                            term: TermOption(termYears: 30, payYears: 30))) {
            try PremiumCalculator.quote(version: v, gender: .male, age: 40, quote: S.quote(term: 30, pay: 30))
        }
        var noAnnual = v
        noAnnual.pricing = .rateTable(RateTable(per: 10_000, modalFactors: [.monthly: 1], byTerm: true,
                                                rows: S.mainTable.rows))
        #expect(throws: PricingError.noModalFactor(coverage: "main", frequency: .annual)) {
            try PremiumCalculator.quote(version: noAnnual, gender: .male, age: 40, quote: S.quote(frequency: .annual))
        }
        #expect(throws: PricingError.unknownRider(code: "R9")) {
            try PremiumCalculator.quote(version: v, gender: .male, age: 40,
                                        quote: S.quote(riders: [RiderSelection(code: "R9", sumInsured: 1_000_000)]))
        }
    }

    @Test("rate table lookup returns nil outside the table")
    func lookup() {
        let t = S.mainTable
        #expect(t.rate(gender: .female, age: 41, term: S.term20) == 1.2)
        #expect(t.rate(gender: .female, age: 39, term: S.term20) == nil)
        #expect(t.rate(gender: .female, age: 41, term: TermOption(termYears: 20, payYears: 10)) == nil)
        #expect(S.riderTable.rate(gender: .male, age: 41, term: TermOption(termYears: 99, payYears: 1)) == 0.9)
        #expect(t.modalFactor(for: .annual) == 11.7)
    }

    @Test("breakdown round-trips through Codable")
    func codable() throws {
        let b = try PremiumCalculator.quote(version: S.version(), gender: .male, age: 40,
                                            quote: S.quote(riders: [RiderSelection(code: "R2", sumInsured: 1_000_000)]))
        let data = try JSONEncoder().encode(b)
        #expect(try JSONDecoder().decode(PremiumBreakdown.self, from: data) == b)
        let v = S.version()
        #expect(try JSONDecoder().decode(ProductVersion.self, from: JSONEncoder().encode(v)) == v)
    }
}
