import Testing
@testable import EzCore

@Suite("Quoting (가입설계)")
struct QuotingTests {
    static let t10 = TermOption(termYears: 10, payYears: 10)
    static let t20 = TermOption(termYears: 20, payYears: 20)

    static func table(male40: Double) -> RateTable {
        RateTable(per: 10_000, baseFrequency: .monthly, modalFactors: [.monthly: 1.0, .annual: 11.7], byTerm: true,
                  rows: [.init(gender: .male, term: t20, ageFrom: 40, rates: [male40, 1.3]),
                         .init(gender: .male, term: t10, ageFrom: 40, rates: [0.5, 0.6]),
                         .init(gender: .female, term: t20, ageFrom: 40, rates: [1.0, 1.1])])
    }

    static func version(_ v: Int, from: String, to: String?, rate: Double, validity: Int) -> ProductVersion {
        ProductVersion(
            code: "P00000077", version: v, name: "테스트건강보험", kind: .health,
            effectiveFrom: DomainFx.d(from), effectiveTo: to.map(DomainFx.d),
            entryAge: 40...45, terms: [t10, t20], maxExpiryAge: 65,
            sumInsured: SumInsuredRule(min: 10_000_000, max: 50_000_000, step: 1_000_000),
            paymentFrequencies: [.monthly, .annual],
            underwriting: UnderwritingRules(maxAggregateSumInsured: 80_000_000, maxOccupationClass: 3,
                                            requireOccupationClass: true),
            quoteValidityDays: validity,
            document: ProductDocument(title: "테스트건강보험 상품설명서", sections: [.init(heading: "개요", body: "테스트")]),
            pricing: .rateTable(table(male40: rate)), rounding: Rounding(unit: 10, mode: .floor))
    }

    /// v1 until 2025-06-30 (30-day quotes), v2 from 2025-07-01 (14-day quotes, higher rate).
    static let catalog = ProductCatalog([
        version(1, from: "2025-01-01", to: "2025-06-30", rate: 1.2345, validity: 30),
        version(2, from: "2025-07-01", to: nil, rate: 2.0, validity: 14),
    ])

    static func input(sum: Int64 = 20_000_000, term: Int = 20, pay: Int = 20,
                      frequency: PaymentFrequency = .monthly, product: String = "P00000077") -> QuoteInput {
        QuoteInput(customerNo: "C00000001", productCode: product, sumInsured: sum, termYears: term, payYears: pay,
                   paymentFrequency: frequency)
    }

    static func quote(_ input: QuoteInput = input(), customer: Customer = DomainFx.customer(),
                      on date: String = "2025-03-01", held: Int64 = 0) throws(Quoting.Failure) -> Quoting.Result {
        try Quoting.quote(input, customer: customer, catalog: catalog, on: DomainFx.d(date), heldSumInsured: held,
                          planNo: "PL00000001", requestId: "REQ-1")
    }

    @Test("an acceptable plan is quoted with its premium and expires quoteValidityDays after the quote date")
    func quoted() throws {
        // Born 1985-01-10, quoted 2025-03-01: 40 completed, mark 2025-07-10 not reached -> age 40.
        // 20,000,000 / 10,000 x 1.2345 x 1.0 = 2,469.0 -> floor to 10 KRW = 2,460.
        let result = try Self.quote()
        let plan = result.plan
        #expect(plan.status == .quoted)
        #expect(plan.premium == 2_460)
        #expect(result.breakdown?.premium == 2_460)
        #expect(result.breakdown?.annualPremium == Int64(29_520)) // 2,460 x 12 monthly payments
        #expect(plan.declineReasons.isEmpty)
        #expect(plan.insuranceAge == 40)
        #expect(plan.expiresOn == DomainFx.d("2025-03-31"))
        #expect(plan.versionId == "P00000077-v1")
        #expect(plan.planNo == "PL00000001")
        #expect(plan.requestId == "REQ-1")
        #expect(plan.customerNo == "C00000001")
        #expect(plan.productName == "테스트건강보험")
        #expect(plan.quoteDate == DomainFx.d("2025-03-01"))
        #expect(plan.isProposable(on: DomainFx.d("2025-03-31")))
        #expect(!plan.isProposable(on: DomainFx.d("2025-04-01")))
    }

    @Test("annual frequency uses the modal factor, rounding once on the total")
    func annual() throws {
        // 2,000 x 1.2345 x 11.7 = 28,887.3 -> 28,880.
        let plan = try Self.quote(Self.input(frequency: .annual)).plan
        #expect(plan.premium == 28_880)
        #expect(plan.paymentFrequency == .annual)
    }

    @Test("female rates and the age on the quote date are used")
    func femaleRate() throws {
        // 20,000,000 / 10,000 x 1.0 = 2,000.
        let plan = try Self.quote(customer: DomainFx.customer(gender: .female)).plan
        #expect(plan.premium == 2_000)
    }

    @Test("the version in effect on the quote date prices the plan and sets its validity")
    func versionInEffect() throws {
        // 2025-07-01: v2, still age 40 (mark 2025-07-10); 2,000 x 2.0 = 4,000; valid 14 days.
        let plan = try Self.quote(on: "2025-07-01").plan
        #expect(plan.versionId == "P00000077-v2")
        #expect(plan.premium == 4_000)
        #expect(plan.expiresOn == DomainFx.d("2025-07-15"))
        let lastDayV1 = try Self.quote(on: "2025-06-30").plan
        #expect(lastDayV1.versionId == "P00000077-v1")
    }

    @Test("a declined plan keeps every failing reason, in rule order, and has no premium")
    func declinedKeepsAllReasons() throws {
        let customer = DomainFx.customer(occupationClass: 4)
        let result = try Self.quote(Self.input(sum: 55_500_000, term: 15, pay: 15), customer: customer)
        let plan = result.plan
        #expect(plan.status == .declined)
        #expect(plan.premium == nil)
        #expect(result.breakdown == nil)
        #expect(plan.declineReasons.map(\.code) == ["TERM_NOT_ALLOWED", "SUM_INSURED_MAX", "SUM_INSURED_STEP",
                                                    "OCCUPATION_CLASS"])
        #expect(plan.declineReasons.map(\.field) == ["term_years", "sum_insured", "sum_insured", "occupation_class"])
        #expect(plan.declineReasons.allSatisfy { !$0.message.isEmpty })
        // A declined plan still records the version and a validity date.
        #expect(plan.versionId == "P00000077-v1")
        #expect(plan.expiresOn == DomainFx.d("2025-03-31"))
    }

    @Test("a missing occupation class is declined when the product requires it")
    func occupationMissing() throws {
        let plan = try Self.quote(customer: DomainFx.customer(occupationClass: nil)).plan
        #expect(plan.status == .declined)
        #expect(plan.declineReasons.map(\.code) == ["OCCUPATION_CLASS_MISSING"])
    }

    @Test("sum insured already held counts toward the per-customer limit",
          arguments: [(Int64(50_000_000), PlanStatus.quoted), (50_000_001, .declined), (60_000_000, .declined)])
    func aggregate(held: Int64, status: PlanStatus) throws {
        // Limit 80,000,000; this plan 30,000,000.
        let plan = try Self.quote(Self.input(sum: 30_000_000), held: held).plan
        #expect(plan.status == status)
        #expect(plan.declineReasons.map(\.code) == (status == .declined ? ["AGGREGATE_SUM_INSURED"] : []))
    }

    @Test("an entry age without a rate declines with NO_RATE instead of failing")
    func noRate() throws {
        // Born 1983-01-10: age 42 on 2025-03-01, within entry ages 40...45 but the table stops at 41.
        let plan = try Self.quote(customer: DomainFx.customer(birth: "1983-01-10")).plan
        #expect(plan.status == .declined)
        #expect(plan.insuranceAge == 42)
        #expect(plan.declineReasons.map(\.code) == ["NO_RATE"])
        #expect(plan.premium == nil)
    }

    @Test("an unknown product throws unknownProduct")
    func unknownProduct() {
        #expect(throws: Quoting.Failure.unknownProduct("P99999999")) {
            try Self.quote(Self.input(product: "P99999999"))
        }
    }

    @Test("a product with no version in effect throws notOnSale", arguments: ["2024-12-31", "1999-01-01"])
    func notOnSale(date: String) {
        #expect(throws: Quoting.Failure.notOnSale(code: "P00000077", date: DomainFx.d(date))) {
            try Self.quote(on: date)
        }
    }

    @Test("a customer born after the quote date throws")
    func bornAfter() {
        let baby = DomainFx.customer(birth: "2025-03-02")
        #expect(throws: Quoting.Failure.bornAfterQuoteDate(birth: DomainFx.d("2025-03-02"), date: DomainFx.d("2025-03-01"))) {
            try Self.quote(customer: baby)
        }
    }
}
