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
