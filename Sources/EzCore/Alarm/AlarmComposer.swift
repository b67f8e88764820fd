/// Turns events into alarm messages with the templates in force.
///
/// Which events call for a message is decided by the templates: an event type with a
/// template yields exactly one message; others yield none.
public struct AlarmComposer: Sendable {
    public let templates: [EventType: AlarmTemplate]
    /// Each template's placeholder names, scanned once (a message keeps only the variables it uses).
    private let placeholders: [EventType: Set<String>]

    public init(templates: [AlarmTemplate]) throws {
        var byEvent: [EventType: AlarmTemplate] = [:]
        for t in templates {
            guard byEvent[t.event] == nil else { throw AlarmTemplateError.duplicateEvent(event: t.event.rawValue) }
            byEvent[t.event] = t
        }
        self.templates = byEvent
        placeholders = byEvent.mapValues { Set($0.placeholders) }
    }

    public func callsForMessage(_ type: EventType) -> Bool { templates[type] != nil }

    /// The message for `stored`, or nil when its type calls for none.
    public func compose(_ stored: StoredEvent, recipient: AlarmRecipient) throws -> AlarmMessage? {
        let event = stored.event
        guard let template = templates[event.type] else { return nil }
        var vars = AlarmVariables.of(event.payload)
        vars["고객명"] = recipient.name
        let text = try template.render(vars)
        let used = placeholders[event.type] ?? []
        return AlarmMessage(
            messageId: AlarmComposer.messageId(eventSeq: stored.seq, type: event.type),
            templateCode: template.code, customerNo: recipient.customerNo, phone: recipient.phone,
            correlation: event.correlation, variables: vars.filter { used.contains($0.key) },
            text: text, eventSeq: stored.seq, eventType: event.type.rawValue, occurredOn: event.occurredOn)
    }

    /// `ALM-<event seq, 10 digits>-<event type>`: one event, one message, stable across reruns.
    public static func messageId(eventSeq: Int64, type: EventType) -> String {
        let digits = String(eventSeq)
        return "ALM-" + String(repeating: "0", count: max(0, 10 - digits.count)) + digits + "-" + type.rawValue
    }
}

/// Template variables (Korean names) drawn from an event's snapshot.
public enum AlarmVariables {
    public static func of(_ payload: EventPayload) -> [String: String] {
        switch payload {
        case .request(let r):
            return ["요청번호": r.requestId]
        case .customer(let c):
            return ["고객번호": c.customerNo]
        case .plan(let p):
            var v = ["상품명": p.productName, "설계번호": p.planNo, "가입금액": Won.format(p.sumInsured),
                     "유효기간": p.expiresOn.description, "버전": p.versionId,
                     "납입주기": p.paymentFrequency.korean,
                     "거절사유": p.declineReasons.map(\.message).joined(separator: ", ")]
            if let premium = p.premium { v["보험료"] = Won.format(premium) }
            if let doc = p.documentNo { v["문서번호"] = doc }
            return v
        case .proposal(let p):
            var v = ["상품명": p.productName, "청약번호": p.proposalNo, "설계번호": p.planNo,
                     "보험료": Won.format(p.premium), "결제수단": p.paymentMethod,
                     "실패사유": p.lastDecline ?? "", "재시도일": p.nextAttemptOn?.description ?? "-"]
            if let policy = p.policyNo { v["증권번호"] = policy }
            if let on = p.establishedOn { v["계약일"] = on.description }
            return v
        case .withdrawal(let w):
            return ["청약번호": w.proposalNo, "철회번호": w.withdrawalNo, "환불금액": Won.format(w.refundAmount),
                    "신청일": w.requestedOn.description, "환불예정일": w.refundDueOn?.description ?? "-",
                    "거절사유": w.rejectionReasons.joined(separator: ", "), "증권번호": w.policyNo ?? "-"]
        }
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
