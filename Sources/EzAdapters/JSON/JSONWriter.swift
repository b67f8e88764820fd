import EzCore
import Foundation

/// A value that writes its own JSON: the bytes `FastJSONEncoder` (and Foundation's
/// `JSONEncoder` with sorted keys, unescaped slashes, compact or pretty) writes for it through
/// `Encodable`, without the coding containers and the key sorting. The records written on
/// every request (plans, proposals, views, alarm lines) conform; `FastJSONEncoder` takes this
/// path for them, and a test holds each conformance to Foundation's bytes.
///
/// A conformance writes its fields in UTF-8 order of their keys (checked in debug builds), and
/// omits a nil optional as synthesized `Encodable` does.
protocol JSONWritable {
    func writeJSON(to writer: inout JSONWriter)
}

/// Writes JSON text in Foundation's compact or pretty layout.
struct JSONWriter: ~Copyable {
    private var out: JSONBytes
    /// The text written so far.
    var bytes: [UInt8] { out.array() }
    /// The first value that cannot be written (a non-finite double), which `Encodable` would
    /// have thrown; the bytes are then not to be used.
    private(set) var invalid: EncodingError?
    let pretty: Bool
    private var depth = 0
    /// Entries written so far in the innermost open container.
    private var entries = 0
    #if DEBUG
    private var lastKey: [UInt8] = []
    #endif

    init(pretty: Bool, capacity: Int = 512) {
        self.pretty = pretty
        out = JSONBytes(capacity: capacity)
    }

    /// An object: `body` writes its fields, keys in UTF-8 order.
    mutating func object(_ body: (inout JSONWriter) -> Void) {
        open(0x7B)
        #if DEBUG
        let outerKey = lastKey
        lastKey = []
        #endif
        let outer = entries
        entries = 0
        body(&self)
        close(0x7D)
        entries = outer
        #if DEBUG
        lastKey = outerKey
        #endif
    }

    /// Ends a top-level value with a newline (a JSON Lines writer's separator).
    mutating func endLine() {
        precondition(depth == 0, "a line ends after a whole top-level value")
        out.append(0x0A)
    }

    /// A field; its key must sort after the previous field's.
    mutating func field<V: JSONWritable>(_ key: StaticString, _ value: V) {
        self.key(key)
        value.writeJSON(to: &self)
    }

    /// A field written only when present (`encodeIfPresent`).
    mutating func field<V: JSONWritable>(_ key: StaticString, _ value: V?) {
        guard let value else { return }
        field(key, value)
    }

    /// An array of `elements`.
    /// A field whose value is an object written by `body` (an enum case's associated values).
    mutating func field(_ key: StaticString, object body: (inout JSONWriter) -> Void) {
        self.key(key)
        object(body)
    }

    mutating func array<S: Sequence>(_ elements: S) where S.Element: JSONWritable {
        open(0x5B)
        let outer = entries
        entries = 0
        for element in elements {
            separate()
            element.writeJSON(to: &self)
        }
        close(0x5D)
        entries = outer
    }

    /// A dictionary with string keys, keys in UTF-8 order (as a `[String: V]` encodes).
    mutating func map<V: JSONWritable>(_ map: [String: V]) {
        pairs(map.sorted(by: { UTF8Order.precedes($0.key, $1.key) }).lazy.map { ($0.key, $0.value) })
    }

    /// An object of `(key, value)` pairs already in sorted-key order, each key once.
    mutating func pairs<V: JSONWritable, S: Sequence<(String, V)>>(_ pairs: S) {
        object { w in
            for (key, value) in pairs {
                #if DEBUG
                w.checkOrder(Array(key.utf8))
                #endif
                w.separate()
                JSONText.appendString(key, to: &w.out)
                w.colon()
                value.writeJSON(to: &w)
            }
        }
    }

    /// A double as Foundation writes it; a non-finite one is an error (see `invalid`).
    mutating func double(_ value: Double) {
        guard value.isFinite else {
            if invalid == nil { invalid = JSONText.nonFinite(value, path: []) }
            literal("null")
            return
        }
        JSONText.appendDouble(value, to: &out)
    }

    mutating func string(_ value: String) { JSONText.appendString(value, to: &out) }

    mutating func bool(_ value: Bool) { literal(value ? "true" : "false") }

    mutating func integer<I: BinaryInteger>(_ value: I) { JSONText.appendInteger(value, to: &out) }

    private mutating func literal(_ text: StaticString) {
        out.appendBytes(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private mutating func key(_ key: StaticString) {
        #if DEBUG
        checkOrder(Array(UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)))
        #endif
        separate()
        // `"key":`, or pretty `"key" : `: the quoted key and what follows it in one piece.
        out.append(0x22, key, 0x22, pretty ? 0x20 : 0x3A)
        if pretty { literal(": ") }
    }

    #if DEBUG
    /// Stops when `key` does not sort after the key written before it in this object.
    private mutating func checkOrder(_ key: [UInt8]) {
        precondition(entries == 0 || lastKey.lexicographicallyPrecedes(key),
                     "JSONWriter: key \(String(decoding: key, as: UTF8.self)) written after \(String(decoding: lastKey, as: UTF8.self))")
        lastKey = key
    }
    #endif

    private mutating func open(_ bracket: UInt8) {
        out.append(bracket)
        depth += 1
    }

    /// Foundation's pretty layout puts an empty line inside an empty container.
    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        if pretty {
            if entries == 0 { out.append(0x0A) }
            newline()
        }
        out.append(bracket)
    }

    private mutating func separate() {
        if entries > 0 { out.append(0x2C) }
        entries += 1
        if pretty { newline() }
    }

    private mutating func colon() {
        if pretty { literal(" : ") } else { out.append(0x3A) }
    }

    private mutating func newline() {
        out.append(0x0A)
        for _ in 0..<2 * depth { out.append(0x20) }
    }
}

extension String: JSONWritable {
    func writeJSON(to writer: inout JSONWriter) { writer.string(self) }
}

extension Bool: JSONWritable {
    func writeJSON(to writer: inout JSONWriter) { writer.bool(self) }
}

extension Int: JSONWritable {
    func writeJSON(to writer: inout JSONWriter) { writer.integer(self) }
}

extension Int64: JSONWritable {
    func writeJSON(to writer: inout JSONWriter) { writer.integer(self) }
}

extension Double: JSONWritable {
    func writeJSON(to writer: inout JSONWriter) { writer.double(self) }
}

extension Dictionary: JSONWritable where Key == String, Value: JSONWritable {
    func writeJSON(to writer: inout JSONWriter) { writer.map(self) }
}

extension Array: JSONWritable where Element: JSONWritable {
    func writeJSON(to writer: inout JSONWriter) { writer.array(self) }
}

extension BusinessDate: JSONWritable {
    func writeJSON(to writer: inout JSONWriter) { writer.string(description) }
}

/// An enum encoded as its raw string.
protocol JSONWritableRawString: JSONWritable, RawRepresentable where RawValue == String {}

extension JSONWritableRawString {
    func writeJSON(to writer: inout JSONWriter) { writer.string(rawValue) }
}
