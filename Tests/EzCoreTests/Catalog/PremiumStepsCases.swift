@testable import EzCore

/// The quotes whose explanation lines `PremiumStepsTests` holds to
/// `Fixtures/premium-steps.txt`: rate-table and actuarial mains (term, endowment, whole life),
/// both frequencies, both payment terms, both genders, with and without riders.
enum PremiumStepsCases {
    struct Case {
        var name: String
        var version: ProductVersion
        var gender: Gender
        var age: Int
        var quote: QuoteInput
    }

    static var all: [Case] {
        var cases: [Case] = []
        let riders = [RiderSelection(code: "R1", sumInsured: 5_000_000), RiderSelection(code: "R2", sumInsured: 2_000_000)]
        for benefit in [ActuarialBenefit.term, .endowment, .wholeLife] {
            let version = ActuarialSample.version(benefit: benefit)
            for frequency in [PaymentFrequency.monthly, .annual] {
                for pay in [20, 10] {
                    for gender in [Gender.male, .female] {
                        for (age, withRiders) in [(30, false), (55, true)] {
                            let q = CatalogSample.quote(sumInsured: 30_000_000, term: 20, pay: pay, frequency: frequency,
                                                        riders: withRiders ? riders : [])
                            cases.append(Case(name: "actuarial \(benefit.rawValue) \(frequency.rawValue) 20/\(pay) \(gender.rawValue) \(age)"
                                                  + (withRiders ? " riders" : ""),
                                              version: version, gender: gender, age: age, quote: q))
                        }
                    }
                }
            }
        }
        var table = CatalogSample.version(rounding: Rounding(unit: 100, mode: .roundHalfUp))
        table.paymentFrequencies = [.monthly, .annual]
        for (term, frequency) in [(20, PaymentFrequency.monthly), (10, .annual)] {
            for gender in [Gender.male, .female] {
                let q = CatalogSample.quote(sumInsured: 30_000_000, term: term, pay: term, frequency: frequency,
                                            riders: [RiderSelection(code: "R1", sumInsured: 5_000_000)])
                cases.append(Case(name: "rate table \(frequency.rawValue) \(term)/\(term) \(gender.rawValue) 40 rider",
                                  version: table, gender: gender, age: 40, quote: q))
            }
        }
        return cases
    }
}
