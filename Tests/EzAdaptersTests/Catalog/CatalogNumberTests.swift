@testable import EzAdapters
import Testing
import Yams

/// The catalog's numbers are read from each scalar's text (no YAML tag resolution): digit
/// groups, signs and exponents as before; anything else an error naming the value's path.
@Suite("Catalog: numbers read from their text")
struct CatalogNumberTests {
    static func scalar(_ text: String) throws -> Node {
        try #require(try Yams.compose(yaml: "v: \(text)", .basic)?.mapping?["v"])
    }

    @Test("decimals and integers, with digit groups, signs and exponents; the rest refused with the path")
    func numbers() throws {
        let r = CatalogNodeReader(file: "t.yaml")
        for (text, value) in [("7.379", 7.379), ("7.3_79", 7.379), ("+2.5", 2.5), ("-1e-3", -0.001), ("1_000", 1_000.0),
                              ("0", 0.0)] {
            #expect(r.double(try Self.scalar(text), path: "rates[0]") == value, "\(text)")
        }
        for (text, value) in [("10_000_000", Int64(10_000_000)), ("+3", 3), ("-42", -42), ("0", 0)] {
            #expect(r.int64(try Self.scalar(text), path: "n") == value, "\(text)")
        }
        #expect(r.diagnostics.isEmpty)
        for text in ["7.379x", "\"7.379\"", ".inf", "７.379", "0x10", "~", "1.5e999"] {
            #expect(r.double(try Self.scalar(text), path: "rates[\(text)]") == nil, "\(text)")
        }
        for text in ["1.5", "1e3", "\"3\"", "abc", "+"] {
            #expect(r.int64(try Self.scalar(text), path: "n[\(text)]") == nil, "\(text)")
        }
        #expect(r.diagnostics.count == 12)
        #expect(r.diagnostics.first?.message.hasPrefix("rates[7.379x]: expected a number, found '7.379x'") == true)
        #expect(r.diagnostics.last?.message.hasPrefix("n[+]: expected an integer") == true)
    }
}
