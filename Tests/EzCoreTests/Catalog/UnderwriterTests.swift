import Testing
@testable import EzCore

@Suite("Catalog: underwriting")
struct UnderwriterTests {
    typealias S = CatalogSample

    /// An input every rule accepts: age 40, class 2, 30,000,000 of 80,000,000 aggregate, term 20/20.
    static func input(age: Int = 40, occupation: Int? = 2, existing: Int64 = 0,
                      quote: QuoteInput = S.quote(), version: ProductVersion = S.version()) -> UnderwritingInput {
        UnderwritingInput(version: version, insuranceAge: S.age(age), gender: .male, occupationClass: occupation,
                          quote: quote, existingAggregateSumInsured: existing)
    }

    @Test("a plan within every rule is accepted, and every rule says so")
    func accepted() {
        let input = Self.input(quote: S.quote(riders: [RiderSelection(code: "R1", sumInsured: 2_000_000)]))
        #expect(Underwriter.evaluate(input).isEmpty)
        let verdicts = Underwriter.verdicts(input)
        #expect(verdicts.allSatisfy { $0.passed })
        #expect(Array(verdicts.map(\.rule).prefix(Underwriter.rules.count)) == Underwriter.rules)
        #expect(verdicts.map(\.rule).suffix(Underwriter.riderRules.count) == Underwriter.riderRules.map { $0 + "[R1]" }[...])
        #expect(verdicts.contains { $0.description == "PASS entry_age: insurance age 40 within 40..41" })
    }

    @Test("each rule failing alone gives exactly its reason",
          arguments: [
            ("PRODUCT_MISMATCH", "product_code", input(quote: S.quote(product: "P00000001"))),
            ("PAYMENT_FREQUENCY", "payment_frequency", input(quote: S.quote(frequency: .annual))),
            ("ENTRY_AGE", "birth_date", input(version: { var v = S.version(); v.entryAge = 41...41; return v }())),
            ("TERM_NOT_ALLOWED", "term_years", input(quote: S.quote(term: 20, pay: 10))),
            ("EXPIRY_AGE", "term_years", input(version: { var v = S.version(); v.maxExpiryAge = 59; return v }())),
            ("SUM_INSURED_MIN", "sum_insured", input(version: { var v = S.version(); v.sumInsured.min = 31_000_000; return v }())),
            ("SUM_INSURED_MAX", "sum_insured", input(version: { var v = S.version(); v.sumInsured.max = 29_000_000; return v }())),
            ("SUM_INSURED_STEP", "sum_insured", input(quote: S.quote(sumInsured: 30_500_000))),
            ("AGGREGATE_SUM_INSURED", "sum_insured", input(existing: 50_000_001)),
            ("OCCUPATION_CLASS_MISSING", "occupation_class", input(occupation: nil)),
            ("OCCUPATION_CLASS", "occupation_class", input(occupation: 4)),
            ("RIDER_UNKNOWN", "riders[0].code", input(quote: S.quote(riders: [RiderSelection(code: "R9", sumInsured: 1_000_000)]))),
            ("RIDER_DUPLICATE", "riders[1].code", input(quote: S.quote(riders: [RiderSelection(code: "R2", sumInsured: 1_000_000),
                                                                               RiderSelection(code: "R2", sumInsured: 1_000_000)]))),
            ("RIDER_SUM_INSURED_MIN", "riders[0].sum_insured", input(quote: S.quote(riders: [RiderSelection(code: "R1", sumInsured: 0)]))),
            ("RIDER_SUM_INSURED_MAX", "riders[0].sum_insured", input(quote: S.quote(riders: [RiderSelection(code: "R1", sumInsured: 6_000_000)]))),
            ("RIDER_SUM_INSURED_STEP", "riders[0].sum_insured", input(quote: S.quote(riders: [RiderSelection(code: "R1", sumInsured: 1_500_000)]))),
            ("RIDER_ENTRY_AGE", "riders[0].code", input(age: 41, quote: S.quote(term: 10, pay: 10, riders: [RiderSelection(code: "R1", sumInsured: 1_000_000)]))),
          ] as [(String, String, UnderwritingInput)])
    func failsAlone(code: String, field: String, input: UnderwritingInput) {
        let reasons = Underwriter.evaluate(input)
        #expect(reasons.map(\.code) == [code])
        #expect(reasons.first?.field == field)
        #expect(reasons.first?.message.isEmpty == false)
        #expect(Underwriter.verdicts(input).filter { !$0.passed }.count == 1)
    }

    @Test("not stating the occupation class is fine when the product does not require it")
    func occupationOptional() {
        #expect(Underwriter.evaluate(Self.input(occupation: nil, version: S.version(requireOccupation: false))).isEmpty)
    }

    @Test("Korean messages carry the numbers")
    func messages() {
        var v = S.version()
        v.entryAge = 20...39
        let reasons = Underwriter.evaluate(Self.input(age: 40, occupation: 4, existing: 60_000_000,
                                                      quote: S.quote(sumInsured: 5_000_000), version: v))
        let byCode = Dictionary(uniqueKeysWithValues: reasons.map { ($0.code, $0.message) })
        #expect(byCode["ENTRY_AGE"] == "가입나이(40세)가 가입가능나이(20~39세)를 벗어났습니다")
        #expect(byCode["SUM_INSURED_MIN"] == "가입금액(5,000,000원)이 최저가입금액(10,000,000원)보다 적습니다")
        #expect(byCode["OCCUPATION_CLASS"] == "직업급수(4급)가 가입가능 직업급수(3급 이하)를 초과합니다")
        #expect(byCode["AGGREGATE_SUM_INSURED"] == nil) // 65,000,000 <= 80,000,000
    }

    @Test("every failing rule is reported, in rule order, never stopping at the first")
    func severalAtOnce() {
        var v = S.version()
        v.maxExpiryAge = 55
        let q = QuoteInput(customerNo: "C1", productCode: "P00000009", sumInsured: 60_500_000,
                           termYears: 20, payYears: 10, paymentFrequency: .annual,
                           riders: [RiderSelection(code: "R1", sumInsured: 9_000_000),
                                    RiderSelection(code: "RX", sumInsured: 1),
                                    RiderSelection(code: "R1", sumInsured: 1_000_000)])
        let input = UnderwritingInput(version: v, insuranceAge: S.age(42), gender: .female, occupationClass: 5,
                                      quote: q, existingAggregateSumInsured: 30_000_000)
        let reasons = Underwriter.evaluate(input)
        #expect(reasons.map(\.code) == [
            "PAYMENT_FREQUENCY", "ENTRY_AGE", "TERM_NOT_ALLOWED", "EXPIRY_AGE", "SUM_INSURED_MAX",
            "SUM_INSURED_STEP", "AGGREGATE_SUM_INSURED", "OCCUPATION_CLASS",
            "RIDER_SUM_INSURED_MAX", "RIDER_ENTRY_AGE",
            "RIDER_UNKNOWN",
            "RIDER_DUPLICATE", "RIDER_ENTRY_AGE",
        ])
        #expect(reasons.map(\.field).suffix(3) == ["riders[1].code", "riders[2].code", "riders[2].code"])
        let verdicts = Underwriter.verdicts(input)
        #expect(verdicts.filter { !$0.passed }.map(\.reason) == reasons.map(Optional.some))
        #expect(verdicts.contains { $0.description == "FAIL expiry_age: age at expiry 42 + 20 = 62 <= 55" })
    }
}
