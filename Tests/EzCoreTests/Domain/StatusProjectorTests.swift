import Testing
@testable import EzCore

@Suite("Status projector")
struct StatusProjectorTests {
    typealias Delta = StatusProjector.CountDelta
    typealias Input = StatusProjector.Input<String>

    static func input(_ seq: Int64, _ payload: StatusProjector.Viewed<String>, on: String = "2025-03-01") -> Input {
        Input(seq: seq, occurredOn: DomainFx.d(on), payload: payload)
    }

    /// A plan's, proposal's or withdrawal's event: its item, status and (as its JSON) a label.
    static func item(_ seq: Int64, _ kind: ViewItem.Kind, _ no: String, _ status: String, customer: String = "C00000001") -> Input {
        input(seq, .item(ViewItem(customerNo: customer, kind: kind, number: no), status: status, "\(no) \(status) @\(seq)"))
    }

    @Test("a customer event records masked details and the last event; an update does not count the customer twice")
    func customer() throws {
        let first = StatusProjector.project([Self.input(1, .customer(DomainFx.customer()))], prior: .init())
        #expect(first.deltas == [Delta(entity: "customer", status: "REGISTERED", delta: 1)])
        let change = try #require(first.customers.first)
        #expect(first.customers.count == 1)
        #expect(change.profile?.name == "홍길동")
        #expect(change.profile?.phone == "010-****-5678")
        #expect(change.profile?.email == "ho**@example.com")
        #expect(change.profile?.birthDate == DomainFx.d("1985-01-10"))
        #expect(change.profile?.occupationClass == 1)
        #expect(change.lastEventSeq == 1)
        #expect(change.updatedOn == DomainFx.d("2025-03-01"))

        var updated = DomainFx.customer(phone: "010-9876-4321", email: nil)
        updated.name = "홍길순"
        var prior = StatusProjector.Prior()
        prior.profiled = ["C00000001"]
        let again = StatusProjector.project([Self.input(5, .customer(updated), on: "2025-03-04")], prior: prior)
        #expect(again.deltas.isEmpty)
        #expect(again.customers.first?.profile?.name == "홍길순")
        #expect(again.customers.first?.profile?.phone == "010-****-4321")
        #expect(again.customers.first?.profile?.email == nil)
        #expect(again.customers.first?.updatedOn == DomainFx.d("2025-03-04"))

        // Registered and updated in one chunk: counted once.
        let both = StatusProjector.project([Self.input(1, .customer(DomainFx.customer())), Self.input(2, .customer(updated))], prior: .init())
        #expect(both.deltas == [Delta(entity: "customer", status: "REGISTERED", delta: 1)])
        #expect(both.customers.count == 1)
        #expect(both.customers.first?.profile?.name == "홍길순")
        #expect(both.customers.first?.lastEventSeq == 2)
    }

    @Test("a status change moves the count from old to new; the same status again changes only the entry")
    func planStatusMove() {
        let first = StatusProjector.project([Self.item(1, .plan, "PL00000001", "QUOTED"), Self.item(2, .plan, "PL00000002", "QUOTED")],
                                            prior: .init())
        #expect(first.deltas == [Delta(entity: "plan", status: "QUOTED", delta: 1), Delta(entity: "plan", status: "QUOTED", delta: 1)])
        #expect(first.items.map(\.item.number) == ["PL00000001", "PL00000002"])

        var prior = StatusProjector.Prior()
        prior.itemStatus[ViewItem(customerNo: "C00000001", kind: .plan, number: "PL00000001")] = "QUOTED"
        prior.itemStatus[ViewItem(customerNo: "C00000001", kind: .plan, number: "PL00000002")] = "QUOTED"
        let next = StatusProjector.project([Self.item(3, .plan, "PL00000001", "EXPIRED"), Self.item(4, .plan, "PL00000002", "QUOTED")],
                                           prior: prior)
        #expect(next.deltas == [Delta(entity: "plan", status: "QUOTED", delta: -1), Delta(entity: "plan", status: "EXPIRED", delta: 1)])
        #expect(next.items.map(\.record) == ["PL00000001 EXPIRED @3", "PL00000002 QUOTED @4"])
        // Both touch the customer's last event.
        #expect(next.customers.map(\.lastEventSeq) == [4])
        #expect(next.customers.first?.profile == nil, "no customer event: details unchanged")
    }

    @Test("several events of one entry in a chunk leave its last record and add up their moves")
    func entryTwiceInAChunk() {
        let changes = StatusProjector.project([
            Self.item(1, .proposal, "PR00000001", "SUBMITTED"),
            Self.item(2, .withdrawal, "WD00000001", "REQUESTED"),
            Self.item(3, .proposal, "PR00000001", "PAID"),
            Self.item(4, .withdrawal, "WD00000001", "WITHDRAWAL_REJECTED"),
        ], prior: .init())
        #expect(changes.items.map(\.record) == ["PR00000001 PAID @3", "WD00000001 WITHDRAWAL_REJECTED @4"], "in order of first event")
        #expect(changes.items.map(\.status) == ["PAID", "WITHDRAWAL_REJECTED"])
        #expect(StatusProjector.summed(changes.deltas) == [Delta(entity: "proposal", status: "SUBMITTED", delta: 0),
                                                            Delta(entity: "withdrawal", status: "REQUESTED", delta: 0),
                                                            Delta(entity: "proposal", status: "PAID", delta: 1),
                                                            Delta(entity: "withdrawal", status: "WITHDRAWAL_REJECTED", delta: 1)])
    }

    @Test("customers are listed in the order of their first event in the chunk")
    func customerOrder() {
        let changes = StatusProjector.project([Self.item(1, .plan, "PL2", "QUOTED", customer: "C2"),
                                               Self.item(2, .plan, "PL1", "QUOTED", customer: "C1"),
                                               Self.item(3, .plan, "PL3", "QUOTED", customer: "C2")], prior: .init())
        #expect(changes.customers.map(\.customerNo) == ["C2", "C1"])
        #expect(changes.customers.map(\.lastEventSeq) == [3, 2])
    }

    @Test("request outcomes go to the request's view only")
    func requestEventIgnoredByCustomer() {
        let outcome = RequestOutcome(requestId: "R1", type: "plan.quote", status: .accepted, file: "a.jsonl", line: 1, customerNo: "C00000001")
        let changes = StatusProjector.project([Self.input(7, .request(outcome, "accepted"))], prior: .init())
        #expect(changes.customers.isEmpty && changes.items.isEmpty)
        #expect(changes.requests.count == 1)
    }

    static func outcome(_ seq: Int64, _ status: RequestOutcome.Status, line: Int) -> Input {
        input(seq, .request(RequestOutcome(requestId: "R1", type: "plan.quote", status: status, file: "a.jsonl", line: line),
                            "\(status.rawValue)@\(line)"))
    }

    @Test("a conflict rejection after acceptance keeps the accepted status but is in the history")
    func requestConflictAfterAccept() throws {
        let first = StatusProjector.project([Self.outcome(1, .accepted, line: 1), Self.outcome(2, .rejected, line: 9)], prior: .init())
        #expect(first.deltas == [Delta(entity: "request", status: "ACCEPTED", delta: 1)])
        let request = try #require(first.requests.first)
        #expect(request.current?.status == .accepted)
        #expect(request.current?.record == "ACCEPTED@1")
        #expect(request.appended == ["ACCEPTED@1", "REJECTED@9"])

        var prior = StatusProjector.Prior()
        prior.requestStatus["R1"] = .accepted
        let processed = StatusProjector.project([Self.outcome(3, .processed, line: 1)], prior: prior)
        #expect(processed.deltas == [Delta(entity: "request", status: "ACCEPTED", delta: -1),
                                     Delta(entity: "request", status: "PROCESSED", delta: 1)])
        #expect(processed.requests.first?.current?.status == .processed)

        // A later conflict does not undo PROCESSED either: history only.
        prior.requestStatus["R1"] = .processed
        let conflict = StatusProjector.project([Self.outcome(4, .rejected, line: 2)], prior: prior)
        #expect(conflict.deltas.isEmpty)
        #expect(conflict.requests.first?.current == nil)
        #expect(conflict.requests.first?.appended == ["REJECTED@2"])
    }

    @Test("a request first rejected as invalid and then accepted moves from REJECTED to ACCEPTED")
    func rejectedThenAccepted() {
        let changes = StatusProjector.project([Self.outcome(1, .rejected, line: 1), Self.outcome(2, .accepted, line: 2)], prior: .init())
        #expect(changes.deltas == [Delta(entity: "request", status: "REJECTED", delta: 1),
                                   Delta(entity: "request", status: "REJECTED", delta: -1),
                                   Delta(entity: "request", status: "ACCEPTED", delta: 1)])
        #expect(changes.requests.first?.current?.status == .accepted)
        #expect(changes.requests.first?.appended.count == 2)
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

    /// The masks as they were written first, character by character: the byte-wise ones for
    /// printable ASCII must give the same texts.
    enum Reference {
        static func phone(_ phone: String) -> String {
            let parts = phone.split(separator: "-")
            if parts.count == 3 {
                return "\(parts[0])-\(String(repeating: "*", count: parts[1].count))-\(parts[2])"
            }
            return keepLast(4, of: phone)
        }

        static func keepLast(_ count: Int, of text: String) -> String {
            guard text.count > count else { return String(repeating: "*", count: text.count) }
            return String(repeating: "*", count: text.count - count) + text.suffix(count)
        }
    }

    @Test("byte-wise masks equal the character-wise ones, for random texts of dashes, digits, spaces, CR/LF, Korean and accents")
    func sameAsCharacterWise() {
        let alphabet = ["0", "1", "9", "-", "-", "a", " ", "*", "@", "~", "한", "\r", "\n", "e\u{301}", "\u{7F}"]
        var state: UInt64 = 20
        func next() -> Int {  // a linear congruential generator: the same texts every run
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        for _ in 0..<6_000 {
            let length = next() % 15
            let text = (0..<length).map { _ in alphabet[next() % alphabet.count] }.joined()
            #expect(Masking.phone(text) == Reference.phone(text), "\(Array(text.utf8))")
            for count in 0...5 {
                #expect(Masking.keepLast(count, of: text) == Reference.keepLast(count, of: text), "\(count) \(Array(text.utf8))")
            }
        }
        #expect(Masking.phone("-010--1234-5678-") == "010-****-5678")
        #expect(Masking.phone("010-1234-5678-9") == "***********78-9")
        #expect(Masking.phone("010-12\r\n-5678") == "010-***-5678")
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
        // One status of two entities (a proposal and its withdrawal both end WITHDRAWN): two sums.
        let shared = [Delta(entity: "proposal", status: "WITHDRAWN", delta: 1),
                      Delta(entity: "withdrawal", status: "WITHDRAWN", delta: 1),
                      Delta(entity: "proposal", status: "WITHDRAWN", delta: 1)]
        #expect(StatusProjector.summed(shared) == [Delta(entity: "proposal", status: "WITHDRAWN", delta: 2),
                                                   Delta(entity: "withdrawal", status: "WITHDRAWN", delta: 1)])
    }
}
