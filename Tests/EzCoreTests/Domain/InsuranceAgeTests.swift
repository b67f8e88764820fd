import Testing
@testable import EzCore

@Suite("InsuranceAge (보험나이)")
struct InsuranceAgeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let birth: String
        let date: String
        let completed: Int
        let years: Int
        let note: String
        var testDescription: String { "\(birth) at \(date): \(note)" }
    }

    static let cases: [Case] = [
        // Born 1990-03-15. Last birthday 2025-03-15 (35 completed), six-month mark 2025-09-15.
        Case(birth: "1990-03-15", date: "2025-03-15", completed: 35, years: 35, note: "birthday itself"),
        Case(birth: "1990-03-15", date: "2025-09-14", completed: 35, years: 35, note: "day before the mark"),
        Case(birth: "1990-03-15", date: "2025-09-15", completed: 35, years: 36, note: "day of the mark"),
        // Day before the birthday: 34 completed (last birthday 2024-03-15, mark 2024-09-15 passed) -> 35.
        Case(birth: "1990-03-15", date: "2025-03-14", completed: 34, years: 35, note: "day before birthday"),
        // Calendar months alone say 9-3 = 6 months, but 2025-03-20 + 6 months = 2025-09-20 > 09-10: still 35.
        Case(birth: "1990-03-20", date: "2025-09-10", completed: 35, years: 35, note: "month count without days"),
        // Born 2000-02-29: common-year birthday 2025-02-28 (25), mark 2025-08-29.
        Case(birth: "2000-02-29", date: "2025-02-27", completed: 24, years: 25, note: "0229 before common birthday"),
        Case(birth: "2000-02-29", date: "2025-02-28", completed: 25, years: 25, note: "0229 common-year birthday"),
        Case(birth: "2000-02-29", date: "2025-08-28", completed: 25, years: 25, note: "0229 day before mark 08-29"),
        Case(birth: "2000-02-29", date: "2025-08-29", completed: 25, years: 26, note: "0229 mark 08-29"),
        Case(birth: "2000-02-29", date: "2024-02-28", completed: 23, years: 24, note: "0229 leap year, day before"),
        Case(birth: "2000-02-29", date: "2024-02-29", completed: 24, years: 24, note: "0229 leap-year birthday"),
        // Born 2000-08-31: last birthday 2024-08-31; +6 months = 2025-02-31 -> 2025-02-28 (common year).
        // Only 181 days have passed: a "half year = 183 days" rule would wrongly say 24.
        Case(birth: "2000-08-31", date: "2025-02-27", completed: 24, years: 24, note: "0831 day before Feb-end mark"),
        Case(birth: "2000-08-31", date: "2025-02-28", completed: 24, years: 25, note: "0831 mark 02-28 (common)"),
        // Leap year: last birthday 2023-08-31 (23), mark 2024-02-29.
        Case(birth: "2000-08-31", date: "2024-02-28", completed: 23, years: 23, note: "0831 day before 02-29 mark"),
        Case(birth: "2000-08-31", date: "2024-02-29", completed: 23, years: 24, note: "0831 mark 02-29 (leap)"),
        // Born 2000-03-31: mark 09-31 does not exist -> 09-30.
        Case(birth: "2000-03-31", date: "2025-09-29", completed: 25, years: 25, note: "0331 day before mark 09-30"),
        Case(birth: "2000-03-31", date: "2025-09-30", completed: 25, years: 26, note: "0331 mark 09-30"),
        // Newborn and babies.
        Case(birth: "2025-01-10", date: "2025-01-10", completed: 0, years: 0, note: "day of birth"),
        Case(birth: "2025-01-10", date: "2025-07-10", completed: 0, years: 1, note: "six months old"),
        // Born 12-31: last birthday 2024-12-31 (25), mark 2025-06-30 across the year boundary.
        Case(birth: "1999-12-31", date: "2025-06-29", completed: 25, years: 25, note: "1231 day before mark 06-30"),
        Case(birth: "1999-12-31", date: "2025-06-30", completed: 25, years: 26, note: "1231 mark 06-30"),
    ]

    @Test("completed years plus one from the six-month mark", arguments: cases)
    func age(_ c: Case) throws {
        let age = try #require(InsuranceAge(birth: DomainFx.d(c.birth), at: DomainFx.d(c.date)))
        #expect(age.completedYears == c.completed)
        #expect(age.years == c.years)
        #expect(age.roundedUp == (c.years > c.completed))
        #expect(age.description == String(c.years))
    }

    @Test("reports the last birthday and the six-month mark in the civil sense")
    func marks() throws {
        let leapBorn = try #require(InsuranceAge(birth: DomainFx.d("2000-02-29"), at: DomainFx.d("2025-03-01")))
        #expect(leapBorn.lastBirthday == DomainFx.d("2025-02-28"))
        #expect(leapBorn.sixMonthMark == DomainFx.d("2025-08-29"))

        let augustEnd = try #require(InsuranceAge(birth: DomainFx.d("2000-08-31"), at: DomainFx.d("2024-01-15")))
        #expect(augustEnd.lastBirthday == DomainFx.d("2023-08-31"))
        #expect(augustEnd.sixMonthMark == DomainFx.d("2024-02-29"))

        let marchEnd = try #require(InsuranceAge(birth: DomainFx.d("2000-03-31"), at: DomainFx.d("2025-04-01")))
        #expect(marchEnd.lastBirthday == DomainFx.d("2025-03-31"))
        #expect(marchEnd.sixMonthMark == DomainFx.d("2025-09-30"))
    }

    @Test("a date before the birth has no age")
    func beforeBirth() {
        #expect(InsuranceAge(birth: DomainFx.d("2025-01-10"), at: DomainFx.d("2025-01-09")) == nil)
        #expect(InsuranceAge(birth: DomainFx.d("2025-01-10"), at: DomainFx.d("2024-12-31")) == nil)
    }

    @Test("insurance age never drops and rises exactly once a year (at the six-month mark, not the birthday)")
    func monotonic() throws {
        let birth = DomainFx.d("2000-08-31")
        var previous = try #require(InsuranceAge(birth: birth, at: DomainFx.d("2020-01-01"))).years
        var steps = 0
        var day = DomainFx.d("2020-01-02")
        while day <= DomainFx.d("2029-12-31") {
            let years = try #require(InsuranceAge(birth: birth, at: day)).years
            #expect(years == previous || years == previous + 1, "jump at \(day)")
            if years != previous { steps += 1 }
            previous = years
            day = day.adding(days: 1)
        }
        // One rise per year (at the six-month mark, 02-28/02-29); birthdays do not change insurance age.
        #expect(steps == 10)
    }
}
