import EzAdapters
import EzCore
import Foundation
import Testing

@Suite("Catalog: actuarial pricing in product files")
struct ActuarialCatalogTests {
    static let shipped = CatalogLoader.load(directory: CatalogTestPaths.shippedCatalog)
    static let library = MortalityTableFileTests.shipped.library

    static let yaml = """
    code: P90000011
    name: 테스트종신
    versions:
      - version: 1
        kind: whole_life
        effective_from: 2025-01-01
        entry_age: {min: 20, max: 60}
        terms: [{term_years: 40, pay_years: 10}, {term_years: 40, pay_years: 20}]
        max_expiry_age: 100
        sum_insured: {min: 10_000_000, max: 100_000_000, step: 10_000_000}
        payment_frequencies: [monthly, annual]
        underwriting: {max_aggregate_sum_insured: 200_000_000, max_occupation_class: 5, require_occupation_class: false}
        rounding: {unit: 10, mode: round_half_up}
        document: {title: 테스트 상품설명서, sections: [{heading: 개요, body: 테스트}]}
        riders:
          - code: R1
            name: 정기특약
            sum_insured: {min: 1_000_000, max: 50_000_000, step: 1_000_000}
            actuarial:
              mortality: {makeham: {a: 0.00022, b: 2.7e-6, c: 1.124, from_age: 20, to_age: 120}}
              interest: 0.025
              loadings: {alpha: 0.005, beta: 0.08, gamma: 0.0003}
        pricing:
          actuarial:
            mortality: {table: sult, scale: {F: 0.8}}
            interest: 0.0275
            loadings: {alpha: 0.04, beta: 0.06, gamma: 0.002, gamma_after_payment: 0.0005}
    """

    @Test("a whole-life product with a table, a scale and a Makeham rider parses into the basis it states")
    func parses() throws {
        let r = CatalogLoader.parse(yaml: Self.yaml, file: "t.yaml", mortality: Self.library)
        #expect(r.diagnostics == [])
        let v = try #require(r.versions.first)
        let basis = try #require(v.pricing.actuarial)
        #expect(basis.benefit == .wholeLife && basis.interest == 0.0275)
        #expect(basis.mortality.origin == .table("sult") && basis.mortality.femaleScale == 0.8 && basis.mortality.maleScale == 1)
        #expect(basis.loadings == ExpenseLoadings(alpha: 0.04, beta: 0.06, gamma: 0.002, gammaAfterPayment: 0.0005))
        let rider = try #require(v.riders.first?.pricing.actuarial)
        #expect(rider.benefit == .term, "an actuarial rider defaults to term cover")
        #expect(rider.mortality.origin == .makeham(MakehamLaw(a: 0.00022, b: 2.7e-6, c: 1.124)))
        #expect(rider.mortality.table.lastAge == 120 && rider.mortality.table.q(age: 120, gender: .male) == 1)
        // Whole life falls as the payment term lengthens.
        let q = { (pay: Int) in QuoteInput(customerNo: "C1", productCode: "P90000011", sumInsured: 50_000_000,
                                           termYears: 40, payYears: pay, paymentFrequency: .annual,
                                           riders: [RiderSelection(code: "R1", sumInsured: 10_000_000)]) }
        let ten = try PremiumCalculator.quote(version: v, gender: .female, age: 40, quote: q(10))
        let twenty = try PremiumCalculator.quote(version: v, gender: .female, age: 40, quote: q(20))
        #expect(twenty.premium < ten.premium)
        #expect(ten.components.map(\.method) == ["actuarial", "actuarial"])
    }

    @Test("without the mortality table, its name is an error at the name's line and column")
    func missingTable() {
        let r = CatalogLoader.parse(yaml: Self.yaml, file: "t.yaml")
        #expect(r.diagnostics.map(\.description) == [
            "t.yaml:25:28: error: versions[0].pricing.actuarial.mortality.table: no mortality table 'sult' in mortality (available: none)",
        ])
    }

    @Test("the shipped catalog: P00000003 and P00000005 switch to actuarial v2 on 2026-07-01; the others stay on rate tables")
    func shippedVersions() throws {
        #expect(Self.shipped.diagnostics.map(\.description) == [])
        let catalog = try #require(Self.shipped.catalog)
        let d = { (s: String) in BusinessDate(s)! }
        for code in ["P00000003", "P00000005"] {
            #expect(catalog.version(code: code, on: d("2026-06-30"))?.pricing.method == "rate_table")
            #expect(catalog.version(code: code, on: d("2026-07-01"))?.versionId == "\(code)-v2")
            #expect(catalog.version(code: code, on: d("2026-07-01"))?.pricing.method == "actuarial")
        }
        for code in ["P00000001", "P00000002", "P00000004"] {
            #expect(catalog.version(code: code, on: d("2026-12-01"))?.pricing.method == "rate_table")
        }
        let term = try #require(catalog.version(id: "P00000005-v2")?.pricing.actuarial)
        #expect(term.benefit == .term && term.interest == 0.025 && term.mortality.maleScale == 0.12)
        let silver = try #require(catalog.version(id: "P00000003-v2"))
        #expect(silver.kind == .endowment && silver.pricing.actuarial?.interest == 0.0225)
        #expect(silver.riders.map { $0.pricing.method } == ["rate_table"])
        #expect(catalog.version(id: "P00000005-v2")?.riders.map { $0.pricing.method } == ["actuarial"])
    }

    @Test("the demo plans price as documented: C1005 P00000005 annual 113,390; C3001 P00000003 monthly 168,620; C2002 annual 864,080",
          arguments: [
            ("P00000005", Gender.male, 52, Int64(100_000_000), 20, 20, PaymentFrequency.annual, Int64(113_390)),
            ("P00000003", .female, 56, 20_000_000, 10, 10, .monthly, 168_620),
            ("P00000003", .female, 65, 10_000_000, 20, 10, .annual, 864_080),
          ] as [(String, Gender, Int, Int64, Int, Int, PaymentFrequency, Int64)])
    func demoPremiums(code: String, gender: Gender, age: Int, sum: Int64, term: Int, pay: Int,
                      frequency: PaymentFrequency, premium: Int64) throws {
        let catalog = try #require(Self.shipped.catalog)
        let v = try #require(catalog.version(code: code, on: BusinessDate("2026-12-01")!))
        let b = try PremiumCalculator.quote(version: v, gender: gender, age: age, quote: QuoteInput(
            customerNo: "C1", productCode: code, sumInsured: sum, termYears: term, payYears: pay, paymentFrequency: frequency))
        #expect(b.premium == premium)
    }

    @Test("every actuarial version prices every entry age, term, gender and frequency it sells, rising with age for term cover")
    func completeness() throws {
        let catalog = try #require(Self.shipped.catalog)
        for v in catalog.allVersions where v.pricing.actuarial != nil {
            for term in v.terms {
                for gender in Gender.allCases {
                    var previous: Int64 = 0
                    for age in v.entryAge where age + term.termYears <= v.maxExpiryAge {
                        for frequency in v.paymentFrequencies {
                            let riders = v.riders.filter { ($0.entryAge ?? v.entryAge).contains(age) }
                                .map { RiderSelection(code: $0.code, sumInsured: $0.sumInsured.min) }
                            let b = try PremiumCalculator.quote(version: v, gender: gender, age: age, quote: QuoteInput(
                                customerNo: "C1", productCode: v.code, sumInsured: v.sumInsured.min, termYears: term.termYears,
                                payYears: term.payYears, paymentFrequency: frequency, riders: riders))
                            #expect(b.premium > 0)
                            if frequency == .annual && v.kind == .term {
                                #expect(b.premium >= previous, "\(v.versionId) \(gender) \(age) \(term)")
                                previous = b.premium
                            }
                        }
                    }
                }
            }
        }
    }
}
