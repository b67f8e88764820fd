/// A document's text, built line by line as UTF-8 bytes (each line ends with a newline).
///
/// A line is written with string interpolation into a `DocumentLine`, whose literal pieces and
/// values are appended as bytes: a `String` built by interpolation appended each piece through
/// `String.append` (about 330 instructions a piece, half the cost of a document), and was then
/// appended to the text once more.
struct DocumentLines {
    /// The text's UTF-8 bytes.
    private(set) var utf8: [UInt8] = []

    init(capacity: Int = 8192) {
        utf8.reserveCapacity(capacity)
    }

    /// The text, a `String` made once.
    var text: String { String(decoding: utf8, as: UTF8.self) }

    mutating func append(_ line: DocumentLine) {
        utf8.append(contentsOf: line.bytes)
        utf8.append(0x0A)
    }

    /// A line held in a `String`.
    mutating func appendLine(_ line: String) {
        appendText(line)
        utf8.append(0x0A)
    }

    /// Lines already joined, each ending with a newline.
    mutating func appendText(_ joined: String) {
        var joined = joined
        joined.withUTF8 { utf8.append(contentsOf: $0) }
    }
}

/// One line of a document, written by string interpolation: literal pieces and values as
/// UTF-8 bytes, with the same text as `String`'s interpolation (a value as its `description`).
struct DocumentLine: ExpressibleByStringInterpolation {
    var bytes: [UInt8]

    init(stringLiteral literal: StaticString) {
        bytes = Array(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    init(stringInterpolation: StringInterpolation) {
        bytes = stringInterpolation.bytes
    }

    struct StringInterpolation: StringInterpolationProtocol {
        var bytes: [UInt8] = []

        init(literalCapacity: Int, interpolationCount: Int) {
            bytes.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        mutating func appendLiteral(_ literal: StaticString) {
            bytes.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
        }

        mutating func appendInterpolation(_ value: String) {
            var value = value
            value.withUTF8 { bytes.append(contentsOf: $0) }
        }

        mutating func appendInterpolation<T: CustomStringConvertible>(_ value: T) {
            appendInterpolation(value.description)
        }
    }
}
