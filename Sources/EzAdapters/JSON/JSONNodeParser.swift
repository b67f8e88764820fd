import EzCore
import Foundation

// MARK: - Nodes and scanning

extension FastJSONDecoder {
    enum Kind: UInt8 {
        case null, falseValue, trueValue, number, string, array, object
    }

    /// One JSON value.
    struct Node {
        /// Scalars: byte offset of the text (for strings, just after the opening quote).
        /// Objects: the key node the next lookup starts at.
        var a: UInt32
        /// Scalars: byte length of the text (strings without their quotes).
        /// Arrays: number of elements; objects: number of entries.
        var b: UInt32
        /// Index of the first node after this value's subtree.
        var next: UInt32
        var kind: Kind
        var flags: UInt8
    }

    /// String flags.
    static let hasEscape: UInt8 = 1
    static let hasNonASCII: UInt8 = 2
    static let hasControl: UInt8 = 4
    /// Object flags.
    /// Some key has an escape or a non-ASCII byte: keys are compared as `String`s.
    static let complexKeys: UInt8 = 1
    /// Some key appears twice: lookups scan from the first entry (the first one wins).
    static let duplicateKeys: UInt8 = 2
    /// `complexKeys` objects: the keys were checked to be distinct as `String`s.
    static let checkedKeys: UInt8 = 4

    static let maxDepth = 512

    struct ParseError: Error {
        var message: String
        var offset: Int
    }

    struct Parser {
        let bytes: UnsafePointer<UInt8>
        let end: Int
        var i = 0
        var nodes: UnsafeMutablePointer<Node>
        var capacity: Int
        var count = 0

        init(bytes: UnsafePointer<UInt8>, count: Int) {
            self.bytes = bytes
            self.end = count
            self.capacity = count / 6 + 16
            self.nodes = .allocate(capacity: capacity)
        }

        @inline(__always)
        mutating func append(_ node: Node) -> Int {
            if count == capacity { grow() }
            nodes[count] = node
            count += 1
            return count - 1
        }

        mutating func grow() {
            let bigger = UnsafeMutablePointer<Node>.allocate(capacity: capacity * 2)
            bigger.initialize(from: nodes, count: count)
            nodes.deallocate()
            nodes = bigger
            capacity *= 2
        }

        func error(_ message: String, at offset: Int) -> ParseError {
            ParseError(message: message, offset: offset)
        }

        func unexpected(at offset: Int) -> ParseError {
            if offset >= end { return error("unexpected end of input", at: offset) }
            let byte = bytes[offset]
            if byte >= 0x21 && byte < 0x7F {
                return error("unexpected character '\(Character(UnicodeScalar(byte)))'", at: offset)
            }
            return error("unexpected byte 0x\(String(byte, radix: 16, uppercase: true))", at: offset)
        }

        @inline(__always)
        mutating func skipWhitespace() {
            while i < end {
                let c = bytes[i]
                guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
                i += 1
            }
        }

        mutating func parseDocument() throws {
            if end >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3 }
            try parseValue(depth: 0)
            skipWhitespace()
            if i != end { throw error("unexpected data after the top-level value", at: i) }
        }

        mutating func parseValue(depth: Int) throws {
            skipWhitespace()
            guard i < end else { throw unexpected(at: i) }
            switch bytes[i] {
            case UInt8(ascii: "\""):
                let (start, length, flags) = try scanString()
                _ = append(Node(a: UInt32(start), b: UInt32(length), next: UInt32(count + 1),
                                kind: .string, flags: flags))
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = i
                i += 1
                while i < end {
                    let c = bytes[i]
                    // Digits, '+', '-', '.', 'e', 'E': the number is checked when it is decoded.
                    if (c >= 0x30 && c <= 0x39) || c == 0x2B || c == 0x2D || c == 0x2E || c == 0x45 || c == 0x65 {
                        i += 1
                    } else {
                        break
                    }
                }
                _ = append(Node(a: UInt32(start), b: UInt32(i - start), next: UInt32(count + 1),
                                kind: .number, flags: 0))
            case UInt8(ascii: "{"):
                try parseObject(depth: depth + 1)
            case UInt8(ascii: "["):
                try parseArray(depth: depth + 1)
            case UInt8(ascii: "t"):
                try literal("true", 0x74_72_75_65)
                _ = append(Node(a: UInt32(i - 4), b: 4, next: UInt32(count + 1), kind: .trueValue, flags: 0))
            case UInt8(ascii: "f"):
                guard i + 5 <= end, bytes[i + 4] == UInt8(ascii: "e") else {
                    throw error("invalid literal (expected 'false')", at: i)
                }
                try literal("false", 0x66_61_6C_73)
                i += 1
                _ = append(Node(a: UInt32(i - 5), b: 5, next: UInt32(count + 1), kind: .falseValue, flags: 0))
            case UInt8(ascii: "n"):
                try literal("null", 0x6E_75_6C_6C)
                _ = append(Node(a: UInt32(i - 4), b: 4, next: UInt32(count + 1), kind: .null, flags: 0))
            default:
                throw unexpected(at: i)
            }
        }

        /// Checks the 4 bytes at `i` against `word` (big-endian ASCII) and steps over them.
        @inline(__always)
        mutating func literal(_ name: String, _ word: UInt32) throws {
            guard i + 4 <= end else { throw error("invalid literal (expected '\(name)')", at: i) }
            let found = UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8
                | UInt32(bytes[i + 3])
            guard found == word else { throw error("invalid literal (expected '\(name)')", at: i) }
            i += 4
        }

        /// Finds the end of the string starting at `i` (its opening quote) and steps past it.
        /// Returns where its contents start, their length and what `decodeString` must look at.
        @inline(__always)
        mutating func scanString() throws -> (Int, Int, UInt8) {
            let start = i + 1
            var j = start
            var flags: UInt8 = 0
            while true {
                // Eight bytes at a time while none is a quote, a backslash, a control or non-ASCII
                // byte; then straight to the first such byte of the word (`ByteWord`).
                while j + 8 <= end {
                    let word = ByteWord.load(bytes + j)
                    let special = JSONText.escapeMarks(word) | ByteWord.nonASCII(word)
                    if special != 0 {
                        j &+= ByteWord.firstMarked(special)
                        break
                    }
                    j += 8
                }
                guard j < end else { throw error("unterminated string", at: start - 1) }
                let c = bytes[j]
                if c == UInt8(ascii: "\"") { break }
                if c == UInt8(ascii: "\\") {
                    flags |= FastJSONDecoder.hasEscape
                    if j + 1 < end && bytes[j + 1] == UInt8(ascii: "u") {
                        // As Foundation's scanner: four more bytes, none of them a quote.
                        guard j + 6 <= end else { throw error("unterminated string", at: start - 1) }
                        for k in 2..<6 where bytes[j + k] == UInt8(ascii: "\"") {
                            throw error("invalid \\u escape", at: j)
                        }
                        j += 6
                    } else {
                        j += 2
                    }
                    continue
                }
                if c < 0x20 {
                    flags |= FastJSONDecoder.hasControl
                } else if c >= 0x80 {
                    flags |= FastJSONDecoder.hasNonASCII
                }
                j += 1
            }
            i = j + 1
            return (start, j - start, flags)
        }

        mutating func parseArray(depth: Int) throws {
            guard depth <= FastJSONDecoder.maxDepth else { throw error("too many nested arrays and objects", at: i) }
            let index = append(Node(a: UInt32(i), b: 0, next: 0, kind: .array, flags: 0))
            i += 1
            var elements: UInt32 = 0
            skipWhitespace()
            if i < end && bytes[i] == UInt8(ascii: "]") {
                i += 1
            } else {
                while true {
                    try parseValue(depth: depth)
                    elements += 1
                    skipWhitespace()
                    guard i < end else { throw unexpected(at: i) }
                    let c = bytes[i]
                    i += 1
                    if c == UInt8(ascii: "]") { break }
                    guard c == UInt8(ascii: ",") else {
                        throw error("expected ',' or ']' in array", at: i - 1)
                    }
                    skipWhitespace()
                    // Foundation accepts a trailing comma.
                    if i < end && bytes[i] == UInt8(ascii: "]") {
                        i += 1
                        break
                    }
                }
            }
            nodes[index].b = elements
            nodes[index].next = UInt32(count)
        }

        mutating func parseObject(depth: Int) throws {
            guard depth <= FastJSONDecoder.maxDepth else { throw error("too many nested arrays and objects", at: i) }
            let index = append(Node(a: 0, b: 0, next: 0, kind: .object, flags: 0))
            i += 1
            var entries: UInt32 = 0
            var objectFlags: UInt8 = 0
            // Which (length, first byte, last byte) buckets the simple keys so far fall in:
            // a key in a bucket already used is compared with the keys before it.
            var seenLow: UInt64 = 0
            var seenHigh: UInt64 = 0
            skipWhitespace()
            if i < end && bytes[i] == UInt8(ascii: "}") {
                i += 1
            } else {
                while true {
                    guard i < end, bytes[i] == UInt8(ascii: "\"") else {
                        if i >= end { throw unexpected(at: i) }
                        throw error("expected a string key in object", at: i)
                    }
                    let keyStart = i
                    let (start, length, flags) = try scanString()
                    let key = append(Node(a: UInt32(start), b: UInt32(length), next: UInt32(count + 1),
                                          kind: .string, flags: flags))
                    if flags != 0 {
                        objectFlags |= FastJSONDecoder.complexKeys
                        // Foundation turns every key into a String: bad keys are errors.
                        let doc = Document(bytes: bytes, nodes: nodes)
                        if (try? doc.keyString(key)) == nil {
                            throw error("invalid string (bad escape, control character or UTF-8)", at: keyStart)
                        }
                    } else if objectFlags & FastJSONDecoder.duplicateKeys == 0 {
                        let p = bytes + start
                        let bucket = length == 0 ? 0 : (length &* 31 &+ Int(p[0]) &* 7 &+ Int(p[length - 1])) & 127
                        let bit: UInt64 = 1 << UInt64(bucket & 63)
                        let seen = bucket < 64 ? seenLow & bit : seenHigh & bit
                        if seen != 0 {
                            var k = index + 1
                            while k < key {
                                let other = nodes[k]
                                if other.flags == 0 && Int(other.b) == length
                                    && memcmp(bytes + Int(other.a), p, length) == 0 {
                                    objectFlags |= FastJSONDecoder.duplicateKeys
                                    break
                                }
                                k = Int(nodes[k + 1].next)
                            }
                        } else if bucket < 64 {
                            seenLow |= bit
                        } else {
                            seenHigh |= bit
                        }
                    }
                    skipWhitespace()
                    guard i < end, bytes[i] == UInt8(ascii: ":") else {
                        if i >= end { throw unexpected(at: i) }
                        throw error("expected ':' after object key", at: i)
                    }
                    i += 1
                    try parseValue(depth: depth)
                    entries += 1
                    skipWhitespace()
                    guard i < end else { throw unexpected(at: i) }
                    let c = bytes[i]
                    i += 1
                    if c == UInt8(ascii: "}") { break }
                    guard c == UInt8(ascii: ",") else {
                        throw error("expected ',' or '}' in object", at: i - 1)
                    }
                    skipWhitespace()
                    // Foundation accepts a trailing comma.
                    if i < end && bytes[i] == UInt8(ascii: "}") {
                        i += 1
                        break
                    }
                }
            }
            nodes[index] = Node(a: UInt32(index + 1), b: entries, next: UInt32(count), kind: .object,
                                flags: objectFlags)
        }
    }
}
