@testable import EzAdapters
import EzCore
import EzRunner
import Foundation
import Testing

/// The byte-level reader must give exactly what the `JSONDecoder` path gives for every line it
/// accepts, and refuse (nil) every line it cannot read the same way.
@Suite("JSONObjectScanner")
struct JSONObjectScannerTests {
    /// The `JSONDecoder` path the scanner stands in for.
    func slow(_ line: String) -> JSONValue? {
        guard let object = try? JSONDecoder().decode([String: JSONLineValue].self, from: Data(line.utf8)) else { return nil }
        return .object(object.mapValues(\.value))
    }

    func fast(_ line: String) -> JSONValue? {
        JSONObjectScanner.object(ArraySlice(Array(line.utf8)))
    }

    @Test("generated request lines, good and bad, read the same as with JSONDecoder")
    func generatedLines() {
        var generator = RequestGenerator(catalog: RequestGeneratorTests.catalog, asOf: BusinessDate("2026-12-01")!,
                                         seed: 11, format: .jsonl)
        var accepted = 0
        for _ in 0..<3000 {
            let line = generator.next()
            let value = fast(line)
            if let value {
                accepted += 1
                #expect(value == slow(line), "\(line)")
            }
        }
        #expect(accepted > 2800, "the scanner should read nearly every generated line, read \(accepted)")
    }

    @Test("strings: escapes, Korean, surrogate pairs, nesting and spacing")
    func strings() {
        let lines = [
            #"{"a":"홍길동","b":"tab\there \"q\" \\ \/ \b\f\n\r","c":"\u00e9\uAC00\ud83d\ude00"}"#,
            #" { "nested" : { "list" : [ 1 , -2 , true , false , null , [ ] , { } ] , "k" : "" } } "#,
            #"{"big":9223372036854775807,"small":-9223372036854775808,"zero":0}"#,
            "{}",
        ]
        for line in lines {
            let value = fast(line)
            #expect(value != nil, "\(line)")
            #expect(value == slow(line), "\(line)")
        }
        #expect(fast(#"{"a":"\ud83d\ude00"}"#)?["a"] == .string("😀"))
    }

    @Test("a string's quote, escape or control byte at every place of the eight-byte scan")
    func stringScanBoundaries() {
        // Raw tab and control bytes are refused (nil), as JSONDecoder refuses them; the others
        // read the same as with JSONDecoder, as keys and as values, then more text.
        for before in 0...17 {
            let plain = String(repeating: "a", count: before)
            for special in [#"\""#, #"\\"#, #"\n"#, #"\u00e9"#, "한", #"\t"#, #"\u0001"#, #"\u001f"#] {
                for after in ["", "b", "bcdefghijk"] {
                    let text = plain + special + after
                    for line in ["{\"k\":\"\(text)\"}", "{\"\(text)\":1,\"z\":\"\(plain)\"}"] {
                        #expect(fast(line) != nil, "\(line)")
                        #expect(fast(line) == slow(line), "\(line)")
                    }
                }
            }
            for raw in ["\t", "\u{1}", "\u{1F}"] {
                #expect(fast("{\"k\":\"\(plain)\(raw)x\"}") == nil, "raw control after \(before)")
            }
            #expect(fast("{\"k\":\"\(plain)\"}") == .object(["k": .string(plain)]))
        }
    }

    @Test("what it does not read the same way is left to JSONDecoder")
    func refusals() {
        for line in [
            #"{"a":1.5}"#, #"{"a":1e3}"#, #"{"a":-0}"#, #"{"a":01}"#, #"{"a":9223372036854775808}"#,
            #"{"a":1,"a":2}"#, #"{"a":"\udc00"}"#, #"{"a":"\ud800x"}"#, #"{"a":"x"} trailing"#,
            "{\"a\":\"tab\tinside\"}", #"[1,2]"#, #""text""#, #"{"a":tru}"#, #"{"a":1,}"#, #"{"a" 1}"#,
            #"{"a":"open}"#, #"{"a":"\x"}"#, #"{"a":-}"#,
        ] {
            #expect(fast(line) == nil, "\(line)")
        }
    }
}
