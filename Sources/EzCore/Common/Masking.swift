/// Masks personal data for views, logs and alarms' correlation fields.
///
/// Texts of printable ASCII (where a character is a byte) are masked byte by byte; any other
/// text by characters, with the same results (a customer's view masks a phone number for
/// every registration, and splitting it into substrings cost thirty times as much).
public enum Masking {
    /// `010-1234-5678` -> `010-****-5678`; any other shape keeps only its last four digits.
    /// The groups are the text's non-empty runs between dashes (`split(separator: "-")`).
    public static func phone(_ phone: String) -> String {
        if let masked = PrintableASCII.phone(phone) { return masked }
        let parts = phone.split(separator: "-")
        if parts.count == 3 {
            return "\(parts[0])-\(String(repeating: "*", count: parts[1].count))-\(parts[2])"
        }
        return keepLast(4, of: phone)
    }

    /// Keeps the last `count` characters and stars the rest.
    public static func keepLast(_ count: Int, of text: String) -> String {
        if let masked = PrintableASCII.keepLast(count, of: text) { return masked }
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

/// The byte-wise masks, for texts whose every byte is printable ASCII (0x20–0x7E: one byte,
/// one character; no CR that could join an LF into one). nil for any other text.
enum PrintableASCII {
    static func phone(_ phone: String) -> String? {
        var text = phone
        return text.withUTF8 { bytes -> String? in
            guard isPrintable(bytes) else { return nil }
            // The non-empty runs between dashes, as `split(separator: "-")` finds them.
            var runs: [(start: Int, end: Int)] = []
            var start = 0
            for i in 0...bytes.count where i == bytes.count || bytes[i] == UInt8(ascii: "-") {
                if i > start {
                    guard runs.count < 3 else { return keepLast(4, of: bytes) }
                    runs.append((start, i))
                }
                start = i + 1
            }
            guard runs.count == 3 else { return keepLast(4, of: bytes) }
            let first = runs[0].end - runs[0].start, middle = runs[1].end - runs[1].start
            let last = runs[2].end - runs[2].start
            return String(unsafeUninitializedCapacity: first + middle + last + 2) { out in
                var n = 0
                func copy(_ run: (start: Int, end: Int)) {
                    for i in run.start..<run.end { out[n] = bytes[i]; n += 1 }
                }
                copy(runs[0])
                out[n] = UInt8(ascii: "-"); n += 1
                for _ in 0..<middle { out[n] = UInt8(ascii: "*"); n += 1 }
                out[n] = UInt8(ascii: "-"); n += 1
                copy(runs[2])
                return n
            }
        }
    }

    static func keepLast(_ count: Int, of text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes in isPrintable(bytes) ? keepLast(count, of: bytes) : nil }
    }

    private static func keepLast(_ count: Int, of bytes: UnsafeBufferPointer<UInt8>) -> String {
        let shown = bytes.count > count ? count : 0
        return String(unsafeUninitializedCapacity: bytes.count) { out in
            let stars = bytes.count - shown
            for i in 0..<stars { out[i] = UInt8(ascii: "*") }
            for i in stars..<bytes.count { out[i] = bytes[i] }
            return bytes.count
        }
    }

    private static func isPrintable(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes where byte < 0x20 || byte > 0x7E { return false }
        return true
    }
}
