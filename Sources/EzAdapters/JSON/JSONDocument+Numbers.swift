import Foundation

extension FastJSONDecoder.Document {
    // MARK: Numbers

    /// What `scanNumber` found in a number's text.
    struct NumberParts {
        var negative = false
        /// The first 19 significant digits.
        var mantissa: UInt64 = 0
        /// More than 19 significant digits: `mantissa` is not the whole number.
        var truncated = false
        /// Power of ten to scale `mantissa` by (fraction digits and exponent).
        var exponent = 0
        /// Has a fraction or an exponent.
        var isPlainInteger = true
        /// Some digit before the exponent is not zero.
        var nonZero = false
    }

    /// Checks a number against JSON's grammar and splits it; nil when it is malformed.
    func scanNumber(_ n: FastJSONDecoder.Node) -> NumberParts? {
        let p = bytes + Int(n.a)
        let length = Int(n.b)
        var parts = NumberParts()
        var j = 0
        var significant = 0
        if p[0] == UInt8(ascii: "-") {
            parts.negative = true
            j = 1
        }
        guard j < length else { return nil }
        @inline(__always) func digit(_ k: Int) -> UInt64? {
            let d = p[k] &- 0x30
            return d <= 9 ? UInt64(d) : nil
        }
        @inline(__always) func add(_ d: UInt64) -> Bool {
            if d != 0 { parts.nonZero = true }
            if parts.mantissa == 0 && d == 0 { return true }
            if significant < 19 {
                parts.mantissa = parts.mantissa &* 10 &+ d
                significant += 1
                return true
            }
            parts.truncated = true
            return false
        }
        guard let first = digit(j) else { return nil }
        j += 1
        if first == 0 {
            if j < length, digit(j) != nil { return nil }
        } else {
            _ = add(first)
            while j < length, let d = digit(j) {
                if !add(d) { parts.exponent += 1 }
                j += 1
            }
        }
        if j < length && p[j] == UInt8(ascii: ".") {
            parts.isPlainInteger = false
            j += 1
            guard j < length, digit(j) != nil else { return nil }
            while j < length, let d = digit(j) {
                if add(d) { parts.exponent -= 1 }
                j += 1
            }
        }
        if j < length && (p[j] == UInt8(ascii: "e") || p[j] == UInt8(ascii: "E")) {
            parts.isPlainInteger = false
            j += 1
            var negativeExponent = false
            if j < length && (p[j] == UInt8(ascii: "+") || p[j] == UInt8(ascii: "-")) {
                negativeExponent = p[j] == UInt8(ascii: "-")
                j += 1
            }
            guard j < length, digit(j) != nil else { return nil }
            var e = 0
            while j < length, let d = digit(j) {
                if e < 1_000_000 { e = e * 10 + Int(d) }
                j += 1
            }
            parts.exponent += negativeExponent ? -e : e
        }
        return j == length ? parts : nil
    }

    func invalidNumber(at index: Int) -> DecodingError {
        let n = nodes[index]
        return corrupted("invalid number '\(text(n))'", at: index, offset: Int(n.a))
    }

    @inline(__always)
    func integer<T: FixedWidthInteger & Decodable>(_ type: T.Type, at index: Int) throws -> T {
        let n = nodes[index]
        guard n.kind == .number else { throw mismatch(T.self, at: index) }
        let p = bytes + Int(n.a)
        let length = Int(n.b)
        var j = 0
        var negative = false
        if p[0] == UInt8(ascii: "-") {
            negative = true
            j = 1
        }
        let digitsStart = j
        var magnitude: UInt64 = 0
        var overflow = false
        // 19 digits cannot overflow UInt64.
        if length - digitsStart <= 19 {
            while j < length {
                let d = p[j] &- 0x30
                if d > 9 { break }
                magnitude = magnitude &* 10 &+ UInt64(d)
                j += 1
            }
        } else {
            while j < length {
                let d = p[j] &- 0x30
                if d > 9 { break }
                let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(UInt64(d))
                overflow = overflow || o1 || o2
                magnitude = sum
                j += 1
            }
        }
        guard j == length, j > digitsStart, p[digitsStart] != UInt8(ascii: "0") || j == digitsStart + 1 else {
            return try slowInteger(type, at: index)
        }
        // A plain integer out of range: Foundation's Double and Decimal fallbacks refuse it too.
        if overflow { throw notRepresentable(T.self, at: index) }
        if negative {
            guard T.isSigned else {
                if magnitude == 0 { return 0 }
                throw notRepresentable(T.self, at: index)
            }
            if magnitude <= UInt64(T.max) { return 0 - T(truncatingIfNeeded: magnitude) }
            if magnitude == UInt64(T.max) + 1 { return T.min }
            throw notRepresentable(T.self, at: index)
        }
        guard magnitude <= UInt64(T.max) else { throw notRepresentable(T.self, at: index) }
        return T(truncatingIfNeeded: magnitude)
    }

    /// Numbers with a fraction or an exponent (or too many digits), converted as Foundation does:
    /// through `Double` when exact below 2^53, else as Foundation's own `Decimal` path gives.
    func slowInteger<T: FixedWidthInteger & Decodable>(_ type: T.Type, at index: Int) throws -> T {
        let n = nodes[index]
        guard scanNumber(n) != nil else { throw invalidNumber(at: index) }
        let text = text(n)
        if let double = Double(text) {
            guard let value = T(exactly: double) else { throw notRepresentable(T.self, at: index) }
            if double.magnitude < 9_007_199_254_740_992.0 { return value }
        }
        // Past 2^53 Foundation converts through `Decimal`; ask it, on this number alone.
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw notRepresentable(T.self, at: index)
        }
    }

    static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    func double(at index: Int) throws -> Double {
        let n = nodes[index]
        guard n.kind == .number else { throw mismatch(Double.self, at: index) }
        guard let parts = scanNumber(n) else { throw invalidNumber(at: index) }
        // Exact when the digits fit in 53 bits and the power of ten is exact (Clinger).
        if !parts.truncated && parts.mantissa <= 1 << 53 && parts.exponent >= -22 && parts.exponent <= 22 {
            var value = Double(parts.mantissa)
            if parts.exponent < 0 {
                value /= Self.powersOfTen[-parts.exponent]
            } else {
                value *= Self.powersOfTen[parts.exponent]
            }
            return parts.negative ? -value : value
        }
        guard let value = Double(text(n)) else { throw invalidNumber(at: index) }
        // Foundation refuses numbers that overflow to infinity or underflow to zero.
        guard value.isFinite, value != 0 || !parts.nonZero else { throw notRepresentable(Double.self, at: index) }
        return value
    }

    func float(at index: Int) throws -> Float {
        let n = nodes[index]
        guard n.kind == .number else { throw mismatch(Float.self, at: index) }
        guard let parts = scanNumber(n) else { throw invalidNumber(at: index) }
        guard let value = Float(text(n)) else { throw invalidNumber(at: index) }
        guard value.isFinite, value != 0 || !parts.nonZero else { throw notRepresentable(Float.self, at: index) }
        return value
    }

    // MARK: Foundation types

    func data(at index: Int) throws -> Data {
        let n = nodes[index]
        if n.kind == .null { throw mismatch(Data.self, at: index) }
        guard n.kind == .string else { throw typeMismatch(String.self, at: index) }
        guard let data = Data(base64Encoded: try string(at: index)) else {
            throw FastJSONDecoder.corrupted("Encountered Data is not valid Base64.", path: path(to: index))
        }
        return data
    }

    func url(at index: Int) throws -> URL {
        let n = nodes[index]
        if n.kind == .null { throw mismatch(URL.self, at: index) }
        guard n.kind == .string else { throw typeMismatch(String.self, at: index) }
        guard let url = URL(string: try string(at: index)) else {
            throw FastJSONDecoder.corrupted("Invalid URL string.", path: path(to: index))
        }
        return url
    }

    func decimal(at index: Int) throws -> Decimal {
        let n = nodes[index]
        guard n.kind == .number else { throw mismatch(Decimal.self, at: index) }
        guard scanNumber(n) != nil else { throw invalidNumber(at: index) }
        // Foundation's own reading of the number, so the digits kept are the same.
        do {
            return try JSONDecoder().decode(Decimal.self, from: Data(text(n).utf8))
        } catch {
            throw notRepresentable(Decimal.self, at: index)
        }
    }
}
