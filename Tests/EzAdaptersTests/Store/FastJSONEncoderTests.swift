@testable import EzAdapters
import EzCore
import Foundation
import Testing

/// FastJSONEncoder must write, byte for byte, what Foundation's JSONEncoder writes with the
/// store's and the views' options.
@Suite("FastJSONEncoder writes Foundation's bytes")
struct FastJSONEncoderTests {
    static func foundation<T: Encodable>(_ value: T, pretty: Bool) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                                          : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func expectSame<T: Encodable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for pretty in [false, true] {
            let expected = try foundation(value, pretty: pretty)
            let actual = try FastJSONEncoder.encode(value, pretty: pretty)
            #expect(actual == expected, "pretty: \(pretty)", sourceLocation: sourceLocation)
        }
    }

    /// Strings are scanned eight bytes at a time for what needs escaping: each character that
    /// does, at each place in and across those blocks, in ASCII and Korean text around it.
    @Test("a string's escapes are written wherever they fall in its eight-byte blocks")
    func escapesAtEveryOffset() throws {
        let specials: [Character] = ["\"", "\\", "\n", "\r", "\t", "\u{8}", "\u{c}", "\u{0}", "\u{1}", "\u{1f}", "\u{7f}", " ", "/"]
        for filler in ["abcdefghijklmnopqrstu", "한글로된긴문장입니다"] {
            let base = Array(filler)
            for special in specials {
                for at in 0...base.count {
                    var chars = base
                    chars.insert(special, at: at)
                    let text = String(chars)
                    #expect(try FastJSONEncoder.encode(text) == (try Self.foundation(text, pretty: false)), "\(text.debugDescription)")
                    let twice = text + String(special) + text
                    #expect(try FastJSONEncoder.encode(twice) == (try Self.foundation(twice, pretty: false)))
                }
            }
        }
    }

    enum Shape: Codable, Equatable {
        case circle(radius: Int)
        case label(String, Int64)
        case none
    }

    enum Kind: String, Codable { case alpha = "ALPHA", beta }

    struct Everything: Codable {
        var text = "a/b \"quoted\" back\\slash\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f} 한글 😀 \u{2028}"
        var empty = ""
        var int = -42
        var int64 = Int64.min
        var int64Max = Int64.max
        var int32 = Int32(-7)
        var uint64 = UInt64.max
        var flag = true
        var off = false
        var doubles: [Double] = [0, -0.0, 5, 0.1, 1e-05, 123456.789, 1e20, 1e21, 1e16, 12345678901234567, 3e-7, .pi, 1.5e300, -2.5]
        var missing: String? = nil
        var present: Int? = 7
        var nested = Inner()
        var list: [Inner] = [Inner(), Inner(x: 2, tags: ["a", "b"])]
        var emptyList: [Int] = []
        var emptyMap: [String: Int] = [:]
        var map: [String: Int] = ["b": 2, "a_b": 3, "ab": 4, "A": 5, "a10": 6, "a2": 7, "가": 8, "_": 9]
        var intKeys: [Int: String] = [1: "x", 10: "y", 2: "z"]
        var shapes: [Shape] = [.circle(radius: 3), .label("x", 9), .none]
        var kind = Kind.alpha
        var kinds: [Kind?] = [.beta, nil]
        var nestedLists: [[Int]] = [[], [1, 2], []]
        // Keys in declaration order that sort differently: zeta before alpha.
        var zeta = 1
        var alpha = 2
        var snake_case_key = 3
        var snakeCase = 4
    }

    struct Inner: Codable {
        var x = 1
        var tags: [String] = []
    }

    struct EncodesNothing: Encodable {
        func encode(to encoder: any Encoder) throws {}
    }

    @Test("every primitive, escape, number form, container shape and key order")
    func everything() throws {
        try Self.expectSame(Everything())
    }

    @Test("top-level primitives, empty values and values that encode nothing")
    func topLevel() throws {
        try Self.expectSame("top")
        try Self.expectSame(5)
        try Self.expectSame(-0.0)
        try Self.expectSame([Int]())
        try Self.expectSame(["a": EncodesNothing()])
        try Self.expectSame([EncodesNothing()])
        try Self.expectSame(Optional<Int>.none)
    }

    @Test("the store's record types")
    func domainRecords() throws {
        var plan = StoreFx.plan("PL00000001")
        plan.declineReasons = [PlanDeclineReason(code: "AGE", field: "birth_date", message: "나이 초과\n\"line\""), PlanDeclineReason(code: "SI", field: "sum_insured", message: "a/b")]
        try Self.expectSame(StoreFx.customer())
        try Self.expectSame(plan)
        try Self.expectSame(StoreFx.proposal("PR00000001", plan: "PL00000001"))
        try Self.expectSame(EventPayload.plan(plan))
        try Self.expectSame(EventPayload.customer(StoreFx.customer()))
        try Self.expectSame(StoreFx.card.instrument)
        var view = CustomerView(customerNo: "C00000001")
        view.name = "홍길동"
        view.plans = [plan, StoreFx.plan("PL00000002", status: .declined)]
        view.proposals = [StoreFx.proposal("PR00000001", plan: "PL00000001")]
        try Self.expectSame(view)
        try Self.expectSame(JSONValue.object(["k": .array([.int(1), .double(2.5), .null, .bool(true), .string("s")])]))
    }

    @Test("random JSON values")
    func randomValues() throws {
        var rng = SplitMix(seed: 7)
        for _ in 0..<300 {
            try Self.expectSame(Self.randomValue(&rng, depth: 0))
        }
    }

    @Test("non-finite doubles are refused as Foundation refuses them")
    func nonFinite() {
        #expect(throws: EncodingError.self) { try FastJSONEncoder.encode(["x": Double.nan]) }
        #expect(throws: EncodingError.self) { try FastJSONEncoder.encode([Double.infinity]) }
    }

    @Test("types that need a strategy are refused, not written in another form")
    func strategies() {
        #expect(throws: EncodingError.self) { try FastJSONEncoder.encode(["at": Date(timeIntervalSince1970: 0)]) }
        #expect(throws: EncodingError.self) { try FastJSONEncoder.encode(Data([1, 2])) }
    }

    static let alphabet: [Character] = Array("abcXYZ_09 /\"\\\n\t\u{1}가힣😀é")

    static func randomString(_ rng: inout SplitMix) -> String {
        String((0..<rng.below(8)).map { _ in alphabet[rng.below(alphabet.count)] })
    }

    static func randomValue(_ rng: inout SplitMix, depth: Int) -> JSONValue {
        switch rng.below(depth > 3 ? 5 : 7) {
        case 0: return .null
        case 1: return .bool(rng.below(2) == 0)
        case 2: return .int(Int64(bitPattern: rng.next()) >> rng.below(64))
        case 3: return .double(Double(Int64(bitPattern: rng.next()) >> rng.below(64)) / Double(1 << rng.below(40)))
        case 4: return .string(randomString(&rng))
        case 5: return .array((0..<rng.below(4)).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            var object: [String: JSONValue] = [:]
            for _ in 0..<rng.below(5) { object[randomString(&rng)] = randomValue(&rng, depth: depth + 1) }
            return .object(object)
        }
    }
}
