@testable import EzCore

/// Reference mortality bases for the actuarial tests, built in memory from Makeham's law
/// (the shipped CSV files under data/mortality/ hold the same numbers; the adapter tests
/// check that).
enum ActuarialSample {
    /// Standard Ultimate Life Table: Makeham A = 0.00022, B = 2.7e-6, c = 1.124, from age 20
    /// (Dickson, Hardy & Waters, "Actuarial Mathematics for Life Contingent Risks").
    static let sult = MortalityBasis(
        origin: .makeham(MakehamLaw(a: 0.00022, b: 2.7e-6, c: 1.124)),
        table: MakehamLaw(a: 0.00022, b: 2.7e-6, c: 1.124).table(name: "sult", title: "SULT", source: "DHW", from: 20, to: 130))

    /// Illustrative Life Table, ages 13+: 1000 μx = 0.7 + 0.05·(10^0.04)^x
    /// (Bowers et al., "Actuarial Mathematics", 2nd ed., Appendix 2A).
    static let ilt: MortalityBasis = {
        let law = MakehamLaw(a: 0.0007, b: 0.00005, c: 1.0964781961431851) // 10^0.04
        return MortalityBasis(origin: .makeham(law), table: law.table(name: "ilt", title: "ILT", source: "Bowers", from: 13, to: 110))
    }()

    /// A gendered Korean-like basis (the shipped kr-illustrative table's laws).
    static let korean: MortalityBasis = {
        let m = MakehamLaw(a: 0.0004, b: 1.675e-5, c: 1.10), f = MakehamLaw(a: 0.0002, b: 7.0e-6, c: 1.105)
        let male = m.table(name: "kr", title: "kr", source: "test", from: 15, to: 110)
        let female = f.table(name: "kr", title: "kr", source: "test", from: 15, to: 110)
        return MortalityBasis(origin: .table("kr-illustrative"),
                              table: MortalityTable(name: "kr-illustrative", title: "Korean-like", source: "test",
                                                    firstAge: 15, male: male.male, female: female.male))
    }()

    static let loadings = ExpenseLoadings(alpha: 0.03, beta: 0.05, gamma: 0.002, gammaAfterPayment: 0.001)

    static func basis(_ benefit: ActuarialBenefit, mortality: MortalityBasis = korean, interest: Double = 0.025,
                      loadings: ExpenseLoadings = loadings) -> ActuarialBasis {
        ActuarialBasis(mortality: mortality, interest: interest, benefit: benefit, loadings: loadings)
    }

    /// The per-payment gross premium, unrounded.
    static func premium(_ basis: ActuarialBasis, gender: Gender = .male, age: Int, term: Int, pay: Int,
                        sumInsured: Int64 = 10_000_000, frequency: PaymentFrequency = .annual) throws -> Double {
        try ActuarialCalculator.price(basis: basis, coverage: "main", gender: gender, age: age, termYears: term,
                                      payYears: pay, sumInsured: sumInsured, frequency: frequency).premiumPerPayment
    }

    /// A version priced actuarially, with an actuarial and a rate-table rider.
    static func version(kind: ProductKind = .term, benefit: ActuarialBenefit = .term, version: Int = 1,
                        from: String = "2025-01-01", to: String? = nil, interest: Double = 0.025) -> ProductVersion {
        var v = CatalogSample.version(version: version, from: from, to: to)
        v.kind = kind
        v.entryAge = 20...60
        v.terms = [TermOption(termYears: 20, payYears: 20), TermOption(termYears: 20, payYears: 10)]
        v.maxExpiryAge = 80
        v.paymentFrequencies = [.monthly, .annual]
        v.pricing = .actuarial(basis(benefit, interest: interest))
        v.riders = [
            RiderSpec(code: "R1", name: "일반사망특약", sumInsured: SumInsuredRule(min: 1_000_000, max: 10_000_000, step: 1_000_000),
                      pricing: .actuarial(basis(.term, loadings: ExpenseLoadings(alpha: 0.005, beta: 0.08, gamma: 0.0003)))),
            RiderSpec(code: "R2", name: "입원특약", sumInsured: SumInsuredRule(min: 1_000_000, max: 3_000_000, step: 1_000_000),
                      rateTable: RateTable(per: 10_000, modalFactors: [.monthly: 1.0, .annual: 11.7], byTerm: false,
                                           rows: [.init(gender: .male, ageFrom: 20, rates: Array(repeating: 0.5, count: 41)),
                                                  .init(gender: .female, ageFrom: 20, rates: Array(repeating: 0.4, count: 41))])),
        ]
        return v
    }
}
