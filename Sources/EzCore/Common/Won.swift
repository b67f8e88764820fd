/// Formatting of integer KRW amounts.
public enum Won {
    /// `1234567` -> `1,234,567`.
    public static func format(_ amount: Int64) -> String {
        let digits = String(amount.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return amount < 0 ? "-" + out : out
    }
}
