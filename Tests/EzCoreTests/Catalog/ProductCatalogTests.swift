import Testing
@testable import EzCore

@Suite("Catalog: version in effect")
struct ProductCatalogTests {
    typealias S = CatalogSample

    static let catalog = ProductCatalog([
        S.version(code: "P00000002", version: 2, from: "2026-07-01"),
        S.version(code: "P00000002", version: 1, from: "2025-01-01", to: "2026-06-30"),
        // A gap: nothing is sold from 2025-07-01 to 2025-07-31.
        S.version(code: "P00000007", version: 1, from: "2025-01-01", to: "2025-06-30"),
        S.version(code: "P00000007", version: 2, from: "2025-08-01", to: "2025-12-31"),
    ])

    @Test("version in effect on a date, boundaries inclusive",
          arguments: [
            ("P00000002", "2024-12-31", nil), ("P00000002", "2025-01-01", "P00000002-v1"),
            ("P00000002", "2026-06-30", "P00000002-v1"), ("P00000002", "2026-07-01", "P00000002-v2"),
            ("P00000002", "2099-12-31", "P00000002-v2"),
            ("P00000007", "2025-06-30", "P00000007-v1"), ("P00000007", "2025-07-01", nil),
            ("P00000007", "2025-07-31", nil), ("P00000007", "2025-08-01", "P00000007-v2"),
            ("P00000007", "2025-12-31", "P00000007-v2"), ("P00000007", "2026-01-01", nil),
            ("P00000099", "2025-03-01", nil),
          ] as [(String, String, String?)])
    func inEffect(code: String, date: String, expected: String?) {
        #expect(Self.catalog.version(code: code, on: S.date(date))?.versionId == expected)
    }

    @Test("lookup by id, versions of a product, product codes")
    func lookups() {
        let c = Self.catalog
        #expect(c.version(id: "P00000002-v1")?.effectiveTo == S.date("2026-06-30"))
        #expect(c.version(id: "P00000002-v3") == nil)
        #expect(c.versions(code: "P00000002").map(\.version) == [1, 2])
        #expect(c.versions(code: "P00000099").isEmpty)
        #expect(c.products == ["P00000002", "P00000007"])
        #expect(ProductVersion.versionId(code: "P00000001", version: 2) == "P00000001-v2")
    }
}
