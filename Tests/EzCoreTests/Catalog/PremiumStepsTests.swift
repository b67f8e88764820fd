import Foundation
import Testing
@testable import EzCore

@Suite("Premium steps: rendered from the breakdown's values, as they were written with every plan")
struct PremiumStepsTests {
    /// `Fixtures/premium-steps.txt`: the lines the calculators wrote into every breakdown before
    /// the lines were rendered instead, for `PremiumStepsCases`, as `## case` and its lines.
    static func written() throws -> [String: [String]] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/premium-steps", withExtension: "txt"))
        var cases: [String: [String]] = [:]
        var current: String?
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") {
                current = String(line.dropFirst(3))
                cases[current!] = []
            } else if let name = current, !line.isEmpty {
                cases[name]!.append(String(line))
            }
        }
        return cases
    }

    @Test("every case renders the lines written before, from the breakdown and from its JSON")
    func sameLinesAsWritten() throws {
        let written = try Self.written()
        let cases = PremiumStepsCases.all
        #expect(written.count == cases.count && cases.count == 52)
        for c in cases {
            let b = try PremiumCalculator.quote(version: c.version, gender: c.gender, age: c.age, quote: c.quote)
            #expect(b.writtenSteps == nil)
            let expected = try #require(written[c.name], "\(c.name)")
            #expect(b.steps == expected, "\(c.name)")
            let stored = try JSONDecoder().decode(PremiumBreakdown.self, from: JSONEncoder().encode(b))
            #expect(stored == b)
            #expect(stored.steps == expected, "\(c.name)")
        }
    }

    @Test("the stored breakdown keeps the values, not the lines; lines written by an earlier version win")
    func storedWithoutLines() throws {
        let c = try #require(PremiumStepsCases.all.first { $0.name.contains("riders") })
        let b = try PremiumCalculator.quote(version: c.version, gender: c.gender, age: c.age, quote: c.quote)
        let json = try #require(String(data: JSONEncoder().encode(b), encoding: .utf8))
        #expect(!json.contains("\"steps\""))
        #expect(json.contains("\"radix_age\":15") && json.contains("\"rate_key\":\"M, age 55\""))
        var old = b
        old.writtenSteps = ["as saved"]
        #expect(old.steps == ["as saved"])
        #expect(try JSONDecoder().decode(PremiumBreakdown.self, from: JSONEncoder().encode(old)).steps == ["as saved"])
    }
}
