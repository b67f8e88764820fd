@testable import EzCore
import Testing

@Suite("Catalog text: numbers as documents and messages write them")
struct CatalogTextTests {
    /// `percent` as it was first written, by characters.
    static func referencePercent(_ rate: Double) -> String {
        var text = CatalogText.fixed(rate * 100, 4)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text + "%"
    }

    /// `fixed` as it was first written, joining strings.
    static func referenceFixed(_ value: Double, _ digits: Int) -> String {
        var scale: Int64 = 1
        for _ in 0..<digits { scale *= 10 }
        let m = Int64((value * Double(scale)).rounded(.toNearestOrAwayFromZero))
        let whole = Int64(m.magnitude / UInt64(scale)), frac = m.magnitude % UInt64(scale)
        let wholeText = String(whole)
        guard digits > 0 else { return (m < 0 ? "-" : "") + wholeText }
        let fracText = String(frac)
        return (m < 0 ? "-" : "") + wholeText + "." + String(repeating: "0", count: digits - fracText.count) + fracText
    }

    @Test("fixed decimals: half away from zero, zero-padded, a sign only when the rounded value is negative")
    func fixed() {
        #expect(CatalogText.fixed(14.816613, 4) == "14.8166")
        #expect(CatalogText.fixed(0.0000004, 6) == "0.000000")
        #expect(CatalogText.fixed(-0.0000004, 6) == "0.000000")
        #expect(CatalogText.fixed(-2.5, 0) == "-3")
        #expect(CatalogText.fixed(0.1234565, 6) == Self.referenceFixed(0.1234565, 6))
        #expect(CatalogText.fixed(1_234_567.891, 2, grouping: true) == "1,234,567.89")
        var state: UInt64 = 11
        for _ in 0..<5_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let mantissa = Double(state >> 40) / Double(1 << 24)
            let value = (state & 1 == 0 ? 1 : -1) * mantissa * [1, 10, 1_000, 1e9, 1e-5][Int(state >> 33) % 5]
            let digits = Int(state >> 50) % 7
            #expect(CatalogText.fixed(value, digits) == Self.referenceFixed(value, digits), "\(value) \(digits)")
        }
    }

    @Test("percentages: four decimals at most, trailing zeros and point dropped")
    func percent() {
        #expect(CatalogText.percent(0.025) == "2.5%")
        #expect(CatalogText.percent(0.002) == "0.2%")
        #expect(CatalogText.percent(0.0001) == "0.01%")
        #expect(CatalogText.percent(1) == "100%")
        #expect(CatalogText.percent(0.1) == "10%")
        #expect(CatalogText.percent(0) == "0%")
        #expect(CatalogText.percent(0.123456789) == "12.3457%")
        #expect(CatalogText.percent(-0.05) == "-5%")
        var state: UInt64 = 7
        for _ in 0..<5_000 {  // rates of every magnitude, signs and round values among them
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let digits = Double(state >> 40) / Double(1 << 24)
            let rate = [digits, digits / 100, (digits * 1_000).rounded() / 1_000, -digits * 10, Double(state >> 60)][Int(state >> 33) % 5]
            #expect(CatalogText.percent(rate) == Self.referencePercent(rate), "\(rate)")
        }
    }
}
