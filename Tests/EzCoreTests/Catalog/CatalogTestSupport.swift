@testable import EzCore

/// Tiny hand-made products for the catalog tests.
enum CatalogSample {
    static func date(_ text: String) -> BusinessDate { BusinessDate(text)! }

    /// Insurance age `years` at 2025-03-01 (born on 1 January, two months past the birthday).
    static func age(_ years: Int) -> InsuranceAge {
        InsuranceAge(birth: BusinessDate(year: 2025 - years, month: 1, day: 1)!, at: date("2025-03-01"))!
    }

    static let term10 = TermOption(termYears: 10, payYears: 10)
    static let term20 = TermOption(termYears: 20, payYears: 20)

    /// Main table: per 10,000, monthly, by term. M age 40 term 20/20 = 1.234, age 41 = 1.235.
    static let mainTable = RateTable(
        per: 10_000, baseFrequency: .monthly, modalFactors: [.monthly: 1.0, .annual: 11.7], byTerm: true,
        rows: [
            .init(gender: .male, term: term10, ageFrom: 40, rates: [1.0, 1.1]),
            .init(gender: .male, term: term20, ageFrom: 40, rates: [1.234, 1.235]),
            .init(gender: .female, term: term10, ageFrom: 40, rates: [0.9, 1.0]),
            .init(gender: .female, term: term20, ageFrom: 40, rates: [1.1, 1.2]),
        ])

    /// Rider table: per 10,000, not by term: M 0.8 / 0.9, F 0.5 / 0.6 at ages 40, 41.
    static let riderTable = RateTable(
        per: 10_000, modalFactors: [.monthly: 1.0, .annual: 11.7], byTerm: false,
        rows: [
            .init(gender: .male, ageFrom: 40, rates: [0.8, 0.9]),
            .init(gender: .female, ageFrom: 40, rates: [0.5, 0.6]),
        ])

    static func version(code: String = "P00000009", version: Int = 1,
                        from: String = "2025-01-01", to: String? = nil,
                        rounding: Rounding = Rounding(unit: 10, mode: .floor),
                        requireOccupation: Bool = true) -> ProductVersion {
        ProductVersion(
            code: code, version: version, name: "테스트보험", kind: .health,
            effectiveFrom: date(from), effectiveTo: to.map(date),
            entryAge: 40...41, terms: [term10, term20], maxExpiryAge: 60,
            sumInsured: SumInsuredRule(min: 10_000_000, max: 50_000_000, step: 1_000_000),
            paymentFrequencies: [.monthly],
            riders: [
                RiderSpec(code: "R1", name: "수술특약",
                          sumInsured: SumInsuredRule(min: 1_000_000, max: 5_000_000, step: 1_000_000),
                          rateTable: riderTable, entryAge: 40...40),
                RiderSpec(code: "R2", name: "입원특약",
                          sumInsured: SumInsuredRule(min: 1_000_000, max: 3_000_000, step: 1_000_000),
                          rateTable: riderTable),
            ],
            underwriting: UnderwritingRules(maxAggregateSumInsured: 80_000_000, maxOccupationClass: 3,
                                            requireOccupationClass: requireOccupation),
            document: ProductDocument(title: "테스트보험 상품설명서", sections: [.init(heading: "개요", body: "테스트")]),
            pricing: .rateTable(mainTable), rounding: rounding)
    }

    static func quote(sumInsured: Int64 = 30_000_000, term: Int = 20, pay: Int = 20,
                      frequency: PaymentFrequency = .monthly, riders: [RiderSelection] = [],
                      product: String = "P00000009") -> QuoteInput {
        QuoteInput(customerNo: "C1", productCode: product, sumInsured: sumInsured, termYears: term,
                   payYears: pay, paymentFrequency: frequency, riders: riders)
    }
}
