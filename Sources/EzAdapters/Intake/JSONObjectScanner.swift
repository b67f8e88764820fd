import EzCore

/// A byte-level JSON reader for the common request line: an object of strings, integers,
/// booleans, nulls, nested objects and arrays. It answers nil whenever a line is anything
/// else — a syntax error, a fraction or exponent, an integer outside Int64, a duplicate key, a
/// lone surrogate — and the caller then takes the `JSONDecoder` path, which gives the same
/// value for every line this reader accepts and the precise reason for every line it refuses.
///
/// `JSONDecoder` into a `JSONValue` tries each kind in turn and throws on every miss; reading the
/// bytes once is several times faster, and ingest parses every line of every file.
/// The bytes must be valid UTF-8 (the caller checks first).
enum JSONObjectScanner {
    static func object(_ bytes: ArraySlice<UInt8>) -> JSONValue? {
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = Cursor(bytes: buffer)
            scanner.skipSpace()
            guard scanner.peek == UInt8(ascii: "{"), let value = scanner.value(depth: 0) else { return nil }
            scanner.skipSpace()
            return scanner.atEnd ? value : nil
        }
    }

    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var atEnd: Bool { index >= bytes.count }
        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func literal(_ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            for i in 0..<count where bytes[index + i] != text.utf8Start[i] { return false }
            index += count
            return true
        }

        mutating func value(depth: Int) -> JSONValue? {
            guard depth < 64, let byte = peek else { return nil }
            switch byte {
            case UInt8(ascii: "{"): return object(depth: depth)
            case UInt8(ascii: "["): return array(depth: depth)
            case UInt8(ascii: "\""): return string().map(JSONValue.string)
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return literal("null") ? .null : nil
            default: return integer().map(JSONValue.int)
            }
        }

        mutating func object(depth: Int) -> JSONValue? {
            index += 1
            // Room for a request's fields from the start: growing rehashes every key so far.
            var fields: [String: JSONValue] = Dictionary(minimumCapacity: 16)
            skipSpace()
            if peek == UInt8(ascii: "}") {
                index += 1
                return .object(fields)
            }
            while true {
                skipSpace()
                guard peek == UInt8(ascii: "\""), let key = string() else { return nil }
                skipSpace()
                guard peek == UInt8(ascii: ":") else { return nil }
                index += 1
                skipSpace()
                guard let value = value(depth: depth + 1), fields.updateValue(value, forKey: key) == nil else { return nil }
                skipSpace()
                switch peek {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"):
                    index += 1
                    return .object(fields)
                default: return nil
                }
            }
        }

        mutating func array(depth: Int) -> JSONValue? {
            index += 1
            var items: [JSONValue] = []
            skipSpace()
            if peek == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            }
            while true {
                skipSpace()
                guard let item = value(depth: depth + 1) else { return nil }
                items.append(item)
                skipSpace()
                switch peek {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"):
                    index += 1
                    return .array(items)
                default: return nil
                }
            }
        }

        /// An integer without fraction or exponent that fits Int64 (no leading zeros, no "-0").
        mutating func integer() -> Int64? {
            let start = index
            let negative = peek == UInt8(ascii: "-")
            if negative { index += 1 }
            var magnitude: UInt64 = 0
            let digitsStart = index
            while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                let (times, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
                guard !o1, !o2 else { return nil }
                magnitude = sum
                index += 1
            }
            let digits = index - digitsStart
            guard digits > 0, !(digits > 1 && bytes[digitsStart] == UInt8(ascii: "0")) else { return nil }
            if let byte = peek, byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                return nil
            }
            if negative {
                guard magnitude != 0, magnitude <= UInt64(Int64.max) + 1 else { return nil }
                return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
            }
            guard magnitude <= UInt64(Int64.max), index > start else { return nil }
            return Int64(magnitude)
        }

        /// A string at the cursor (opening quote included), unescaped.
        mutating func string() -> String? {
            index += 1
            let start = index
            // Fast path: no escapes. Eight bytes at a time while none is a quote, a backslash or
            // a control byte, then from the first that is (`ByteWord`).
            if let base = bytes.baseAddress {
                while index + 8 <= bytes.count {
                    let marks = JSONText.escapeMarks(ByteWord.load(base + index))
                    if marks != 0 {
                        index += ByteWord.firstMarked(marks)
                        break
                    }
                    index += 8
                }
            }
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    index += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { return nil }
                index += 1
            }
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self).unicodeScalars)
            var run = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                    scalars.append(contentsOf: String(decoding: UnsafeBufferPointer(rebasing: bytes[run..<index]), as: UTF8.self).unicodeScalars)
                    if byte == UInt8(ascii: "\"") {
                        index += 1
                        return String(scalars)
                    }
                    guard let escaped = escape() else { return nil }
                    scalars.append(escaped)
                    run = index
                    continue
                }
                if byte < 0x20 { return nil }
                index += 1
            }
            return nil
        }

        /// One escape sequence at the cursor (the backslash included).
        mutating func escape() -> Unicode.Scalar? {
            index += 1
            guard let byte = peek else { return nil }
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return "\""
            case UInt8(ascii: "\\"): return "\\"
            case UInt8(ascii: "/"): return "/"
            case UInt8(ascii: "b"): return "\u{08}"
            case UInt8(ascii: "f"): return "\u{0C}"
            case UInt8(ascii: "n"): return "\n"
            case UInt8(ascii: "r"): return "\r"
            case UInt8(ascii: "t"): return "\t"
            case UInt8(ascii: "u"):
                guard let high = hex4() else { return nil }
                if (0xD800...0xDBFF).contains(high) {
                    guard literal("\\u"), let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                    return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                }
                return Unicode.Scalar(high)
            default: return nil
            }
        }

        mutating func hex4() -> UInt32? {
            guard index + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: return nil
                }
                value = value * 16 + digit
                index += 1
            }
            return value
        }
    }
}
