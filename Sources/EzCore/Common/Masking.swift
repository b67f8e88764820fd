/// Masks personal data for views, logs and alarms' correlation fields.
public enum Masking {
    /// `010-1234-5678` -> `010-****-5678`; any other shape keeps only its last four digits.
    public static func phone(_ phone: String) -> String {
        let parts = phone.split(separator: "-")
        if parts.count == 3 {
            return "\(parts[0])-\(String(repeating: "*", count: parts[1].count))-\(parts[2])"
        }
        return keepLast(4, of: phone)
    }

    /// Keeps the last `count` characters and stars the rest.
    public static func keepLast(_ count: Int, of text: String) -> String {
        guard text.count > count else { return String(repeating: "*", count: text.count) }
        return String(repeating: "*", count: text.count - count) + text.suffix(count)
    }

    /// `hong@example.com` -> `ho**@example.com`; a local part of two characters or fewer keeps
    /// only its first (`ab@x.kr` -> `a*@x.kr`).
    public static func email(_ email: String) -> String {
        guard let at = email.firstIndex(of: "@") else { return keepLast(0, of: email) }
        let local = email[..<at]
        let shown = local.count > 2 ? 2 : 1
        return String(local.prefix(shown)) + String(repeating: "*", count: max(0, local.count - shown)) + email[at...]
    }

    public static func instrument(_ instrument: PaymentInstrument) -> String {
        switch instrument {
        case .card(let token): "card " + keepLast(4, of: token)
        case .account(let bank, let number): "account \(bank) " + keepLast(4, of: number)
        }
    }
}
