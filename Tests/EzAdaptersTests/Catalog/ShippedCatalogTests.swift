import EzAdapters
import EzCore
import Foundation
import Testing

/// Paths of the package, found from this file (`Tests/EzAdaptersTests/Catalog/…`).
enum CatalogTestPaths {
    static var packageRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url.path
            }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }
    static var shippedCatalog: String { packageRoot + "/data/catalog" }
    static var brokenFixtures: String { packageRoot + "/Tests/EzAdaptersTests/Fixtures/catalog-broken" }
}

@Suite("Catalog: shipped data/catalog")
struct ShippedCatalogTests {
    static let loaded = CatalogLoader.load(directory: CatalogTestPaths.shippedCatalog)

    @Test("loads with zero diagnostics")
    func loadsClean() throws {
        #expect(Self.loaded.diagnostics.map(\.description) == [])
        let catalog = try #require(Self.loaded.catalog)
        #expect(catalog.products == ["P00000001", "P00000002", "P00000003", "P00000004", "P00000005"])
        #expect(catalog.versions(code: "P00000002").map(\.versionId) == ["P00000002-v1", "P00000002-v2"])
    }

    @Test("P00000002 switches version on 2026-07-01 with different rates")
    func cancerVersions() throws {
        let catalog = try #require(Self.loaded.catalog)
        let d = { (s: String) in BusinessDate(s)! }
        #expect(catalog.version(code: "P00000002", on: d("2024-12-31")) == nil)
        #expect(catalog.version(code: "P00000002", on: d("2026-06-30"))?.versionId == "P00000002-v1")
        #expect(catalog.version(code: "P00000002", on: d("2026-07-01"))?.versionId == "P00000002-v2")
        let quote = QuoteInput(customerNo: "C1", productCode: "P00000002", sumInsured: 30_000_000,
                               termYears: 20, payYears: 20)
        let v1 = try PremiumCalculator.quote(version: catalog.version(id: "P00000002-v1")!, gender: .male, age: 40, quote: quote)
        let v2 = try PremiumCalculator.quote(version: catalog.version(id: "P00000002-v2")!, gender: .male, age: 40, quote: quote)
        #expect(v1.premium != v2.premium)
        #expect(v2.premium > v1.premium)
    }

    @Test("every product prices a typical plan at tens of thousands of KRW a month, rising with age",
          arguments: [
            ("P00000001", Int64(3_000_000), 10, 10, 40),
            ("P00000002", 30_000_000, 20, 20, 40),
            ("P00000003", 20_000_000, 20, 20, 65),
            ("P00000004", 30_000_000, 20, 20, 40),
            ("P00000005", 100_000_000, 20, 20, 40),
          ] as [(String, Int64, Int, Int, Int)])
    func typicalPremiums(code: String, sumInsured: Int64, term: Int, pay: Int, age: Int) throws {
        let catalog = try #require(Self.loaded.catalog)
        let version = try #require(catalog.version(code: code, on: BusinessDate("2025-06-01")!))
        let quote = QuoteInput(customerNo: "C1", productCode: code, sumInsured: sumInsured, termYears: term, payYears: pay)
        let young = try PremiumCalculator.quote(version: version, gender: .male, age: age, quote: quote)
        let older = try PremiumCalculator.quote(version: version, gender: .male, age: age + 5, quote: quote)
        #expect((5_000...150_000).contains(young.premium), "\(code): \(young.premium)")
        #expect(older.premium > young.premium)
        var annual = quote
        annual.paymentFrequency = .annual
        let a = try PremiumCalculator.quote(version: version, gender: .male, age: age, quote: annual)
        #expect(a.annualPremium < young.annualPremium) // 11.7 monthly payments instead of 12
    }

    @Test("P00000005 requires an occupation class of at most 3; riders exist on P00000002 and P00000004")
    func rules() throws {
        let catalog = try #require(Self.loaded.catalog)
        let term = try #require(catalog.version(code: "P00000005", on: BusinessDate("2025-06-01")!))
        #expect(term.underwriting.maxOccupationClass == 3 && term.underwriting.requireOccupationClass)
        let quote = QuoteInput(customerNo: "C1", productCode: "P00000005", sumInsured: 100_000_000,
                               termYears: 20, payYears: 20)
        let age = InsuranceAge(birth: BusinessDate("1985-01-01")!, at: BusinessDate("2025-06-01")!)!
        let input = { (cls: Int?) in
            UnderwritingInput(version: term, insuranceAge: age, gender: .male, occupationClass: cls, quote: quote)
        }
        #expect(Underwriter.evaluate(input(3)).isEmpty)
        #expect(Underwriter.evaluate(input(4)).map(\.code) == ["OCCUPATION_CLASS"])
        #expect(Underwriter.evaluate(input(nil)).map(\.code) == ["OCCUPATION_CLASS_MISSING"])
        #expect(catalog.version(id: "P00000002-v2")?.riders.map(\.code) == ["R201", "R202"])
        #expect(catalog.version(id: "P00000004-v1")?.riders.map(\.code) == ["R401", "R402"])
    }
}
