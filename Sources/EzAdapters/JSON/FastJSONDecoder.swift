import Foundation

/// Decodes `Decodable` values from JSON text with the results Foundation's `JSONDecoder()`
/// (default strategies) gives, several times faster.
///
/// The input is scanned once into a flat array of 16-byte nodes: one per value, in document
/// order, each holding where its text lies in the input and, for arrays and objects, how many
/// entries they have and where their subtree ends. An object's entries follow it as key node,
/// value subtree, key node, value subtree... Strings and numbers are only delimited by the
/// scan and converted (and validated, as Foundation does) when they are decoded. Keys are
/// never turned into `String`s to look them up: a lookup compares `key.stringValue`'s UTF-8
/// bytes with the raw key bytes, starting after the key found last (synthesized `Codable`
/// reads keys in declaration order, and a dictionary reads them in `allKeys` order).
/// Coding paths are not tracked while decoding: an error rebuilds the path of the value it is
/// about by walking down from the root.
///
/// Decoders and containers handed to `init(from:)` are valid only during the call that made
/// them (they point into the call's input and node buffer); no `Decodable` type in this
/// program keeps one. Every call has its own state, so calls may run concurrently.
///
/// Matched on purpose, as Foundation does it: integers given as `1.0` or `1e2` decode as
/// integers (a fraction that is not zero, or a value out of range, is an error), numbers too
/// large or too small for `Double` are errors, `Bool` accepts only `true`/`false`, null for a
/// `Bool` is a type mismatch (a value-not-found for other types), a trailing comma before `]`
/// or `}` is accepted, a duplicated key gives its first value, keys match under Unicode
/// canonical equivalence, 512 levels of nesting at most, a UTF-8 byte order mark is skipped,
/// strings and numbers are checked only when they are decoded (but a `\u` must be followed by four
/// bytes that are not quotes, as Foundation's scanner requires), and `Data` (base64),
/// `URL` and `Decimal` are decoded as Foundation's default strategies decode them.
/// Not matched: input in UTF-16 or UTF-32 (Foundation converts it; here it is invalid JSON),
/// and error descriptions, which here say what is wrong and where (Foundation's often say
/// only "The given data was not valid JSON.").
///
/// A `JSONReadable` type (the records read for every event) skips `Decodable` and reads its
/// fields from the parsed document itself, with the same results.
public enum FastJSONDecoder {
    /// Decodes `type` from UTF-8 JSON text. Same results as Foundation's JSONDecoder() with default strategies.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        var text = text
        return try text.withUTF8 { buffer in
            try decode(type, from: UnsafeRawBufferPointer(buffer))
        }
    }

    public static func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw corrupted("The given data was not valid JSON: unexpected end of input at byte offset 0.")
        }
        guard bytes.count < Int(UInt32.max) - 16 else {
            throw corrupted("The given data was not valid JSON: input of \(bytes.count) bytes is too large.")
        }
        var parser = Parser(bytes: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        defer { parser.nodes.deallocate() }
        do {
            try parser.parseDocument()
        } catch let error as ParseError {
            throw corrupted("The given data was not valid JSON: \(error.message) at byte offset \(error.offset).")
        }
        var document = Document(bytes: parser.bytes, nodes: parser.nodes)
        return try withUnsafePointer(to: &document) { doc in
            if let direct = try readDirectly(type, doc) { return direct }
            return try doc.pointee.decodeValue(type, at: 0, doc)
        }
    }

    static func corrupted(_ message: String, path: [any CodingKey] = []) -> DecodingError {
        DecodingError.dataCorrupted(DecodingError.Context(codingPath: path, debugDescription: message))
    }
}
