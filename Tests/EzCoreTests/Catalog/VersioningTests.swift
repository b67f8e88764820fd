import Testing
@testable import EzCore

/// Product versions: the version in effect on the quote date prices the plan, which keeps it.
@Suite("Catalog: versions and actuarial repricing")
struct VersioningTests {
    typealias S = ActuarialSample
    // v1 2.5% to 2025-06-30; v2 2.0% from 2025-07-01 to 2025-12-31; nothing after.
    static let catalog = ProductCatalog([
        S.version(version: 1, from: "2025-01-01", to: "2025-06-30", interest: 0.025),
        S.version(version: 2, from: "2025-07-01", to: "2025-12-31", interest: 0.02),
    ])
    static let customer = Customer(customerNo: "C1", name: "김보험", birthDate: BusinessDate("1985-01-10")!, gender: .male,
                                   phone: "010-1234-5678", email: nil, occupationClass: 1)

    static func quote(on date: String) throws(Quoting.Failure) -> Quoting.Result {
        try Quoting.quote(CatalogSample.quote(sumInsured: 30_000_000, term: 20, pay: 20), customer: customer,
                          catalog: catalog, on: BusinessDate(date)!, heldSumInsured: 0, planNo: "PL1", requestId: "R1")
    }

    @Test("a plan keeps its version; a new version changes only new quotes; after the last version nothing is on sale")
    func versions() throws {
        let old = try Self.quote(on: "2025-06-30")
        let new = try Self.quote(on: "2025-07-01")
        #expect(old.plan.versionId == "P00000009-v1" && old.breakdown?.versionId == "P00000009-v1")
        #expect(new.plan.versionId == "P00000009-v2")
        #expect(new.plan.premium != old.plan.premium, "v2 has another interest rate")
        // Repricing the old plan with its own version (as explain does) gives its premium again.
        let v1 = try #require(Self.catalog.version(id: old.plan.versionId))
        let again = try PremiumCalculator.quote(version: v1, gender: .male, age: old.plan.insuranceAge,
                                                quote: CatalogSample.quote(sumInsured: 30_000_000, term: 20, pay: 20))
        #expect(again.premium == old.plan.premium)
        #expect(throws: Quoting.Failure.notOnSale(code: "P00000009", date: BusinessDate("2026-01-01")!)) {
            try Self.quote(on: "2026-01-01")
        }
    }
}
