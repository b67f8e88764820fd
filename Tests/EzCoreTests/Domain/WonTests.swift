@testable import EzCore
import Testing

@Suite("Won formatting")
struct WonTests {
    @Test("groups of three digits, sign kept, every Int64")
    func format() {
        let cases: [(Int64, String)] = [(0, "0"), (7, "7"), (999, "999"), (1_000, "1,000"), (28_260, "28,260"),
                                        (1_234_567, "1,234,567"), (100_000_000, "100,000,000"), (-5, "-5"),
                                        (-1_234_567, "-1,234,567"), (-100_000, "-100,000"),
                                        (.max, "9,223,372,036,854,775,807"), (.min, "-9,223,372,036,854,775,808")]
        for (amount, text) in cases {
            #expect(Won.format(amount) == text)
            #expect(CatalogText.grouped(amount) == text)
        }
        // Against the digits Swift prints, grouped by hand, over a spread of magnitudes.
        var value: Int64 = 1
        while value < Int64.max / 7 {
            let digits = Array(String(value))
            var expected = ""
            for (i, d) in digits.enumerated() {
                if i > 0 && (digits.count - i) % 3 == 0 { expected.append(",") }
                expected.append(d)
            }
            #expect(Won.format(value) == expected)
            #expect(Won.format(-value) == "-" + expected)
            value = value * 7 + 3
        }
    }
}
