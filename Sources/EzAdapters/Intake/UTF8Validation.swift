import EzCore

/// Strict UTF-8 checks (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
enum UTF8Validation {
    /// The offset of the first byte that does not start or continue a valid sequence, or nil
    /// when all of `bytes` is valid UTF-8. A sequence cut off by the end counts as invalid.
    static func firstInvalidOffset(_ bytes: ArraySlice<UInt8>) -> Int? {
        bytes.withUnsafeBufferPointer { firstInvalidOffset($0) }
    }

    private static func firstInvalidOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        var i = 0
        let end = bytes.count
        while i < end {
            // Eight ASCII bytes at a time (most of a request line).
            if i + 8 <= end, ByteWord.nonASCII(ByteWord.load(base + i)) == 0 {
                i += 8
                continue
            }
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let count: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF: count = 1
            case 0xE0: count = 2; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: count = 2
            case 0xED: count = 2; high = 0x9F
            case 0xF0: count = 3; low = 0x90
            case 0xF1...0xF3: count = 3
            case 0xF4: count = 3; high = 0x8F
            default: return i
            }
            for k in 1...count {
                let j = i + k
                guard j < end else { return i }
                let c = bytes[j]
                let (lo, hi): (UInt8, UInt8) = k == 1 ? (low, high) : (0x80, 0xBF)
                guard c >= lo, c <= hi else { return i }
            }
            i += count + 1
        }
        return nil
    }

    /// Why `bytes` is not UTF-8, for a rejection reason; nil when it is.
    static func problem(_ bytes: ArraySlice<UInt8>) -> String? {
        guard let offset = firstInvalidOffset(bytes) else { return nil }
        let byte = bytes[bytes.startIndex + offset]
        let hex = String(byte, radix: 16, uppercase: true)
        let column = String(decoding: bytes[bytes.startIndex..<(bytes.startIndex + offset)], as: UTF8.self).count + 1
        return "not valid UTF-8: byte 0x\(hex.count < 2 ? "0" : "")\(hex) at column \(column); save the file as UTF-8"
    }
}
