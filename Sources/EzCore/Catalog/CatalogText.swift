/// Number formatting shared by pricing steps and underwriting messages (locale-independent,
/// so output is byte-for-byte deterministic).
enum CatalogText {
    /// `30000000` → `"30,000,000"`.
    static func grouped(_ value: Int64) -> String { Won.format(value) }

    static func grouped(_ value: Int) -> String { grouped(Int64(value)) }

    /// `3702.0000000004` → `"3,702.000000"` (6 decimals, half away from zero).
    static func decimal6(_ value: Double) -> String {
        let m = Rounding.micros(value)
        let whole = m.magnitude / 1_000_000, frac = m.magnitude % 1_000_000
        let fracText = String(frac)
        return (m < 0 ? "-" : "") + grouped(Int64(whole)) + "."
            + String(repeating: "0", count: 6 - fracText.count) + fracText
    }

    /// `fixed(14.816613, 4)` → `"14.8166"`; `fixed(1234567.891, 2, grouping: true)` →
    /// `"1,234,567.89"` (half away from zero, locale-independent).
    static func fixed(_ value: Double, _ digits: Int, grouping: Bool = false) -> String {
        guard grouping else { return String(decoding: fixedBytes(value, digits), as: UTF8.self) }
        let (negative, whole, frac) = scaled(value, digits)
        let wholeText = grouped(Int64(whole))
        guard digits > 0 else { return (negative ? "-" : "") + wholeText }
        let fracText = String(frac)
        return (negative ? "-" : "") + wholeText + "." + String(repeating: "0", count: digits - fracText.count) + fracText
    }

    /// `value` × 10^digits rounded half away from zero, split at the point.
    private static func scaled(_ value: Double, _ digits: Int) -> (negative: Bool, whole: UInt64, frac: UInt64) {
        var scale: Int64 = 1
        for _ in 0..<digits { scale *= 10 }
        let m = Int64((value * Double(scale)).rounded(.toNearestOrAwayFromZero))
        return (m < 0, m.magnitude / UInt64(scale), m.magnitude % UInt64(scale))
    }

    /// `fixed` without digit groups, as ASCII bytes: a document's actuarial section writes a
    /// dozen (as strings joined part by part, 1,800 instructions each).
    private static func fixedBytes(_ value: Double, _ digits: Int) -> [UInt8] {
        let (negative, whole, frac) = scaled(value, digits)
        var out: [UInt8] = []
        out.reserveCapacity(24 + digits)
        if negative { out.append(UInt8(ascii: "-")) }
        func put(_ value: UInt64, width: Int) {
            let start = out.count
            var rest = value, written = 0
            repeat {
                out.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10))
                rest /= 10
                written += 1
            } while rest > 0 || written < width
            out[start...].reverse()
        }
        put(whole, width: 1)
        if digits > 0 {
            out.append(UInt8(ascii: "."))
            put(frac, width: digits)
        }
        return out
    }

    /// `0.025` → `"2.5%"` (up to 4 decimals of a percent, trailing zeros dropped).
    static func percent(_ rate: Double) -> String {
        // Trailing zeros, then a trailing point, dropped from the bytes (`hasSuffix` and
        // `removeLast` on a String go by characters: 7,800 instructions a rate, a document's
        // actuarial section writes five).
        var bytes = fixedBytes(rate * 100, 4)
        while bytes.last == UInt8(ascii: "0") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
        bytes.append(UInt8(ascii: "%"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Shortest round-tripping form of a rate or factor: `1.234`, `11.7`, `1.0`.
    static func number(_ value: Double) -> String { String(describing: value) }

    /// `"30,000,000원"`.
    static func won(_ value: Int64) -> String { grouped(value) + "원" }

    /// Korean name of a payment frequency: 월납, 연납.
    static func korean(_ frequency: PaymentFrequency) -> String {
        switch frequency {
        case .monthly: "월납"
        case .annual: "연납"
        }
    }

    /// Payments per year at a frequency.
    static func paymentsPerYear(_ frequency: PaymentFrequency) -> Int64 {
        switch frequency {
        case .monthly: 12
        case .annual: 1
        }
    }
}
