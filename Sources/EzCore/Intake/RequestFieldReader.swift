/// Reads typed fields out of one request line while collecting every problem it meets.
///
/// Lenient where CSV needs it (numbers and booleans as strings, empty string = missing),
/// strict everywhere else (no fractions for money, no unknown fields).
struct RequestFieldReader {
    /// The request type whose rules apply, named in "missing (required for type …)".
    var typeName: String
    private(set) var errors: [FieldError] = []

    init(typeName: String) {
        self.typeName = typeName
    }

    mutating func fail(_ field: String, _ reason: String) {
        errors.append(FieldError(field: field, reason: reason))
    }

    mutating func missing(_ field: String) {
        fail(field, "missing (required for type \(typeName))")
    }

    // MARK: - Presence

    /// The value at `key`, or nil when it is absent, null or a blank string (CSV empty cell).
    static func present(_ object: [String: JSONValue], _ key: String) -> JSONValue? {
        guard let value = object[key] else { return nil }
        switch value {
        case .null: return nil
        case .string(let s) where Self.trim(s).isEmpty: return nil
        default: return value
        }
    }

    /// Records one error per key of `object` that is not in `allowed`, with a suggestion.
    mutating func rejectUnknown(_ object: [String: JSONValue], allowed: [String], path: String) {
        // Sorted (the errors' order) only when some key is unknown: most lines have none.
        guard object.keys.contains(where: { !allowed.contains($0) }) else { return }
        for key in object.keys.sorted() where !allowed.contains(key) {
            var reason = "unknown field"
            if let near = Self.closest(to: key, in: allowed) { reason += " (did you mean \"\(near)\"?)" }
            reason += "; allowed here for type \(typeName): " + allowed.joined(separator: ", ")
            fail(Self.join(path, key), reason)
        }
    }

    // MARK: - Typed readers

    /// A trimmed, non-empty string; a number or boolean is an error (leading zeros matter).
    mutating func string(_ object: [String: JSONValue], _ key: String, path: String,
                         required: Bool, maxLength: Int? = nil) -> String? {
        var field: String { Self.join(path, key) }  // made only for an error message
        guard let value = Self.present(object, key) else {
            if required { missing(field) }
            return nil
        }
        guard case .string(let raw) = value else {
            fail(field, "expected a string, got \(Self.describe(value))")
            return nil
        }
        let text = Self.trim(raw)
        if let maxLength, text.utf8.count > maxLength, text.count > maxLength {
            fail(field, "too long: \(text.count) characters (at most \(maxLength))")
            return nil
        }
        if Self.hasControlCharacter(text) {
            fail(field, "contains a control character (tab, newline, …): \(Self.quote(text))")
            return nil
        }
        return text
    }

    /// A whole number, from a JSON integer, a whole JSON double or a string of ASCII digits.
    mutating func integer(_ object: [String: JSONValue], _ key: String, path: String,
                          required: Bool, range: ClosedRange<Int64>, what: String = "an integer") -> Int64? {
        var field: String { Self.join(path, key) }  // made only for an error message
        guard let value = Self.present(object, key) else {
            if required { missing(field) }
            return nil
        }
        let number: Int64
        switch value {
        case .int(let i):
            number = i
        case .double(let d):
            guard d.isFinite, d == d.rounded(.towardZero) else {
                fail(field, "not a whole number: \(d) (\(what) has no fraction)")
                return nil
            }
            guard d.magnitude < 9.2e18 else {
                fail(field, "too large: \(d)")
                return nil
            }
            number = Int64(d)
        case .string(let raw):
            let text = Self.trim(raw)
            guard let parsed = Self.parseDigits(text) else {
                if text.contains(".") || text.contains(",") {
                    fail(field, "not a whole number: \(Self.quote(text)) (digits only, no fraction or separators)")
                } else {
                    fail(field, "not a number: \(Self.quote(text)) (expected \(what))")
                }
                return nil
            }
            number = parsed
        default:
            fail(field, "expected \(what), got \(Self.describe(value))")
            return nil
        }
        guard range.contains(number) else {
            if range.upperBound == Int64.max {
                fail(field, "must be at least \(range.lowerBound), got \(number)")
            } else {
                fail(field, "must be between \(range.lowerBound) and \(range.upperBound), got \(number)")
            }
            return nil
        }
        return number
    }

    /// A boolean, from JSON true/false or the strings true/false/Y/N (any case).
    mutating func bool(_ object: [String: JSONValue], _ key: String, path: String) -> Bool? {
        var field: String { Self.join(path, key) }  // made only for an error message
        guard let value = Self.present(object, key) else { return nil }
        switch value {
        case .bool(let b):
            return b
        case .string(let raw):
            switch Self.trim(raw).lowercased() {
            case "true", "y", "yes": return true
            case "false", "n", "no": return false
            default:
                fail(field, "not a boolean: \(Self.quote(raw)) (use true/false or Y/N)")
                return nil
            }
        default:
            fail(field, "expected a boolean (true/false or Y/N), got \(Self.describe(value))")
            return nil
        }
    }

    /// A calendar day written `YYYY-MM-DD` that exists.
    mutating func date(_ object: [String: JSONValue], _ key: String, path: String, required: Bool) -> BusinessDate? {
        var field: String { Self.join(path, key) }  // made only for an error message
        guard let text = string(object, key, path: path, required: required) else { return nil }
        guard let date = BusinessDate(text) else {
            fail(field, "not a date (YYYY-MM-DD): \(Self.quote(text))")
            return nil
        }
        return date
    }

    /// A nested object; a non-object value is an error.
    mutating func object(_ object: [String: JSONValue], _ key: String, path: String,
                         required: Bool) -> [String: JSONValue]? {
        var field: String { Self.join(path, key) }  // made only for an error message
        guard let value = Self.present(object, key) else {
            if required { missing(field) }
            return nil
        }
        guard case .object(let nested) = value else {
            fail(field, "expected an object, got \(Self.describe(value))")
            return nil
        }
        return nested
    }

    // MARK: - Text helpers

    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : path + "." + key
    }

    /// ASCII digits only, no sign, fits in Int64.
    static func parseDigits(_ text: String) -> Int64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int64(text)
    }

    static func quote(_ text: String) -> String {
        let shown = text.count > 60 ? String(text.prefix(60)) + "…" : text
        var out = "\""
        for scalar in shown.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let b): "boolean \(b)"
        case .int(let i): "number \(i)"
        case .double(let d): "number \(d)"
        case .string(let s): "string \(quote(s))"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The allowed name nearest to a misspelt one (edit distance at most 2), for hints.
    static func closest(to key: String, in names: [String]) -> String? {
        let lowered = key.lowercased()
        var best: (name: String, distance: Int)?
        for name in names {
            let d = editDistance(Array(lowered.unicodeScalars), Array(name.unicodeScalars))
            if d <= 2, d < (best?.distance ?? Int.max) { best = (name, d) }
        }
        return best?.name
    }

    private static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// Without leading and trailing spaces, tabs and line breaks (CSV cells often carry them).
    static func trim(_ text: String) -> String {
        // Most values start and end with a printable ASCII character: nothing to trim.
        if let first = text.utf8.first, let last = text.utf8.last,
           (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) { return text }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }

    /// Whether `text` holds a control character (general category Cc: U+0000–U+001F and
    /// U+007F–U+009F), read from its UTF-8 bytes, where U+0080–U+009F are C2 80 – C2 9F.
    static func hasControlCharacter(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return false }
            var i = 0
            // Eight bytes at a time while none is below 0x20, DEL or C2 (the lead byte of
            // U+0080–U+00BF): no control character starts in them. Then byte by byte.
            while i + 8 <= bytes.count {
                let word = ByteWord.load(base + i)
                if ByteWord.control(word) | ByteWord.equal(word, 0x7F) | ByteWord.equal(word, 0xC2) != 0 { break }
                i += 8
            }
            var previous: UInt8 = 0
            while i < bytes.count {
                let byte = bytes[i]
                if byte < 0x20 || byte == 0x7F || (previous == 0xC2 && (0x80...0x9F).contains(byte)) { return true }
                previous = byte
                i += 1
            }
            return false
        }
    }
}
