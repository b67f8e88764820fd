import Testing
@testable import EzCore

@Suite("Status projector and customer view")
struct StatusProjectorTests {
    typealias Delta = StatusProjector.CountDelta

    static func stored(_ seq: Int64, _ type: EventType, _ payload: EventPayload, on: String = "2025-03-01") -> StoredEvent {
        StoredEvent(seq: seq, event: DomainEvent(type, on: DomainFx.d(on), payload))
    }

    @Test("a customer event fills the view with masked phone and email")
    func customer() {
        var view = CustomerView(customerNo: "C00000001")
        let deltas = StatusProjector.apply(Self.stored(1, .customerRegistered, .customer(DomainFx.customer())), to: &view)
        #expect(view.name == "홍길동")
        #expect(view.phone == "010-****-5678")
        #expect(view.email == "ho**@example.com")
        #expect(view.birthDate == DomainFx.d("1985-01-10"))
        #expect(view.gender == .male)
        #expect(view.occupationClass == 1)
        #expect(view.lastEventSeq == 1)
        #expect(view.updatedOn == DomainFx.d("2025-03-01"))
        #expect(deltas == [Delta(entity: "customer", status: "REGISTERED", delta: 1)])

        // An update changes the data but does not count the customer twice.
        var updated = DomainFx.customer(phone: "010-9876-4321", email: nil)
        updated.name = "홍길순"
        let again = StatusProjector.apply(Self.stored(5, .customerUpdated, .customer(updated), on: "2025-03-04"), to: &view)
        #expect(again.isEmpty)
        #expect(view.name == "홍길순")
        #expect(view.phone == "010-****-4321")
        #expect(view.email == nil)
        #expect(view.lastEventSeq == 5)
        #expect(view.updatedOn == DomainFx.d("2025-03-04"))
    }

    @Test("plans are kept in plan-number order whatever order they arrive in")
    func upsertOrder() {
        var view = CustomerView(customerNo: "C00000001")
        for (seq, no) in ["PL00000003", "PL00000001", "PL00000004", "PL00000002"].enumerated() {
            StatusProjector.apply(Self.stored(Int64(seq + 1), .planQuoted, .plan(DomainFx.plan(no))), to: &view)
        }
        #expect(view.plans.map(\.planNo) == ["PL00000001", "PL00000002", "PL00000003", "PL00000004"])
    }

    @Test("a status change replaces the plan in place and moves the count from old to new")
    func planStatusMove() {
        var view = CustomerView(customerNo: "C00000001")
        let first = StatusProjector.apply(Self.stored(1, .planQuoted, .plan(DomainFx.plan("PL00000001"))), to: &view)
        #expect(first == [Delta(entity: "plan", status: "QUOTED", delta: 1)])
        StatusProjector.apply(Self.stored(2, .planQuoted, .plan(DomainFx.plan("PL00000002"))), to: &view)

        let expired = StatusProjector.apply(
            Self.stored(3, .planExpired, .plan(DomainFx.plan("PL00000001", status: .expired))), to: &view)
        #expect(expired == [Delta(entity: "plan", status: "QUOTED", delta: -1),
                            Delta(entity: "plan", status: "EXPIRED", delta: 1)])
        #expect(view.plans.count == 2)
        #expect(view.plans.map(\.status) == [.expired, .quoted])

        // Same status again (e.g. a document issued): data replaced, no count change.
        var withDoc = DomainFx.plan("PL00000002")
        withDoc.documentNo = "DOC00000001"
        let same = StatusProjector.apply(Self.stored(4, .documentIssued, .plan(withDoc)), to: &view)
        #expect(same.isEmpty)
        #expect(view.plans[1].documentNo == "DOC00000001")
    }

    @Test("proposals and withdrawals are projected with their own counts")
    func proposalsAndWithdrawals() {
        var view = CustomerView(customerNo: "C00000001")
        let p1 = StatusProjector.apply(
            Self.stored(1, .proposalSubmitted, .proposal(DomainFx.proposal("PR00000001", plan: "PL00000001"))), to: &view)
        #expect(p1 == [Delta(entity: "proposal", status: "SUBMITTED", delta: 1)])
        let p2 = StatusProjector.apply(Self.stored(2, .paymentSettled, .proposal(
            DomainFx.proposal("PR00000001", plan: "PL00000001", status: .paid))), to: &view)
        #expect(p2 == [Delta(entity: "proposal", status: "SUBMITTED", delta: -1),
                       Delta(entity: "proposal", status: "PAID", delta: 1)])
        #expect(view.proposals.map(\.status) == [.paid])

        let w1 = StatusProjector.apply(
            Self.stored(3, .withdrawalRequested, .withdrawal(DomainFx.withdrawal("WD00000001", proposal: "PR00000001"))),
            to: &view)
        #expect(w1 == [Delta(entity: "withdrawal", status: "REQUESTED", delta: 1)])
        let w2 = StatusProjector.apply(Self.stored(4, .withdrawalRejected, .withdrawal(
            DomainFx.withdrawal("WD00000001", proposal: "PR00000001", status: .rejected))), to: &view)
        #expect(w2 == [Delta(entity: "withdrawal", status: "REQUESTED", delta: -1),
                       Delta(entity: "withdrawal", status: "WITHDRAWAL_REJECTED", delta: 1)])
        #expect(view.withdrawals.count == 1)
        #expect(view.lastEventSeq == 4)
    }

    @Test("request events do not touch the customer's records")
    func requestEventIgnored() {
        var view = CustomerView(customerNo: "C00000001")
        let outcome = RequestOutcome(requestId: "R1", type: "plan.quote", status: .accepted, file: "a.jsonl", line: 1)
        let deltas = StatusProjector.apply(Self.stored(7, .requestAccepted, .request(outcome)), to: &view)
        #expect(deltas.isEmpty)
        #expect(view.plans.isEmpty && view.proposals.isEmpty && view.name == nil)
        #expect(view.lastEventSeq == 7)
    }

    static func outcome(_ status: RequestOutcome.Status, line: Int, file: String = "a.jsonl") -> RequestOutcome {
        RequestOutcome(requestId: "R1", type: "plan.quote", status: status, file: file, line: line,
                       errors: status == .rejected ? [FieldError(field: "request_id", reason: "conflict")] : [])
    }

    @Test("a conflict rejection after acceptance keeps the accepted status but is in the history")
    func requestConflictAfterAccept() throws {
        var view: RequestView?
        let first = StatusProjector.apply(Self.outcome(.accepted, line: 1), to: &view)
        #expect(first == [Delta(entity: "request", status: "ACCEPTED", delta: 1)])

        let conflict = StatusProjector.apply(Self.outcome(.rejected, line: 9, file: "b.jsonl"), to: &view)
        #expect(conflict.isEmpty)
        var v = try #require(view)
        #expect(v.current.status == .accepted)
        #expect(v.current.line == 1)
        #expect(v.history.map(\.status) == [.accepted, .rejected])
        #expect(v.history.last?.file == "b.jsonl")

        let processed = StatusProjector.apply(Self.outcome(.processed, line: 1), to: &view)
        #expect(processed == [Delta(entity: "request", status: "ACCEPTED", delta: -1),
                              Delta(entity: "request", status: "PROCESSED", delta: 1)])
        v = try #require(view)
        #expect(v.current.status == .processed)
        #expect(v.history.count == 3)

        // A later conflict does not undo PROCESSED either.
        StatusProjector.apply(Self.outcome(.rejected, line: 2, file: "c.jsonl"), to: &view)
        #expect(view?.current.status == .processed)
        #expect(view?.history.count == 4)
    }

    @Test("a request first rejected as invalid and then accepted moves from REJECTED to ACCEPTED")
    func rejectedThenAccepted() {
        var view: RequestView?
        StatusProjector.apply(Self.outcome(.rejected, line: 1), to: &view)
        let deltas = StatusProjector.apply(Self.outcome(.accepted, line: 2), to: &view)
        #expect(deltas == [Delta(entity: "request", status: "REJECTED", delta: -1),
                           Delta(entity: "request", status: "ACCEPTED", delta: 1)])
        #expect(view?.current.status == .accepted)
        #expect(view?.history.count == 2)
    }
}

@Suite("Masking")
struct MaskingTests {
    @Test("phone numbers keep the first and last groups",
          arguments: [("010-1234-5678", "010-****-5678"), ("02-123-4567", "02-***-4567"),
                      ("01012345678", "*******5678"), ("123", "***"), ("+82 10 1234 5678", "************5678")])
    func phone(input: String, masked: String) {
        #expect(Masking.phone(input) == masked)
    }

    @Test("emails keep two characters of the local part and the domain",
          arguments: [("hong@example.com", "ho**@example.com"), ("kimchulsoo@naver.com", "ki********@naver.com"), ("ab@x.kr", "a*@x.kr"),
                      ("noatsign", "********")])
    func email(input: String, masked: String) {
        #expect(Masking.email(input) == masked)
    }

    @Test("keepLast stars all but the last characters")
    func keepLast() {
        #expect(Masking.keepLast(4, of: "abcdefgh") == "****efgh")
        #expect(Masking.keepLast(4, of: "abcd") == "****")
        #expect(Masking.keepLast(0, of: "abc") == "***")
        #expect(Masking.keepLast(4, of: "") == "")
    }

    @Test("payment instruments show only the last four")
    func instrument() {
        #expect(Masking.instrument(.card(token: "tok_abcd1234")) == "card ********1234")
        #expect(Masking.instrument(.account(bankCode: "004", accountNo: "123456789012")) == "account 004 ********9012")
    }

    @Test("deltas are summed by key in the order keys first appear, zero sums kept")
    func summed() {
        typealias Delta = StatusProjector.CountDelta
        let deltas = [Delta(entity: "plan", status: "QUOTED", delta: 1),
                      Delta(entity: "proposal", status: "SUBMITTED", delta: 1),
                      Delta(entity: "plan", status: "QUOTED", delta: -1),
                      Delta(entity: "plan", status: "APPLIED", delta: 1),
                      Delta(entity: "proposal", status: "SUBMITTED", delta: 1)]
        #expect(StatusProjector.summed(deltas) == [Delta(entity: "plan", status: "QUOTED", delta: 0),
                                                   Delta(entity: "proposal", status: "SUBMITTED", delta: 2),
                                                   Delta(entity: "plan", status: "APPLIED", delta: 1)])
        // Cut anywhere, the keys still come in one order and add up to the same sums.
        let halves = StatusProjector.summed(StatusProjector.summed(Array(deltas[..<2])) + StatusProjector.summed(Array(deltas[2...])))
        #expect(halves == StatusProjector.summed(deltas))
    }
}
