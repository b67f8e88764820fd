import EzCore
import Foundation

/// Which JSON coders the store, the views and the outbox use. `FastJSONEncoder` writes the
/// bytes Foundation's `JSONEncoder` writes, and `FastJSONDecoder` reads what Foundation's
/// `JSONDecoder` reads, each several times faster; `EZINSURANCE_JSON=foundation` switches back
/// to Foundation's coders (to rule the fast ones out when something looks wrong: both must
/// give the same outputs, and an end-to-end test checks that they do).
public enum JSONCodec {
    public static let foundation = ProcessInfo.processInfo.environment["EZINSURANCE_JSON"] == "foundation"

    private static let compactEncoders = Pool<JSONEncoder> {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
    private static let prettyEncoders = Pool<JSONEncoder> {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }
    private static let decoders = Pool<JSONDecoder> { JSONDecoder() }

    /// Sorted keys, no escaped slashes; pretty-printed (two-space indent) when asked.
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = false) throws -> String {
        if !foundation { return try FastJSONEncoder.encode(value, pretty: pretty) }
        let data = try (pretty ? prettyEncoders : compactEncoders).with { try $0.encode(value) }
        return String(decoding: data, as: UTF8.self)
    }

    /// The UTF-8 bytes `encode` would give (no `String` made of them).
    public static func encodeBytes<T: Encodable>(_ value: T, pretty: Bool = false) throws -> [UInt8] {
        if !foundation { return try FastJSONEncoder.encodeBytes(value, pretty: pretty) }
        return try foundationBytes(value, pretty: pretty)
    }

    /// `encodeBytes` for a type known to write its own JSON (chosen over the generic one where
    /// the type is known): the same bytes, without the runtime's conformance check.
    static func encodeBytes<T: Encodable & JSONWritable>(_ value: T, pretty: Bool = false) throws -> [UInt8] {
        if !foundation { return try FastJSONEncoder.writeBytes(value, pretty: pretty) }
        return try foundationBytes(value, pretty: pretty)
    }

    private static func foundationBytes<T: Encodable>(_ value: T, pretty: Bool) throws -> [UInt8] {
        Array(try (pretty ? prettyEncoders : compactEncoders).with { try $0.encode(value) })
    }

    /// Alarm messages as outbox lines: each message's `encodeBytes`, followed by a newline,
    /// written one after the other into one buffer (one array for a batch, not one a message).
    public static func encodeLines(_ messages: [AlarmMessage]) throws -> [UInt8] {
        if foundation {
            var out: [UInt8] = []
            for message in messages {
                out.append(contentsOf: try foundationBytes(message, pretty: false))
                out.append(UInt8(ascii: "\n"))
            }
            return out
        }
        return try FastJSONEncoder.writeLines(messages)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        var text = text
        return try text.withUTF8 { try decode(type, fromUTF8: UnsafeRawBufferPointer($0)) }
    }

    /// From UTF-8 bytes (a column's text read in place, without making a string of it first).
    public static func decode<T: Decodable>(_ type: T.Type, fromUTF8 bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBytes { try decode(type, fromUTF8: $0) }
    }

    public static func decode<T: Decodable>(_ type: T.Type, fromUTF8 bytes: UnsafeRawBufferPointer) throws -> T {
        if !foundation { return try FastJSONDecoder.decode(type, from: bytes) }
        return try decoders.with { try $0.decode(type, from: Data(bytes)) }
    }
}
