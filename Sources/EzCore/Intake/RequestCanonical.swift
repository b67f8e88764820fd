/// The canonical text of a validated request, for content hashing (duplicate vs conflict).
///
/// Built from the decoded `Request`, not from the input, so it is the same whether the request
/// came from a JSON line or a CSV row, with or without defaults spelt out, with numbers as
/// numbers or digit strings, with the phone as `01012345678` or `010-1234-5678`. Defaults are
/// written out (`payment_frequency`, `riders`, `issue_document`); absent optionals are left out.
/// The text is itself a valid request line in the input format, using the input field names.
public enum RequestCanonical {
    /// Sorted keys, no whitespace, UTF-8 as is; stable across runs, platforms and versions.
    ///
    /// Written field by field in sorted order, without a `JSONValue` tree of dictionaries
    /// (building one was a quarter of the intake's time); the same text as
    /// `serialize(jsonValue(request))`, which `RequestCanonicalTests` holds it to.
    public static func canonicalJSON(_ request: Request) -> String {
        var w = CanonicalWriter()
        w.object(fields(request))
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// The request as a JSON object with the input field names (the fields `canonicalJSON`
    /// writes, as a tree).
    public static func jsonValue(_ request: Request) -> JSONValue {
        CanonicalValue.object(fields(request)).json
    }

    /// Canonical JSON text of any value: object keys sorted by their UTF-8 bytes, no
    /// whitespace, only `"`, `\` and control characters escaped, non-finite doubles as null.
    public static func serialize(_ value: JSONValue) -> String {
        var out = ""
        write(value, into: &out)
        return out
    }

    // MARK: - Fields

    /// The request's fields, with the input field names; defaults written out, absent
    /// optionals left out.
    private static func fields(_ request: Request) -> [CanonicalField] {
        var f: [CanonicalField] = [("request_id", .string(request.requestId)), ("type", .string(request.type.rawValue))]
        switch request.body {
        case .customerRegister(let customer):
            f.append(("customer", .object(customerFields(customer))))
        case .planQuote(let quote):
            f += quoteFields(quote)
        case .documentRequest(let plan):
            f.append(referenceField(plan, numberKey: "plan_no", requestKey: "plan_request_id"))
        case .proposalSubmit(let plan, let payment):
            f.append(referenceField(plan, numberKey: "plan_no", requestKey: "plan_request_id"))
            f.append(("payment", .object(paymentFields(payment))))
        case .enrollmentApply(let customer, let quote, let payment):
            f.append(("customer", .object(customerFields(customer))))
            f += quoteFields(quote)
            f.append(("payment", .object(paymentFields(payment))))
        case .proposalWithdraw(let proposal, let requestedOn, let reason):
            f.append(referenceField(proposal, numberKey: "proposal_no", requestKey: "proposal_request_id"))
            f.append(("requested_on", .string(requestedOn.description)))
            if let reason { f.append(("reason", .string(reason))) }
        }
        return f
    }

    private static func customerFields(_ c: Customer) -> [CanonicalField] {
        var f: [CanonicalField] = [("customer_no", .string(c.customerNo)), ("name", .string(c.name)),
                                   ("birth_date", .string(c.birthDate.description)), ("gender", .string(c.gender.rawValue)),
                                   ("phone", .string(c.phone))]
        if let email = c.email { f.append(("email", .string(email))) }
        if let occupation = c.occupationClass { f.append(("occupation_class", .int(Int64(occupation)))) }
        return f
    }

    private static func quoteFields(_ q: QuoteInput) -> [CanonicalField] {
        [("customer_no", .string(q.customerNo)), ("product_code", .string(q.productCode)),
         ("sum_insured", .int(q.sumInsured)), ("term_years", .int(Int64(q.termYears))),
         ("pay_years", .int(Int64(q.payYears))), ("payment_frequency", .string(q.paymentFrequency.rawValue)),
         ("riders", .array(q.riders.map { .object([("code", .string($0.code)), ("sum_insured", .int($0.sumInsured))]) })),
         ("issue_document", .bool(q.issueDocument))]
    }

    private static func paymentFields(_ p: PaymentInfo) -> [CanonicalField] {
        switch p.instrument {
        case .card(let token):
            [("holder_name", .string(p.holderName)), ("method", .string("card")), ("card_token", .string(token))]
        case .account(let bankCode, let accountNo):
            [("holder_name", .string(p.holderName)), ("method", .string("account")), ("bank_code", .string(bankCode)),
             ("account_no", .string(accountNo))]
        }
    }

    private static func referenceField(_ r: RecordReference, numberKey: String, requestKey: String) -> CanonicalField {
        switch r {
        case .number(let n): (numberKey, .string(n))
        case .requestId(let id): (requestKey, .string(id))
        }
    }

    // MARK: - Writer

    private static func write(_ value: JSONValue, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            if !d.isFinite { out += "null" }
            else if d == d.rounded(.towardZero), d.magnitude < 1e15 { out += String(Int64(d)) }
            else { out += "\(d)" }
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                write(item, into: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            // Byte order, not String's Unicode ordering, so any implementation can reproduce it.
            let keys = fields.keys.sorted(by: UTF8Order.precedes)
            for (i, key) in keys.enumerated() {
                if i > 0 { out += "," }
                writeString(key, into: &out)
                out += ":"
                write(fields[key]!, into: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ s: String, into out: inout String) {
        out += "\""
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out += s
            out += "\""
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

/// A field of the canonical text: its key and value (`RequestCanonical.canonicalJSON`).
typealias CanonicalField = (key: String, value: CanonicalValue)

/// The values a request's canonical text holds.
indirect enum CanonicalValue {
    case string(String)
    case int(Int64)
    case bool(Bool)
    case object([CanonicalField])
    case array([CanonicalValue])

    /// The same value as a `JSONValue` tree.
    var json: JSONValue {
        switch self {
        case .string(let s): .string(s)
        case .int(let i): .int(i)
        case .bool(let b): .bool(b)
        case .object(let fields): .object(Dictionary(fields.map { ($0.key, $0.value.json) }, uniquingKeysWith: { first, _ in first }))
        case .array(let items): .array(items.map(\.json))
        }
    }
}

/// Writes canonical values as `RequestCanonical.serialize` writes JSON values: object keys
/// sorted by their UTF-8 bytes, no whitespace, the same escapes.
struct CanonicalWriter {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(512) }

    mutating func object(_ fields: [CanonicalField]) {
        bytes.append(UInt8(ascii: "{"))
        for (i, field) in fields.sorted(by: { UTF8Order.precedes($0.key, $1.key) }).enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            string(field.key)
            bytes.append(UInt8(ascii: ":"))
            value(field.value)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func value(_ value: CanonicalValue) {
        switch value {
        case .string(let s): string(s)
        case .int(let i): bytes.append(contentsOf: String(i).utf8)
        case .bool(let b): bytes.append(contentsOf: (b ? "true" : "false").utf8)
        case .object(let fields): object(fields)
        case .array(let items):
            bytes.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                self.value(item)
            }
            bytes.append(UInt8(ascii: "]"))
        }
    }

    /// A string needing no escape is copied as its bytes; any other goes through the
    /// reference writer's escaping.
    mutating func string(_ s: String) {
        if s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            bytes.append(contentsOf: RequestCanonical.serialize(.string(s)).utf8)
            return
        }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: s.utf8)
        bytes.append(UInt8(ascii: "\""))
    }
}
