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
        String(decoding: canonicalBytes(request), as: UTF8.self)
    }

    /// `canonicalJSON`'s UTF-8 bytes (what is hashed, without a `String` made of them).
    public static func canonicalBytes(_ request: Request) -> [UInt8] {
        var w = CanonicalWriter()
        w.object(fields(request))
        return w.bytes
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
        var f: [CanonicalField] = [(.requestId, .string(request.requestId)), (.type, .string(request.type.rawValue))]
        switch request.body {
        case .customerRegister(let customer):
            f.append((.customer, .object(customerFields(customer))))
        case .planQuote(let quote):
            f += quoteFields(quote)
        case .documentRequest(let plan):
            f.append(referenceField(plan, numberKey: .planNo, requestKey: .planRequestId))
        case .proposalSubmit(let plan, let payment):
            f.append(referenceField(plan, numberKey: .planNo, requestKey: .planRequestId))
            f.append((.payment, .object(paymentFields(payment))))
        case .enrollmentApply(let customer, let quote, let payment):
            f.append((.customer, .object(customerFields(customer))))
            f += quoteFields(quote)
            f.append((.payment, .object(paymentFields(payment))))
        case .proposalWithdraw(let proposal, let requestedOn, let reason):
            f.append(referenceField(proposal, numberKey: .proposalNo, requestKey: .proposalRequestId))
            f.append((.requestedOn, .string(requestedOn.description)))
            if let reason { f.append((.reason, .string(reason))) }
        }
        return f
    }

    private static func customerFields(_ c: Customer) -> [CanonicalField] {
        var f: [CanonicalField] = [(.customerNo, .string(c.customerNo)), (.name, .string(c.name)),
                                   (.birthDate, .string(c.birthDate.description)), (.gender, .string(c.gender.rawValue)),
                                   (.phone, .string(c.phone))]
        if let email = c.email { f.append((.email, .string(email))) }
        if let occupation = c.occupationClass { f.append((.occupationClass, .int(Int64(occupation)))) }
        return f
    }

    private static func quoteFields(_ q: QuoteInput) -> [CanonicalField] {
        [(.customerNo, .string(q.customerNo)), (.productCode, .string(q.productCode)),
         (.sumInsured, .int(q.sumInsured)), (.termYears, .int(Int64(q.termYears))),
         (.payYears, .int(Int64(q.payYears))), (.paymentFrequency, .string(q.paymentFrequency.rawValue)),
         (.riders, .array(q.riders.map { .object([(.code, .string($0.code)), (.sumInsured, .int($0.sumInsured))]) })),
         (.issueDocument, .bool(q.issueDocument))]
    }

    private static func paymentFields(_ p: PaymentInfo) -> [CanonicalField] {
        switch p.instrument {
        case .card(let token):
            [(.holderName, .string(p.holderName)), (.method, .string("card")), (.cardToken, .string(token))]
        case .account(let bankCode, let accountNo):
            [(.holderName, .string(p.holderName)), (.method, .string("account")), (.bankCode, .string(bankCode)),
             (.accountNo, .string(accountNo))]
        }
    }

    private static func referenceField(_ r: RecordReference, numberKey: CanonicalKey, requestKey: CanonicalKey) -> CanonicalField {
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
typealias CanonicalField = (key: CanonicalKey, value: CanonicalValue)

/// The keys of a request's canonical text, declared in the UTF-8 byte order of their names
/// (the order an object's fields are written in): fields sort by declaration order, a
/// comparison of two integers instead of two strings. `RequestCanonicalTests` holds the
/// declarations to that order.
enum CanonicalKey: Int, CaseIterable {
    case accountNo, bankCode, birthDate, cardToken, code, customer, customerNo, email, gender, holderName
    case issueDocument, method, name, occupationClass, payYears, payment, paymentFrequency, phone, planNo
    case planRequestId, productCode, proposalNo, proposalRequestId, reason, requestId, requestedOn, riders
    case sumInsured, termYears, type

    /// The field's name in the input format.
    var name: String {
        switch self {
        case .accountNo: "account_no"
        case .bankCode: "bank_code"
        case .birthDate: "birth_date"
        case .cardToken: "card_token"
        case .code: "code"
        case .customer: "customer"
        case .customerNo: "customer_no"
        case .email: "email"
        case .gender: "gender"
        case .holderName: "holder_name"
        case .issueDocument: "issue_document"
        case .method: "method"
        case .name: "name"
        case .occupationClass: "occupation_class"
        case .payYears: "pay_years"
        case .payment: "payment"
        case .paymentFrequency: "payment_frequency"
        case .phone: "phone"
        case .planNo: "plan_no"
        case .planRequestId: "plan_request_id"
        case .productCode: "product_code"
        case .proposalNo: "proposal_no"
        case .proposalRequestId: "proposal_request_id"
        case .reason: "reason"
        case .requestId: "request_id"
        case .requestedOn: "requested_on"
        case .riders: "riders"
        case .sumInsured: "sum_insured"
        case .termYears: "term_years"
        case .type: "type"
        }
    }

    /// `"<name>":`, as the writer writes it before the field's value.
    static let written: [[UInt8]] = allCases.map { Array("\"\($0.name)\":".utf8) }
}

/// The values a request's canonical text holds (objects and arrays hold theirs in arrays,
/// which need no `indirect` boxes: a box was an allocation for every value).
enum CanonicalValue {
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
        case .object(let fields): .object(Dictionary(fields.map { ($0.key.name, $0.value.json) }, uniquingKeysWith: { first, _ in first }))
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
        for (i, field) in fields.sorted(by: { $0.key.rawValue < $1.key.rawValue }).enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: CanonicalKey.written[field.key.rawValue])
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
        // Read from the string's own UTF-8 buffer (iterating its `utf8` view cost five times
        // as much for the short texts of a request).
        var text = s
        let plain = text.withUTF8 { utf8 -> Bool in
            for byte in utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C { return false }
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: utf8)
            bytes.append(UInt8(ascii: "\""))
            return true
        }
        if !plain { bytes.append(contentsOf: RequestCanonical.serialize(.string(s)).utf8) }
    }
}
