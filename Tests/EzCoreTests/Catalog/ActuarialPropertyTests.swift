import Testing
@testable import EzCore

/// Properties every sound life-insurance basis has, checked over ranges of inputs.
@Suite("Actuarial: properties")
struct ActuarialPropertyTests {
    typealias S = ActuarialSample
    static let bases: [(String, MortalityBasis, Double)] = [("SULT 5%", S.sult, 0.05), ("ILT 6%", S.ilt, 0.06),
                                                           ("kr 2.5%", S.korean, 0.025)]

    @Test("term premium increases with age at fixed terms", arguments: [(10, 10), (20, 20), (20, 10), (30, 30)])
    func termRisesWithAge(term: Int, pay: Int) throws {
        for (name, mortality, i) in Self.bases {
            for gender in Gender.allCases {
                var previous = 0.0
                for age in 20...(80 - term) {
                    let p = try S.premium(S.basis(.term, mortality: mortality, interest: i), gender: gender, age: age,
                                          term: term, pay: pay, frequency: .monthly)
                    #expect(p > previous, "\(name) \(gender) age \(age): \(p) <= \(previous)")
                    previous = p
                }
            }
        }
    }

    @Test("premium before rounding is linear in the sum insured")
    func linearInSumInsured() throws {
        for benefit in ActuarialBenefit.allCases {
            for frequency in PaymentFrequency.allCases {
                let unit = try S.premium(S.basis(benefit), age: 45, term: 20, pay: 15, sumInsured: 1_000_000, frequency: frequency)
                for k in [Int64(2), 7, 30, 300] {
                    let p = try S.premium(S.basis(benefit), age: 45, term: 20, pay: 15, sumInsured: 1_000_000 * k, frequency: frequency)
                    #expect(abs(p - unit * Double(k)) <= 1e-9 * p, "\(benefit) \(frequency) x\(k)")
                }
            }
        }
    }

    @Test("endowment premium >= term premium for the same inputs")
    func endowmentAtLeastTerm() throws {
        for (name, mortality, i) in Self.bases {
            for age in stride(from: 20, through: 60, by: 5) {
                for (term, pay) in [(10, 10), (20, 10), (20, 20)] {
                    for frequency in PaymentFrequency.allCases {
                        let t = try S.premium(S.basis(.term, mortality: mortality, interest: i), age: age, term: term, pay: pay, frequency: frequency)
                        let e = try S.premium(S.basis(.endowment, mortality: mortality, interest: i), age: age, term: term, pay: pay, frequency: frequency)
                        #expect(e >= t, "\(name) age \(age) \(term)/\(pay) \(frequency)")
                    }
                }
            }
        }
    }

    @Test("whole-life premium falls as the payment term lengthens")
    func wholeLifeFallsWithPaymentTerm() throws {
        for (name, mortality, i) in Self.bases {
            for age in [30, 45, 60] {
                var previous = Double.infinity
                for pay in [5, 10, 15, 20, 30] {
                    let p = try S.premium(S.basis(.wholeLife, mortality: mortality, interest: i), age: age, term: 1, pay: pay,
                                          frequency: .annual)
                    #expect(p < previous, "\(name) age \(age) pay \(pay)")
                    previous = p
                }
            }
        }
    }

    @Test("a scaled table scales the risk: a tenth of the mortality gives a smaller term premium; scale 1 changes nothing")
    func scaling() throws {
        var tenth = S.korean
        tenth.maleScale = 0.1
        let full = try S.premium(S.basis(.term), age: 50, term: 20, pay: 20)
        let part = try S.premium(S.basis(.term, mortality: tenth), age: 50, term: 20, pay: 20)
        #expect(part < full)
        #expect(tenth.q(age: 110, gender: .male) == 1, "the table's end stays q = 1")
        #expect(tenth.q(age: 50, gender: .female) == S.korean.q(age: 50, gender: .female))
    }
}
