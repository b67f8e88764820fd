/// Turns events into alarm messages with the templates in force.
///
/// Which events call for a message is decided by the templates: an event type with a
/// template yields exactly one message; others yield none.
public struct AlarmComposer: Sendable {
    public let templates: [EventType: AlarmTemplate]
    /// Each template parsed once, its placeholders resolved to the variables events give.
    private let compiled: [EventType: CompiledTemplate]

    public init(templates: [AlarmTemplate]) throws {
        var byEvent: [EventType: AlarmTemplate] = [:]
        for t in templates {
            guard byEvent[t.event] == nil else { throw AlarmTemplateError.duplicateEvent(event: t.event.rawValue) }
            byEvent[t.event] = t
        }
        self.templates = byEvent
        compiled = byEvent.mapValues(CompiledTemplate.init)
    }

    public func callsForMessage(_ type: EventType) -> Bool { templates[type] != nil }

    /// The message for `stored`, or nil when its type calls for none.
    public func compose(_ stored: StoredEvent, recipient: AlarmRecipient) throws -> AlarmMessage? {
        let event = stored.event
        guard let template = compiled[event.type] else { return nil }
        var values = AlarmVariables.values(of: event.payload)
        values[AlarmVariable.customerName.rawValue] = recipient.name
        let text = try template.render(values)
        return AlarmMessage(
            messageId: AlarmComposer.messageId(eventSeq: stored.seq, type: event.type),
            templateCode: template.code, customerNo: recipient.customerNo, phone: recipient.phone,
            correlation: event.correlation, variables: template.usedVariables(values),
            text: text, eventSeq: stored.seq, eventType: event.type.rawValue, occurredOn: event.occurredOn)
    }

    /// `ALM-<event seq, 10 digits>-<event type>`: one event, one message, stable across reruns.
    public static func messageId(eventSeq: Int64, type: EventType) -> String {
        precondition(eventSeq >= 0, "event sequence numbers start at 1")
        var digits = eventSeq
        var width = 1
        while digits >= 10 { digits /= 10; width += 1 }
        let padded = max(10, width)
        // Written as bytes into the string's own storage: made for most events, and string
        // concatenation (or iterating the type's UTF-8 view) costs several times more here.
        var name = type.rawValue
        return name.withUTF8 { type in
            String(unsafeUninitializedCapacity: 5 + padded + type.count) { out in
                out[0] = UInt8(ascii: "A")
                out[1] = UInt8(ascii: "L")
                out[2] = UInt8(ascii: "M")
                out[3] = UInt8(ascii: "-")
                var rest = eventSeq
                var i = 4 + padded
                while i > 4 {
                    i -= 1
                    out[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                    rest /= 10
                }
                out[4 + padded] = UInt8(ascii: "-")
                _ = UnsafeMutableBufferPointer(rebasing: out[(5 + padded)...]).update(fromContentsOf: type)
                return 5 + padded + type.count
            }
        }
    }
}

/// The variables events give templates, by their Korean names (`#{상품명}`).
public enum AlarmVariable: Int, CaseIterable, Sendable {
    case requestNo, customerNo, customerName, productName, planNo, sumInsured, validUntil, version, paymentCycle
    case declineReasons, premium, documentNo, proposalNo, paymentMethod, failureReason, retryOn, policyNo
    case contractDate, withdrawalNo, refundAmount, requestedOn, refundDueOn

    public var name: String {
        switch self {
        case .requestNo: "요청번호"
        case .customerNo: "고객번호"
        case .customerName: "고객명"
        case .productName: "상품명"
        case .planNo: "설계번호"
        case .sumInsured: "가입금액"
        case .validUntil: "유효기간"
        case .version: "버전"
        case .paymentCycle: "납입주기"
        case .declineReasons: "거절사유"
        case .premium: "보험료"
        case .documentNo: "문서번호"
        case .proposalNo: "청약번호"
        case .paymentMethod: "결제수단"
        case .failureReason: "실패사유"
        case .retryOn: "재시도일"
        case .policyNo: "증권번호"
        case .contractDate: "계약일"
        case .withdrawalNo: "철회번호"
        case .refundAmount: "환불금액"
        case .requestedOn: "신청일"
        case .refundDueOn: "환불예정일"
        }
    }

    /// The variable a placeholder names (names compare as Swift strings: canonically).
    public init?(name: String) {
        guard let found = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = found
    }
}

/// Template variables (Korean names) drawn from an event's snapshot.
public enum AlarmVariables {
    /// The variables of `payload`, indexed by `AlarmVariable.rawValue` (nil: not given).
    static func values(of payload: EventPayload) -> [String?] {
        var v = [String?](repeating: nil, count: AlarmVariable.allCases.count)
        func set(_ variable: AlarmVariable, _ value: String) { v[variable.rawValue] = value }
        switch payload {
        case .request(let r):
            set(.requestNo, r.requestId)
        case .customer(let c):
            set(.customerNo, c.customerNo)
        case .plan(let p):
            set(.productName, p.productName)
            set(.planNo, p.planNo)
            set(.sumInsured, Won.format(p.sumInsured))
            set(.validUntil, p.expiresOn.description)
            set(.version, p.versionId)
            set(.paymentCycle, p.paymentFrequency.korean)
            set(.declineReasons, p.declineReasons.map(\.message).joined(separator: ", "))
            if let premium = p.premium { set(.premium, Won.format(premium)) }
            if let doc = p.documentNo { set(.documentNo, doc) }
        case .proposal(let p):
            set(.productName, p.productName)
            set(.proposalNo, p.proposalNo)
            set(.planNo, p.planNo)
            set(.premium, Won.format(p.premium))
            set(.paymentMethod, p.paymentMethod)
            set(.failureReason, p.lastDecline ?? "")
            set(.retryOn, p.nextAttemptOn?.description ?? "-")
            if let policy = p.policyNo { set(.policyNo, policy) }
            if let on = p.establishedOn { set(.contractDate, on.description) }
        case .withdrawal(let w):
            set(.proposalNo, w.proposalNo)
            set(.withdrawalNo, w.withdrawalNo)
            set(.refundAmount, Won.format(w.refundAmount))
            set(.requestedOn, w.requestedOn.description)
            set(.refundDueOn, w.refundDueOn?.description ?? "-")
            set(.declineReasons, w.rejectionReasons.joined(separator: ", "))
            set(.policyNo, w.policyNo ?? "-")
        }
        return v
    }
}

/// A template parsed once: its literal text and its placeholders, each resolved to the
/// variable it names (nil for a name no event gives: rendering then fails as it always did).
struct CompiledTemplate: Sendable {
    enum Part: Sendable {
        /// Literal text, as UTF-8 bytes.
        case literal([UInt8])
        case placeholder(name: String, variable: AlarmVariable?)
    }

    let code: String
    let parts: [Part]
    /// UTF-8 bytes of the literal text (what a rendering reserves, with room for the values).
    let literalBytes: Int
    /// The distinct variables the text uses (what a message keeps of the event's variables),
    /// in the UTF-8 byte order of their names (a message's order).
    let used: [AlarmVariable]

    init(_ template: AlarmTemplate) {
        var parts: [Part] = []
        var used: [AlarmVariable] = []
        template.forEachPart { part in
            switch part {
            case .literal(let text): parts.append(.literal(Array(text.utf8)))
            case .placeholder(let name):
                let variable = AlarmVariable(name: name)
                parts.append(.placeholder(name: name, variable: variable))
                if let variable, !used.contains(variable) { used.append(variable) }
            }
        }
        code = template.code
        self.parts = parts
        literalBytes = parts.reduce(0) { total, part in
            if case .literal(let bytes) = part { return total + bytes.count }
            return total
        }
        self.used = used.sorted { UTF8Order.precedes($0.name, $1.name) }
    }

    /// The text with every placeholder filled, in one pass (as `AlarmTemplate.render`).
    func render(_ values: [String?]) throws -> String {
        try render { _, variable in variable.flatMap { values[$0.rawValue] } }
    }

    /// The text with each placeholder filled by `value(name, variable)`; the first placeholder
    /// without a value is an error (`AlarmTemplate.render`'s rule). Built as UTF-8 bytes and
    /// made a string once: appending to a `String` part by part cost three times as much.
    func render(_ value: (_ name: String, _ variable: AlarmVariable?) -> String?) throws -> String {
        var out: [UInt8] = []
        out.reserveCapacity(literalBytes + 16 * parts.count)
        for part in parts {
            switch part {
            case .literal(let bytes): out.append(contentsOf: bytes)
            case .placeholder(let name, let variable):
                guard let value = value(name, variable) else {
                    throw AlarmTemplateError.missingVariable(template: code, name: name)
                }
                out.append(contentsOf: value.utf8)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The variables the text uses that the event gives, by name.
    func usedVariables(_ values: [String?]) -> AlarmMessageVariables {
        var entries: [AlarmMessageVariables.Entry] = []
        entries.reserveCapacity(used.count)
        for variable in used {
            if let value = values[variable.rawValue] { entries.append(.init(name: variable.name, value: value)) }
        }
        return AlarmMessageVariables(ordered: entries)
    }
}

extension PaymentFrequency {
    /// 월납 / 연납.
    public var korean: String {
        switch self {
        case .monthly: "월납"
        case .annual: "연납"
        }
    }
}
