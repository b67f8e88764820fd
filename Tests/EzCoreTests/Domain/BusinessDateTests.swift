import Foundation
import Testing
@testable import EzCore

@Suite("BusinessDate")
struct BusinessDateTests {
    @Test("parses well-formed existing dates, including leap day and extremes",
          arguments: [("2024-02-29", 2024, 2, 29), ("2026-01-01", 2026, 1, 1), ("0001-01-01", 1, 1, 1),
                      ("9999-12-31", 9999, 12, 31), ("2000-02-29", 2000, 2, 29)])
    func parsesValid(text: String, year: Int, month: Int, day: Int) throws {
        let date = try #require(BusinessDate(text))
        #expect(date.year == year)
        #expect(date.month == month)
        #expect(date.day == day)
        #expect(date.description == text)
    }

    @Test("rejects impossible days and non-strict shapes",
          arguments: ["2025-02-29", "2026-13-01", "2026-1-01", "2026-01-1", "26-01-01", "2026/01/01",
                      "2026-00-10", "2026-01-00", "2026-04-31", "1900-02-29", "", "2026-01-01 ",
                      " 2026-01-01", "2026-01-01-", "+026-01-01", "２０２６-01-01", "2026-0a-01", "0000-01-01",
                      "2026-01-0١", "2026−01-01", "2026-01-/1", "2026-01-:1"])
    func rejectsInvalid(text: String) {
        #expect(BusinessDate(text) == nil)
    }

    @Test("memberwise init refuses days that do not exist")
    func memberwiseInitRejects() {
        #expect(BusinessDate(year: 2025, month: 2, day: 29) == nil)
        #expect(BusinessDate(year: 2026, month: 13, day: 1) == nil)
        #expect(BusinessDate(year: 2026, month: 6, day: 31) == nil)
        #expect(BusinessDate(year: 2024, month: 2, day: 29) != nil)
    }

    @Test("description pads year, month and day")
    func descriptionPads() throws {
        let date = try #require(BusinessDate(year: 5, month: 3, day: 7))
        #expect(date.description == "0005-03-07")
    }

    @Test("adding days crosses month, year and leap boundaries",
          arguments: [("2024-02-28", 1, "2024-02-29"), ("2023-02-28", 1, "2023-03-01"),
                      ("1900-02-28", 1, "1900-03-01"), ("2000-02-28", 1, "2000-02-29"),
                      ("2025-12-31", 1, "2026-01-01"), ("2024-03-01", -1, "2024-02-29"),
                      ("2026-01-01", -1, "2025-12-31"), ("2025-01-31", 30, "2025-03-02"),
                      ("2024-01-31", 30, "2024-03-01"), ("2024-12-30", 3, "2025-01-02")])
    func addingDays(start: String, days: Int, expected: String) {
        #expect(DomainFx.d(start).adding(days: days) == DomainFx.d(expected))
    }

    @Test("days(until:) counts whole days, negative backwards")
    func daysUntil() {
        #expect(DomainFx.d("2024-01-01").days(until: DomainFx.d("2025-01-01")) == 366)
        #expect(DomainFx.d("2025-01-01").days(until: DomainFx.d("2026-01-01")) == 365)
        #expect(DomainFx.d("2025-03-05").days(until: DomainFx.d("2025-03-01")) == -4)
        #expect(DomainFx.d("2025-03-05").days(until: DomainFx.d("2025-03-05")) == 0)
    }

    @Test("adding months clamps to the end of a shorter month (Civil Act art. 160)",
          arguments: [("2024-08-31", 6, "2025-02-28"), ("2024-01-31", 1, "2024-02-29"),
                      ("2023-01-31", 1, "2023-02-28"), ("2024-10-31", 1, "2024-11-30"),
                      ("2024-11-15", 2, "2025-01-15"), ("2024-03-31", -1, "2024-02-29"),
                      ("2025-01-15", -1, "2024-12-15"), ("2024-02-29", 12, "2025-02-28"),
                      ("2023-08-31", 6, "2024-02-29"), ("2025-05-31", 0, "2025-05-31")])
    func addingMonths(start: String, months: Int, expected: String) {
        #expect(DomainFx.d(start).adding(months: months) == DomainFx.d(expected))
    }

    @Test("adding years from 02-29 lands on 02-28 in a common year")
    func addingYears() {
        #expect(DomainFx.d("2024-02-29").adding(years: 1) == DomainFx.d("2025-02-28"))
        #expect(DomainFx.d("2024-02-29").adding(years: 4) == DomainFx.d("2028-02-29"))
    }

    @Test("dayNumber has the epoch and known anchors")
    func dayNumberAnchors() {
        #expect(DomainFx.d("1970-01-01").dayNumber == 0)
        #expect(DomainFx.d("1969-12-31").dayNumber == -1)
        // 2000-01-01 is 30 years (7 leap) after the epoch: 30*365+7 = 10957; +31 (Jan) +29 (Feb) = 11017.
        #expect(DomainFx.d("2000-01-01").dayNumber == 10_957)
        #expect(DomainFx.d("2000-03-01").dayNumber == 11_017)
    }

    @Test("dayNumber round-trips and steps one calendar day at a time from 1899 to 2101")
    func dayNumberRoundTrip() {
        var expected = DomainFx.d("1899-01-01")
        let first = expected.dayNumber
        let last = DomainFx.d("2101-12-31").dayNumber
        var mismatches = 0
        for n in first...last {
            let date = BusinessDate(dayNumber: n)
            if date != expected || date.dayNumber != n || BusinessDate(date.description) != date { mismatches += 1 }
            // The next calendar day, computed independently of dayNumber.
            if expected.day < BusinessDate.daysIn(month: expected.month, year: expected.year) {
                expected = BusinessDate(year: expected.year, month: expected.month, day: expected.day + 1)!
            } else if expected.month < 12 {
                expected = BusinessDate(year: expected.year, month: expected.month + 1, day: 1)!
            } else {
                expected = BusinessDate(year: expected.year + 1, month: 1, day: 1)!
            }
        }
        #expect(mismatches == 0)
        #expect(expected == DomainFx.d("2102-01-01"))
    }

    @Test("ordering follows the calendar")
    func ordering() {
        #expect(DomainFx.d("2024-12-31") < DomainFx.d("2025-01-01"))
        #expect(DomainFx.d("2025-02-01") > DomainFx.d("2025-01-31"))
        #expect(!(DomainFx.d("2025-01-01") < DomainFx.d("2025-01-01")))
    }

    @Test("Codable writes YYYY-MM-DD and refuses a non-date")
    func codable() throws {
        let data = try JSONEncoder().encode([DomainFx.d("2025-03-07")])
        #expect(String(decoding: data, as: UTF8.self) == #"["2025-03-07"]"#)
        #expect(try JSONDecoder().decode([BusinessDate].self, from: Data(#"["2024-02-29"]"#.utf8)) == [DomainFx.d("2024-02-29")])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([BusinessDate].self, from: Data(#"["2025-02-29"]"#.utf8))
        }
    }
}
