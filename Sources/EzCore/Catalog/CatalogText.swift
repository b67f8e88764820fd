/// Number formatting shared by pricing steps and underwriting messages (locale-independent,
/// so output is byte-for-byte deterministic).
enum CatalogText {
    /// `30000000` → `"30,000,000"`.
    static func grouped(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (value < 0 ? "-" : "") + out
    }

    static func grouped(_ value: Int) -> String { grouped(Int64(value)) }

    /// `3702.0000000004` → `"3,702.000000"` (6 decimals, half away from zero).
    static func decimal6(_ value: Double) -> String {
        let m = Rounding.micros(value)
        let whole = m.magnitude / 1_000_000, frac = m.magnitude % 1_000_000
        let fracText = String(frac)
        return (m < 0 ? "-" : "") + grouped(Int64(whole)) + "."
            + String(repeating: "0", count: 6 - fracText.count) + fracText
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
