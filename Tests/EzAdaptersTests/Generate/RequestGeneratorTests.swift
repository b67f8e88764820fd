import EzAdapters
import EzCore
import EzRunner
import Foundation
import Testing

@Suite("RequestGenerator")
struct RequestGeneratorTests {
    static let catalog: ProductCatalog = {
        var root = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root.deleteLastPathComponent()
        }
        return CatalogLoader.load(directory: root.appendingPathComponent("data/catalog").path).catalog!
    }()
    let day = BusinessDate("2026-12-01")!

    func lines(_ n: Int, seed: UInt64, format: RequestGenerator.Format = .jsonl) -> [String] {
        var g = RequestGenerator(catalog: Self.catalog, asOf: day, seed: seed, format: format)
        return (0..<n).map { _ in g.next() }
    }

    @Test("the same seed gives the same lines; another seed other lines")
    func deterministic() {
        #expect(lines(500, seed: 7) == lines(500, seed: 7))
        #expect(lines(500, seed: 7) != lines(500, seed: 8))
    }

    @Test("the mix: mostly valid applications for every product, a few bad lines and duplicates, quotes and withdrawals")
    func mix() throws {
        let all = lines(5000, seed: 3)
        var types: [String: Int] = [:]
        var bad = 0
        var products: Set<String> = []
        for line in all {
            guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(line.utf8)),
                  case .success(let request) = RequestDecoder.decode(value) else {
                bad += 1
                continue
            }
            types[request.type.rawValue, default: 0] += 1
            if case .enrollmentApply(_, let quote, _) = request.body { products.insert(quote.productCode) }
        }
        #expect(products == Set(Self.catalog.products), "every product on sale appears")
        #expect((50...200).contains(bad), "about 2% bad lines: \(bad)")
        #expect(types["enrollment.apply", default: 0] > 3800, "\(types)")
        #expect(types["plan.quote", default: 0] > 150 && types["proposal.withdraw", default: 0] > 150, "\(types)")
        #expect(Set(all).count < all.count, "some exact duplicate lines")
    }

    @Test("over several days, withdrawals also name applications of earlier days")
    func days() throws {
        var g = RequestGenerator(catalog: Self.catalog, asOf: day, seed: 5, format: .jsonl)
        for _ in 0..<300 { _ = g.next() }
        g.startDay(day.adding(days: 20))
        let later = (0..<300).map { _ in g.next() }
        let withdrawals = later.filter { $0.contains("\"proposal.withdraw\"") }
        #expect(withdrawals.contains { $0.contains("\"proposal_request_id\":\"GEN-20261201-") }, "an application 20 days back")
        #expect(withdrawals.allSatisfy { $0.contains("\"requested_on\":\"2026-12-21\"") })
    }

    @Test("CSV rows carry the header's columns")
    func csv() {
        let columns = RequestGenerator.csvHeader.split(separator: ",").count
        for row in lines(200, seed: 2, format: .csv) where !row.contains("1990-02-30") {
            #expect(row.split(separator: ",", omittingEmptySubsequences: false).count == columns, "\(row)")
        }
    }
}
