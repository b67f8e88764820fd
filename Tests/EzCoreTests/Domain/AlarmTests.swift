import Testing
@testable import EzCore

@Suite("Alarm templates and composer (알림톡)")
struct AlarmTests {
    static let quotedText = "#{고객명}님, #{상품명} 가입설계(#{설계번호}) 보험료는 월 #{보험료}원입니다. #{고객명}님 감사합니다."
    static let quoted = AlarmTemplate(code: "EZ_PLAN_QUOTED", event: .planQuoted, text: quotedText)
    static let established = AlarmTemplate(code: "EZ_POLICY", event: .policyEstablished,
                                           text: "#{고객명}님 증권번호 #{증권번호}")
    static let recipient = AlarmRecipient(customerNo: "C00000001", name: "홍길동", phone: "010-1234-5678")

    static func planEvent(seq: Int64, type: EventType = .planQuoted) -> StoredEvent {
        StoredEvent(seq: seq, event: DomainEvent(type, on: DomainFx.d("2025-03-01"),
                                                 .plan(DomainFx.plan("PL00000007", premium: 123_450))))
    }

    @Test("placeholders are listed in order of appearance, repeats included")
    func placeholders() {
        #expect(Self.quoted.placeholders == ["고객명", "상품명", "설계번호", "보험료", "고객명"])
        #expect(AlarmTemplate(code: "X", event: .planQuoted, text: "no variables").placeholders.isEmpty)
        #expect(AlarmTemplate(code: "X", event: .planQuoted, text: "#{a} then #{b").placeholders == ["a"])
    }

    @Test("render fills every placeholder, every occurrence")
    func render() throws {
        let text = try Self.quoted.render(["고객명": "홍길동", "상품명": "건강보험", "설계번호": "PL1",
                                           "보험료": "12,340", "unused": "x"])
        #expect(text == "홍길동님, 건강보험 가입설계(PL1) 보험료는 월 12,340원입니다. 홍길동님 감사합니다.")
    }

    @Test("a missing variable throws and names it")
    func missingVariable() {
        #expect(throws: AlarmTemplateError.missingVariable(template: "EZ_PLAN_QUOTED", name: "보험료")) {
            try Self.quoted.render(["고객명": "홍길동", "상품명": "건강보험", "설계번호": "PL1"])
        }
    }

    @Test("two templates for one event are refused")
    func duplicateEvent() {
        let again = AlarmTemplate(code: "EZ_PLAN_QUOTED_2", event: .planQuoted, text: "again")
        #expect(throws: AlarmTemplateError.duplicateEvent(event: "plan.quoted")) {
            try AlarmComposer(templates: [Self.quoted, again])
        }
    }

    @Test("compose renders the plan event for the recipient with only the used variables")
    func compose() throws {
        let composer = try AlarmComposer(templates: [Self.quoted, Self.established])
        let message = try #require(try composer.compose(Self.planEvent(seq: 42), recipient: Self.recipient))
        #expect(message.messageId == "ALM-0000000042-plan.quoted")
        #expect(message.templateCode == "EZ_PLAN_QUOTED")
        #expect(message.text == "홍길동님, 테스트건강보험 가입설계(PL00000007) 보험료는 월 123,450원입니다. 홍길동님 감사합니다.")
        #expect(message.variables == ["고객명": "홍길동", "상품명": "테스트건강보험", "설계번호": "PL00000007",
                                      "보험료": "123,450"])
        // Kept in the names' UTF-8 order (the outbox line's key order), not the text's order.
        #expect(message.variables.entries.map(\.name) == ["고객명", "보험료", "상품명", "설계번호"])
        #expect(message.variables["보험료"] == "123,450" && message.variables["없음"] == nil)
        #expect(message.customerNo == "C00000001")
        #expect(message.phone == "010-1234-5678")
        #expect(message.eventSeq == 42)
        #expect(message.eventType == "plan.quoted")
        #expect(message.occurredOn == DomainFx.d("2025-03-01"))
        #expect(message.correlation.planNo == "PL00000007")
        #expect(message.correlation.requestId == "REQ-PL00000007")
    }

    @Test("an event type without a template yields no message")
    func noTemplate() throws {
        let composer = try AlarmComposer(templates: [Self.quoted])
        #expect(try composer.compose(Self.planEvent(seq: 3, type: .planExpired), recipient: Self.recipient) == nil)
        #expect(composer.callsForMessage(.planQuoted))
        #expect(!composer.callsForMessage(.planExpired))
    }

    @Test("a variable the event cannot supply fails compose instead of leaving #{...}")
    func composeMissing() throws {
        let composer = try AlarmComposer(templates: [Self.established])
        let proposal = DomainFx.proposal("PR00000001", plan: "PL00000007", status: .active) // no policyNo
        let event = StoredEvent(seq: 9, event: DomainEvent(.policyEstablished, on: DomainFx.d("2025-03-05"), .proposal(proposal)))
        #expect(throws: AlarmTemplateError.missingVariable(template: "EZ_POLICY", name: "증권번호")) {
            try composer.compose(event, recipient: Self.recipient)
        }
    }

    @Test("message id is stable for one event and unique per event seq and type")
    func messageIds() throws {
        let composer = try AlarmComposer(templates: [Self.quoted])
        let a1 = try composer.compose(Self.planEvent(seq: 1), recipient: Self.recipient)
        let a2 = try composer.compose(Self.planEvent(seq: 1), recipient: Self.recipient)
        let b = try composer.compose(Self.planEvent(seq: 2), recipient: Self.recipient)
        #expect(a1 == a2)
        #expect(a1?.messageId != b?.messageId)
        let ids = (1...500).map { AlarmComposer.messageId(eventSeq: Int64($0), type: .planQuoted) }
        #expect(Set(ids).count == 500)
        #expect(AlarmComposer.messageId(eventSeq: 7, type: .planQuoted)
                != AlarmComposer.messageId(eventSeq: 7, type: .planDeclined))
        #expect(AlarmComposer.messageId(eventSeq: 12_345_678_901, type: .refundPending) == "ALM-12345678901-refund.pending")
        // Written as bytes: the same text as formatting it, for every type and width.
        for type in EventType.allCases {
            for seq: Int64 in [0, 9, 10, 1_234_567_890, 9_999_999_999, .max] {
                let digits = String(seq)
                let expected = "ALM-" + String(repeating: "0", count: max(0, 10 - digits.count)) + digits + "-" + type.rawValue
                #expect(AlarmComposer.messageId(eventSeq: seq, type: type) == expected)
            }
        }
    }

    @Test("a value that itself looks like a placeholder is inserted literally")
    func valueNotReexpanded() throws {
        // Each placeholder must be replaced in the template, never inside an already inserted value
        // (a customer named "#{보험료}" passes intake). A renderer that replaced names one by one in
        // Set order would expand some values again, depending on the process's hash seed; with
        // 20 pairs such a renderer fails here with probability 1 - 2^-20.
        let pairs = (0..<20).map { ("a\($0)", "b\($0)") } + [("이름", "번호")]
        for (a, b) in pairs {
            let t = AlarmTemplate(code: "T", event: .planQuoted, text: "#{\(a)}/#{\(b)}")
            let text = try t.render([a: "#{\(b)}", b: "V"])
            #expect(text == "#{\(b)}/V", "template #{\(a)}/#{\(b)}")
        }
    }
}
