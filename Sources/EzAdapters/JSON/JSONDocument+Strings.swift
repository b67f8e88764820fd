import Foundation

extension FastJSONDecoder.Document {
    // MARK: Strings

    @inline(__always)
    func string(at index: Int) throws -> String {
        let n = nodes[index]
        guard n.kind == .string else { throw mismatch(String.self, at: index) }
        if n.flags == 0 {
            return String(decoding: UnsafeBufferPointer(start: bytes + Int(n.a), count: Int(n.b)), as: UTF8.self)
        }
        do {
            return try stringContents(n)
        } catch let error as FastJSONDecoder.ParseError {
            throw corrupted(error.message, at: index, offset: error.offset)
        }
    }

    /// A key's text; keys with escapes or non-ASCII bytes were checked when scanned.
    func keyString(_ index: Int) throws -> String {
        let n = nodes[index]
        if n.flags == 0 { return text(n) }
        return try stringContents(n)
    }

    /// Checks and unescapes a string that has escapes, control characters or non-ASCII bytes.
    func stringContents(_ n: FastJSONDecoder.Node) throws -> String {
        let start = Int(n.a)
        let end = start + Int(n.b)
        if n.flags & FastJSONDecoder.hasEscape == 0 {
            var r = start
            while r < end {
                let c = bytes[r]
                if c < 0x20 { throw FastJSONDecoder.ParseError(message: "unescaped control character in string", offset: r) }
                if c < 0x80 {
                    r += 1
                } else {
                    let length = utf8SequenceLength(at: r, end: end)
                    if length == 0 { throw FastJSONDecoder.ParseError(message: "invalid UTF-8 in string", offset: r) }
                    r += length
                }
            }
            return String(decoding: UnsafeBufferPointer(start: bytes + start, count: end - start), as: UTF8.self)
        }
        // An escape never takes fewer bytes than what it stands for.
        return try String(unsafeUninitializedCapacity: end - start) { out in
            var r = start
            var w = 0
            while r < end {
                let c = bytes[r]
                if c == UInt8(ascii: "\\") {
                    guard r + 1 < end else { throw FastJSONDecoder.ParseError(message: "unterminated escape", offset: r) }
                    let e = bytes[r + 1]
                    var simple: UInt8 = 0
                    switch e {
                    case UInt8(ascii: "\""): simple = 0x22
                    case UInt8(ascii: "\\"): simple = 0x5C
                    case UInt8(ascii: "/"): simple = 0x2F
                    case UInt8(ascii: "b"): simple = 0x08
                    case UInt8(ascii: "f"): simple = 0x0C
                    case UInt8(ascii: "n"): simple = 0x0A
                    case UInt8(ascii: "r"): simple = 0x0D
                    case UInt8(ascii: "t"): simple = 0x09
                    case UInt8(ascii: "u"):
                        var scalar = try hex4(at: r + 2, end: end)
                        r += 6
                        if scalar >= 0xD800 && scalar < 0xDC00 {
                            guard r + 1 < end, bytes[r] == UInt8(ascii: "\\"), bytes[r + 1] == UInt8(ascii: "u") else {
                                throw FastJSONDecoder.ParseError(message: "high surrogate escape without a low surrogate", offset: r - 6)
                            }
                            let low = try hex4(at: r + 2, end: end)
                            guard low >= 0xDC00 && low < 0xE000 else {
                                throw FastJSONDecoder.ParseError(message: "high surrogate escape without a low surrogate", offset: r - 6)
                            }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            r += 6
                        } else if scalar >= 0xDC00 && scalar < 0xE000 {
                            throw FastJSONDecoder.ParseError(message: "low surrogate escape without a high surrogate", offset: r - 6)
                        }
                        w += encodeUTF8(scalar, into: out, at: w)
                        continue
                    default:
                        throw FastJSONDecoder.ParseError(message: "invalid escape sequence", offset: r)
                    }
                    out[w] = simple
                    w += 1
                    r += 2
                } else if c < 0x20 {
                    throw FastJSONDecoder.ParseError(message: "unescaped control character in string", offset: r)
                } else if c < 0x80 {
                    out[w] = c
                    w += 1
                    r += 1
                } else {
                    let length = utf8SequenceLength(at: r, end: end)
                    if length == 0 { throw FastJSONDecoder.ParseError(message: "invalid UTF-8 in string", offset: r) }
                    for k in 0..<length { out[w + k] = bytes[r + k] }
                    w += length
                    r += length
                }
            }
            return w
        }
    }

    func hex4(at r: Int, end: Int) throws -> UInt32 {
        guard r + 4 <= end else { throw FastJSONDecoder.ParseError(message: "incomplete \\u escape", offset: r - 2) }
        var value: UInt32 = 0
        for k in 0..<4 {
            let c = bytes[r + k]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: throw FastJSONDecoder.ParseError(message: "invalid \\u escape", offset: r - 2)
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    func encodeUTF8(_ scalar: UInt32, into out: UnsafeMutableBufferPointer<UInt8>, at w: Int) -> Int {
        if scalar < 0x80 {
            out[w] = UInt8(scalar)
            return 1
        }
        if scalar < 0x800 {
            out[w] = UInt8(0xC0 | scalar >> 6)
            out[w + 1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        }
        if scalar < 0x10000 {
            out[w] = UInt8(0xE0 | scalar >> 12)
            out[w + 1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            out[w + 2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        }
        out[w] = UInt8(0xF0 | scalar >> 18)
        out[w + 1] = UInt8(0x80 | scalar >> 12 & 0x3F)
        out[w + 2] = UInt8(0x80 | scalar >> 6 & 0x3F)
        out[w + 3] = UInt8(0x80 | scalar & 0x3F)
        return 4
    }

    /// The length of the well-formed UTF-8 sequence at `r` (lead byte >= 0x80), or 0.
    func utf8SequenceLength(at r: Int, end: Int) -> Int {
        let c0 = bytes[r]
        @inline(__always) func continuation(_ k: Int) -> Bool { bytes[r + k] & 0xC0 == 0x80 }
        if c0 < 0xC2 { return 0 }
        if c0 < 0xE0 {
            return r + 1 < end && continuation(1) ? 2 : 0
        }
        if c0 < 0xF0 {
            guard r + 2 < end else { return 0 }
            let c1 = bytes[r + 1]
            let low: UInt8 = c0 == 0xE0 ? 0xA0 : 0x80
            let high: UInt8 = c0 == 0xED ? 0x9F : 0xBF
            return c1 >= low && c1 <= high && continuation(2) ? 3 : 0
        }
        if c0 < 0xF5 {
            guard r + 3 < end else { return 0 }
            let c1 = bytes[r + 1]
            let low: UInt8 = c0 == 0xF0 ? 0x90 : 0x80
            let high: UInt8 = c0 == 0xF4 ? 0x8F : 0xBF
            return c1 >= low && c1 <= high && continuation(2) && continuation(3) ? 4 : 0
        }
        return 0
    }
}
