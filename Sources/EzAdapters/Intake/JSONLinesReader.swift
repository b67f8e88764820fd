import EzCore
import Foundation

/// Reads a JSON Lines request file (`*.jsonl`) record by record, in fixed-size chunks, so a file
/// of any size is read in bounded memory.
///
/// - A UTF-8 byte order mark at the start is skipped; lines end with LF or CRLF.
/// - Blank lines (empty or only spaces and tabs) are not requests: they yield nothing and are
///   not counted, but line numbers stay physical.
/// - Each other line yields one `InboxRecord`: its JSON object, or a `line` error for a line
///   that is not valid UTF-8, not valid JSON, not an object, or longer than `maxLineBytes`.
///   A bad line never stops the file.
public struct JSONLinesReader: InboxRecordSource {
    public var url: URL
    public var chunkSize: Int
    public var maxLineBytes: Int

    public init(url: URL, chunkSize: Int = 64 * 1024, maxLineBytes: Int = 1 << 20) {
        self.url = url
        self.chunkSize = chunkSize
        self.maxLineBytes = maxLineBytes
    }

    public func records() throws -> any InboxRecordIterator {
        try Iterator(chunker: LineChunker(url: url, chunkSize: chunkSize, maxLineBytes: maxLineBytes),
                     maxLineBytes: maxLineBytes)
    }

    final class Iterator: InboxRecordIterator {
        private let chunker: LineChunker
        private let maxLineBytes: Int
        private let decoder = JSONDecoder()

        init(chunker: LineChunker, maxLineBytes: Int) {
            self.chunker = chunker
            self.maxLineBytes = maxLineBytes
        }

        func next() throws -> InboxRecord? {
            while let line = try chunker.next() {
                if line.isBlank { continue }
                return InboxRecord(line: line.number, value: parse(line))
            }
            return nil
        }

        private func parse(_ line: PhysicalLine) -> Result<JSONValue, FieldError> {
            if let length = line.overlongBytes {
                return .failure(FieldError(field: "line", reason:
                    "line too long: \(length) bytes (at most \(maxLineBytes)); one request per line"))
            }
            return JSONLineParser.parseObject(line.bytes, decoder: decoder)
        }
    }
}

/// Parses one line into a JSON object: with `JSONObjectScanner` when it can, else with
/// Foundation's `JSONDecoder`, with a precise reason (column and cause) when it is not one.
enum JSONLineParser {
    static func parseObject(_ bytes: ArraySlice<UInt8>, decoder: JSONDecoder) -> Result<JSONValue, FieldError> {
        if let problem = UTF8Validation.problem(bytes) {
            return .failure(FieldError(field: "line", reason: problem))
        }
        if let object = JSONObjectScanner.object(bytes) { return .success(object) }
        let data = Data(bytes)
        if let object = try? decoder.decode([String: JSONLineValue].self, from: data) {
            return .success(.object(object.mapValues(\.value)))
        }
        let value: JSONValue
        do {
            value = try decoder.decode(JSONLineValue.self, from: data).value
        } catch {
            return .failure(FieldError(field: "line", reason: syntaxReason(data, bytes: bytes, error: error)))
        }
        let found: String
        switch value {
        case .array: found = "an array"
        case .string: found = "a string"
        case .int, .double: found = "a number"
        case .bool: found = "a boolean"
        case .null: found = "null"
        case .object: found = "an object"
        }
        return .failure(FieldError(field: "line", reason:
            "expected a JSON object (one request per line), found \(found)"))
    }

    /// `JSONDecoder` says only "not valid JSON"; `JSONSerialization` names the cause and the
    /// byte offset, turned here into a 1-based column (in characters).
    static func syntaxReason(_ data: Data, bytes: ArraySlice<UInt8>, error: any Error) -> String {
        var message: String?
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            message = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
        }
        guard var text = message else {
            if case DecodingError.dataCorrupted(let context) = error {
                return "invalid JSON: \(context.debugDescription)"
            }
            return "invalid JSON: \(error)"
        }
        if text.hasSuffix(".") { text.removeLast() }
        var column: Int?
        if let range = text.range(of: " around character ") {
            let digits = text[range.upperBound...].prefix(while: \.isNumber)
            if let offset = Int(digits), offset <= bytes.count {
                let prefix = bytes[bytes.startIndex..<(bytes.startIndex + offset)]
                column = String(decoding: prefix, as: UTF8.self).count + 1
                text = String(text[..<range.lowerBound]) + text[range.upperBound...].dropFirst(digits.count)
            }
        }
        if let first = text.first { text = first.lowercased() + text.dropFirst() }
        if let column { return "invalid JSON at column \(column): \(text)" }
        return "invalid JSON: \(text)"
    }
}
