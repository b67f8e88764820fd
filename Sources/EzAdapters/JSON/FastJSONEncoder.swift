import EzCore
import Foundation

/// Encodes `Encodable` values to the bytes Foundation's `JSONEncoder` writes with
/// `[.sortedKeys, .withoutEscapingSlashes]` (plus `.prettyPrinted` when asked), several times
/// faster: primitives are written as JSON text once, into one arena, when they are encoded;
/// containers keep only their keys and references to their values, and the whole value is
/// serialized in one pass at the end, keys sorted by their UTF-8 bytes as Foundation sorts
/// them. Non-finite doubles are refused as Foundation refuses them; `Date`, `Data` and other
/// types Foundation encodes with strategies are refused too (the store holds none).
/// A `JSONWritable` value (the records written for every request) skips `Encodable` and
/// writes its fields itself, in the same bytes.
public enum FastJSONEncoder {
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = false) throws -> String {
        let bytes = try encodeBytes(value, pretty: pretty)
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func encodeBytes<T: Encodable>(_ value: T, pretty: Bool = false) throws -> [UInt8] {
        if let writable = value as? any JSONWritable { return try writeBytes(writable, pretty: pretty) }
        let arena = JSONArena()
        let root: JSONTree
        if let primitive = try arena.primitive(value) {
            root = primitive
        } else {
            let encoder = TreeEncoder(arena: arena, path: [])
            try value.encode(to: encoder)
            root = encoder.tree ?? .object(JSONObjectBox())
        }
        var out: [UInt8] = []
        out.reserveCapacity(arena.bytes.count + 256)
        JSONTreeWriter(arena: arena.bytes, pretty: pretty).write(root, depth: 0, into: &out)
        return out
    }
}

extension FastJSONEncoder {
    /// The bytes of a value that writes its own JSON. Called with the type known, it skips
    /// `encodeBytes`' runtime check of the conformance, which costs more than writing a record.
    static func writeBytes<T: JSONWritable>(_ value: T, pretty: Bool = false) throws -> [UInt8] {
        var writer = JSONWriter(pretty: pretty)
        value.writeJSON(to: &writer)
        if let invalid = writer.invalid { throw invalid }
        return writer.bytes
    }

    /// JSON Lines: each value's compact bytes (`writeBytes`) and a newline, into one buffer.
    static func writeLines<T: JSONWritable>(_ values: [T]) throws -> [UInt8] {
        var writer = JSONWriter(pretty: false, capacity: max(512, values.count * 768))
        for value in values {
            value.writeJSON(to: &writer)
            writer.endLine()
        }
        if let invalid = writer.invalid { throw invalid }
        return writer.bytes
    }
}

/// One encoded value: JSON text in the arena, or a container still open to more entries.
enum JSONTree {
    case text(start: Int, end: Int)
    case object(JSONObjectBox)
    case array(JSONArrayBox)
    /// A value handed to a nested encoder (`superEncoder`), read when the tree is written.
    case deferred(TreeEncoder)
}

final class JSONObjectBox {
    var keys: [String] = []
    var values: [JSONTree] = []
}

final class JSONArrayBox {
    var values: [JSONTree] = []
}

/// The JSON text of every primitive of one encoding, back to back.
final class JSONArena {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(1024) }

    func text(_ body: (inout [UInt8]) -> Void) -> JSONTree {
        let start = bytes.count
        body(&bytes)
        return .text(start: start, end: bytes.count)
    }

    func string(_ s: String) -> JSONTree { text { JSONText.appendString(s, to: &$0) } }
    func integer<I: BinaryInteger>(_ i: I) -> JSONTree { text { JSONText.appendInteger(i, to: &$0) } }
    func literal(_ s: StaticString) -> JSONTree {
        text { out in s.withUTF8Buffer { out.append(contentsOf: $0) } }
    }

    func double(_ d: Double, path: @autoclosure () -> [any CodingKey]) throws -> JSONTree {
        guard d.isFinite else { throw JSONText.nonFinite(d, path: path()) }
        return text { JSONText.appendDouble(d, to: &$0) }
    }

    /// The value's text when it is a primitive; nil when it must encode itself. Metatype
    /// comparisons, not dynamic casts: this runs for every nested value.
    func primitive<T: Encodable>(_ value: T, path: @autoclosure () -> [any CodingKey] = []) throws -> JSONTree? {
        if T.self == String.self { return string(unsafeBitCast(value, to: String.self)) }
        if T.self == Int.self { return integer(unsafeBitCast(value, to: Int.self)) }
        if T.self == Int64.self { return integer(unsafeBitCast(value, to: Int64.self)) }
        if T.self == Bool.self { return unsafeBitCast(value, to: Bool.self) ? literal("true") : literal("false") }
        if T.self == Double.self { return try double(unsafeBitCast(value, to: Double.self), path: path()) }
        if T.self == Int32.self { return integer(unsafeBitCast(value, to: Int32.self)) }
        if T.self == UInt64.self { return integer(unsafeBitCast(value, to: UInt64.self)) }
        if T.self == Date.self || T.self == Data.self || T.self == URL.self || T.self == Decimal.self {
            throw EncodingError.invalidValue(value, .init(codingPath: path(), debugDescription: "\(T.self) needs an encoding strategy; FastJSONEncoder has none"))
        }
        return nil
    }
}

/// JSON text of strings and integers.
enum JSONText {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    static func appendString<Output: JSONOutput & ~Copyable>(_ s: String, to out: inout Output) {
        out.append(0x22)
        var s = s
        s.withUTF8 { utf8 in
            var clean = 0
            var i = 0
            while i < utf8.count {
                // Eight bytes at a time while none needs escaping (no control byte, quote or
                // backslash): most text, Korean included, has none.
                if i + 8 <= utf8.count, let base = utf8.baseAddress {
                    if escapeMarks(ByteWord.load(base + i)) == 0 {
                        i += 8
                        continue
                    }
                }
                let byte = utf8[i]
                i += 1
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
                let at = i - 1
                out.appendBytes(UnsafeBufferPointer(rebasing: utf8[clean..<at]))
                clean = at + 1
                out.append(0x5C)
                switch byte {
                case 0x22: out.append(0x22)
                case 0x5C: out.append(0x5C)
                case 0x0A: out.append(0x6E)
                case 0x0D: out.append(0x72)
                case 0x09: out.append(0x74)
                case 0x08: out.append(0x62)
                case 0x0C: out.append(0x66)
                default:
                    out.append(0x75)
                    out.append(0x30)
                    out.append(0x30)
                    out.append(hex[Int(byte >> 4)])
                    out.append(hex[Int(byte & 0xF)])
                }
            }
            out.appendBytes(UnsafeBufferPointer(rebasing: utf8[clean...]))
        }
        out.append(0x22)
    }

    /// The bytes of `word` a JSON string escapes: a quote, a backslash or a control byte
    /// (`ByteWord`: the lowest mark is exact).
    @inline(__always)
    static func escapeMarks(_ word: UInt64) -> UInt64 {
        ByteWord.equal(word, 0x22) | ByteWord.equal(word, 0x5C) | ByteWord.control(word)
    }

    /// A finite double as Foundation writes it: its shortest description, without ".0".
    static func appendDouble<Output: JSONOutput & ~Copyable>(_ value: Double, to out: inout Output) {
        var text = value.description
        text.withUTF8 { utf8 in
            // Foundation writes an integral double without ".0".
            let integral = utf8.count >= 2 && utf8[utf8.count - 2] == UInt8(ascii: ".") && utf8[utf8.count - 1] == UInt8(ascii: "0")
            out.appendBytes(integral ? UnsafeBufferPointer(rebasing: utf8.dropLast(2)) : utf8)
        }
    }

    /// Foundation's refusal of a non-finite double.
    static func nonFinite(_ value: Double, path: [any CodingKey]) -> EncodingError {
        EncodingError.invalidValue(value, .init(codingPath: path, debugDescription: "Unable to encode Double.\(value) directly in JSON."))
    }

    static func appendInteger<I: BinaryInteger, Output: JSONOutput & ~Copyable>(_ value: I, to out: inout Output) {
        if value == 0 { out.append(0x30); return }
        var magnitude = value.magnitude
        if value < 0 { out.append(0x2D) }
        // Digits from the last, into the end of a buffer as long as the longest integer
        // written (UInt64.max and Int64.min have 20 digits; no wider integer is written).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { digits in
            var first = digits.count
            while magnitude != 0 {
                let (q, r) = magnitude.quotientAndRemainder(dividingBy: 10)
                first -= 1
                digits[first] = 0x30 + UInt8(r)
                magnitude = q
            }
            out.appendBytes(UnsafeBufferPointer(rebasing: digits[first...]))
        }
    }
}

/// Serializes a tree: keys in UTF-8 byte order, Foundation's compact or pretty layout.
struct JSONTreeWriter {
    let arena: [UInt8]
    let pretty: Bool

    func write(_ tree: JSONTree, depth: Int, into out: inout [UInt8]) {
        switch tree {
        case .text(let start, let end):
            arena.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[start..<end])) }
        case .object(let box):
            writeObject(box, depth: depth, into: &out)
        case .array(let box):
            writeArray(box, depth: depth, into: &out)
        case .deferred(let encoder):
            write(encoder.tree ?? .object(JSONObjectBox()), depth: depth, into: &out)
        }
    }

    private func writeObject(_ box: JSONObjectBox, depth: Int, into out: inout [UInt8]) {
        out.append(0x7B)
        guard !box.keys.isEmpty else { close(0x7D, empty: true, depth: depth, into: &out); return }
        for (n, i) in sortedOrder(box.keys).enumerated() {
            if n > 0 { out.append(0x2C) }
            if pretty { newline(depth + 1, into: &out) }
            JSONText.appendString(box.keys[i], to: &out)
            if pretty { out.append(contentsOf: [0x20, 0x3A, 0x20]) } else { out.append(0x3A) }
            write(box.values[i], depth: depth + 1, into: &out)
        }
        close(0x7D, empty: false, depth: depth, into: &out)
    }

    private func writeArray(_ box: JSONArrayBox, depth: Int, into out: inout [UInt8]) {
        out.append(0x5B)
        guard !box.values.isEmpty else { close(0x5D, empty: true, depth: depth, into: &out); return }
        for (n, value) in box.values.enumerated() {
            if n > 0 { out.append(0x2C) }
            if pretty { newline(depth + 1, into: &out) }
            write(value, depth: depth + 1, into: &out)
        }
        close(0x5D, empty: false, depth: depth, into: &out)
    }

    /// Foundation's pretty layout puts an empty line inside an empty container.
    private func close(_ bracket: UInt8, empty: Bool, depth: Int, into out: inout [UInt8]) {
        if pretty {
            if empty { out.append(0x0A) }
            newline(depth, into: &out)
        }
        out.append(bracket)
    }

    private func newline(_ depth: Int, into out: inout [UInt8]) {
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: 2 * depth))
    }

    /// Indices of `keys` in UTF-8 byte order (insertion sort: objects are small and the
    /// keys of synthesized coding are often nearly sorted already).
    private func sortedOrder(_ keys: [String]) -> [Int] {
        var order = Array(keys.indices)
        guard order.count > 1 else { return order }
        for i in 1..<order.count {
            let item = order[i]
            var j = i
            while j > 0 && UTF8Order.precedes(keys[item], keys[order[j - 1]]) {
                order[j] = order[j - 1]
                j -= 1
            }
            order[j] = item
        }
        return order
    }
}
