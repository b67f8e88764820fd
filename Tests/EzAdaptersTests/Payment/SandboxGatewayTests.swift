@testable import EzAdapters
import GRDB
import EzCore
import Foundation
import Testing

private let d1 = BusinessDate("2025-03-10")!
private let d2 = BusinessDate("2025-03-11")!

/// A fresh temporary home, removed when the test ends.
private final class TempHome {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ez-pg-sandbox-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
    func gateway(sleep: @escaping @Sendable (Int) -> Void = { _ in }) throws -> SandboxGateway {
        try SandboxGateway(path: SandboxGateway.ledgerPath(home: url), sleep: sleep)
    }
}

private func charge(_ key: String, order: String = "P0001", amount: Int64 = 100_000,
                    instrument: PaymentInstrument = .card(token: "tok_visa_4242"),
                    date: BusinessDate = d1) -> ChargeRequest {
    ChargeRequest(idempotencyKey: key, orderId: order, amount: amount, instrument: instrument,
                  holderName: "홍길동", businessDate: date)
}

private func refund(_ key: String, of original: String, order: String = "P0001", amount: Int64,
                    date: BusinessDate = d1) -> RefundRequest {
    RefundRequest(idempotencyKey: key, originalTransactionId: original, orderId: order, amount: amount,
                  reason: "청약철회", businessDate: date)
}

@Suite struct SandboxGatewayTests {
    @Test func ledgerPathIsUnderHome() {
        let path = SandboxGateway.ledgerPath(home: URL(fileURLWithPath: "/srv/ez", isDirectory: true))
        #expect(path.path == "/srv/ez/pg-sandbox/ledger.sqlite")
    }

    @Test func approvesAndChargesTheFee() throws {
        let home = try TempHome()
        let pg = try home.gateway()
        let t = try pg.charge(charge("charge:P0001:1", amount: 45_678))
        #expect(t.isApproved)
        #expect(t.transactionId == "T0000000001")
        #expect(t.type == .charge)
        #expect(t.fee == 1004) // 2.2% of 45,678 = 1,004.916, floored
        #expect(t.declineCode == nil && t.declineMessage == nil)
        #expect(t.businessDate == d1)
        let entries = try pg.entries()
        #expect(entries.count == 1)
        #expect(entries[0].instrumentMasked == "card *********4242")
        #expect(!entries[0].instrumentMasked.contains("tok_visa"))
        #expect(try pg.lookup(idempotencyKey: "charge:P0001:1") == t)
        #expect(try pg.lookup(idempotencyKey: "never-sent") == nil)
    }

    @Test func declineRules() throws {
        let home = try TempHome()
        let pg = try home.gateway()
        let card = try pg.charge(charge("k1", instrument: .card(token: "tok_decline_visa")))
        #expect(card.status == .declined)
        #expect(card.declineCode == "CARD_DECLINED")
        #expect(card.declineMessage == "카드 승인이 거절되었습니다.")
        #expect(card.fee == 0)
        let funds = try pg.charge(charge("k2", instrument: .card(token: "tok_nofunds_1234")))
        #expect(funds.declineCode == "INSUFFICIENT_FUNDS")
        #expect(funds.declineMessage == "잔액이 부족합니다.")
        let account = try pg.charge(charge("k3", instrument: .account(bankCode: "004", accountNo: "123-45-670000")))
        #expect(account.declineCode == "ACCOUNT_INVALID")
        #expect(account.declineMessage == "유효하지 않은 계좌입니다.")
        let good = try pg.charge(charge("k4", instrument: .account(bankCode: "004", accountNo: "123-45-678901")))
        #expect(good.isApproved)
        #expect(try pg.entries().last?.instrumentMasked == "account 004 *********8901")
        // Declines are recorded, and a repeated key gets the same decline.
        #expect(try pg.charge(charge("k1", instrument: .card(token: "tok_decline_visa"))) == card)
        #expect(try pg.ledger().count == 4)
    }

    @Test func sameKeySameRequestGivesTheStoredAnswerAndOneRow() throws {
        let home = try TempHome()
        let pg = try home.gateway()
        let first = try pg.charge(charge("charge:P0001:1"))
        let second = try pg.charge(charge("charge:P0001:1"))
        #expect(first == second)
        #expect(try pg.ledger().count == 1)
    }

    @Test func sameKeyOtherRequestIsAConflict() throws {
        let home = try TempHome()
        let pg = try home.gateway()
        let t = try pg.charge(charge("charge:P0001:1"))
        #expect(throws: GatewayError.idempotencyConflict(key: "charge:P0001:1")) {
            try pg.charge(charge("charge:P0001:1", amount: 99_999))
        }
        #expect(throws: GatewayError.idempotencyConflict(key: "charge:P0001:1")) {
            try pg.charge(charge("charge:P0001:1", order: "P0002"))
        }
        #expect(throws: GatewayError.idempotencyConflict(key: "charge:P0001:1")) {
            try pg.refund(refund("charge:P0001:1", of: t.transactionId, amount: 100_000))
        }
        #expect(try pg.ledger().count == 1)
    }

    @Test func fullRefund() throws {
        let home = try TempHome()
        let pg = try home.gateway()
        let c = try pg.charge(charge("charge:P0001:1"))
        let r = try pg.refund(refund("refund:P0001", of: c.transactionId, amount: 100_000, date: d2))
        #expect(r.isApproved)
        #expect(r.type == .cancel)
        #expect(r.transactionId == "T0000000002")
        #expect(r.originalTransactionId == c.transactionId)
        #expect(r.fee == c.fee) // the whole fee is given back
        #expect(r.businessDate == d2)
        // The same refund again: the stored answer, no new row.
        #expect(try pg.refund(refund("refund:P0001", of: c.transactionId, amount: 100_000, date: d2)) == r)
        #expect(throws: GatewayError.self) {
            try pg.refund(refund("refund:P0001:again", of: c.transactionId, amount: 1))
        }
        #expect(try pg.ledger().count == 2)
        #expect(try pg.entries().last?.reason == "청약철회")
    }

    @Test func partialRefundsNeverExceedTheCharge() throws {
        let home = try TempHome()
        let pg = try home.gateway()
        let c = try pg.charge(charge("c"))
        #expect(c.fee == 2200)
        let r1 = try pg.refund(refund("r1", of: c.transactionId, amount: 30_001))
        #expect(r1.fee == 660) // floor(2200 × 30,001 / 100,000)
        do {
            _ = try pg.refund(refund("r2", of: c.transactionId, amount: 70_000))
            Issue.record("over-refund accepted")
        } catch GatewayError.invalidRequest(let why) {
            #expect(why.contains("69999"))
        }
        let r3 = try pg.refund(refund("r3", of: c.transactionId, amount: 69_999))
        #expect(r1.fee + r3.fee == c.fee)
        #expect(try pg.ledger().count == 3)
    }

    @Test func refundOnlyOfAnApprovedChargeOfTheSameOrder() throws {
        let home = try TempHome()
        let pg = try home.gateway()
        let declined = try pg.charge(charge("d", instrument: .card(token: "tok_nofunds")))
        let approved = try pg.charge(charge("a"))
        for request in [refund("r1", of: "T9999999999", amount: 1),
                        refund("r2", of: declined.transactionId, amount: 1),
                        refund("r3", of: approved.transactionId, order: "P0002", amount: 1),
                        refund("r4", of: approved.transactionId, amount: 0)] {
            #expect(throws: GatewayError.self) { try pg.refund(request) }
        }
        let cancel = try pg.refund(refund("r5", of: approved.transactionId, amount: 10))
        #expect(throws: GatewayError.self) { try pg.refund(refund("r6", of: cancel.transactionId, amount: 1)) }
        #expect(try pg.ledger().count == 3)
        #expect(throws: GatewayError.invalidRequest("charge amount must be positive: 0")) {
            try pg.charge(charge("z", amount: 0))
        }
    }

    @Test func outage() throws {
        let home = try TempHome()
        let pg = try home.gateway()
        try pg.updateFaults(outage: true)
        do {
            _ = try pg.charge(charge("k"))
            Issue.record("charge during an outage")
        } catch GatewayError.unavailable {}
        do {
            _ = try pg.lookup(idempotencyKey: "k")
            Issue.record("lookup during an outage")
        } catch GatewayError.unavailable {}
        #expect(try pg.ledger().isEmpty)
        try pg.updateFaults(outage: false)
        #expect(try pg.charge(charge("k")).isApproved)
    }

    @Test func failEveryNthChargeOrRefund() throws {
        let home = try TempHome()
        let pg = try home.gateway()
        let f = try pg.updateFaults(failEvery: 3)
        #expect(f == SandboxFaults(failEvery: 3))
        var outcomes: [Bool] = []
        for n in 1...7 {
            _ = try pg.lookup(idempotencyKey: "x") // lookups are not counted
            do {
                _ = try pg.charge(charge("k\(n)", order: "P\(n)"))
                outcomes.append(true)
            } catch GatewayError.unavailable {
                outcomes.append(false)
            }
        }
        #expect(outcomes == [true, true, false, true, true, false, true])
        #expect(try pg.callCount() == 7)
        #expect(try pg.ledger().count == 5)
        try pg.resetFaults()
        #expect(try pg.faults() == .none)
        #expect(try pg.callCount() == 0)
    }

    @Test func aBatchIsOneCommitWithTheAnswersOfOneByOneCalls() throws {
        let home = try TempHome()
        let pg = try home.gateway()
        #expect(pg.takesBatches)
        let existing = try pg.charge(charge("k2", order: "P2"))
        let batch = [charge("k1", order: "P1"), charge("k2", order: "P2"),
                     charge("k3", order: "P3", instrument: .card(token: "tok_decline_1")),
                     charge("k4", order: "P4", amount: 0), charge("k2", order: "P9")]
        let results = try pg.chargeAll(batch)
        #expect(results.count == 5)
        #expect((try? results[0].get())?.isApproved == true)
        #expect((try? results[1].get()) == existing, "a known key replays its stored answer")
        #expect((try? results[2].get())?.status == .declined)
        #expect(throws: GatewayError.self) { try results[3].get() }
        #expect(throws: GatewayError.idempotencyConflict(key: "k2")) { try results[4].get() }
        #expect(try pg.ledger().map(\.idempotencyKey) == ["k2", "k1", "k3"])
        #expect(try pg.callCount() == 6)
        // Numbered in order, the refused calls taking no number; the next call goes on from there.
        #expect(try pg.ledger().map(\.transactionId) == ["T0000000001", "T0000000002", "T0000000003"])
        let more = try pg.chargeAll([charge("k5", order: "P5"), charge("k6", order: "P6")])
        #expect(more.map { (try? $0.get())?.transactionId } == ["T0000000004", "T0000000005"])
        #expect(try pg.refund(refund("r1", of: "T0000000002", order: "P1", amount: 1)).transactionId == "T0000000006")
    }

    @Test("only cancels are indexed by their original transaction; a refund finds what was refunded through that index")
    func cancelsByOriginal() throws {
        let home = try TempHome()
        let pg = try home.gateway()
        let c = try pg.charge(charge("c1"))
        _ = try pg.charge(charge("c2", order: "P2"))
        _ = try pg.refund(refund("r1", of: c.transactionId, amount: 10))
        let queue = try DatabaseQueue(path: SandboxGateway.ledgerPath(home: home.url).path)
        let (plan, entries) = try queue.read { db in
            (try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + SandboxGateway.refundedSQL, arguments: [c.transactionId])
                .map { $0["detail"] as String }.joined(separator: "; "),
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM transactions INDEXED BY transactions_by_original WHERE original_transaction_id IS NOT NULL")!)
        }
        #expect(plan.contains("INDEX transactions_by_original (original_transaction_id=?)"), "\(plan)")
        #expect(entries == 1)
        let indexSQL = try queue.read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'transactions_by_original'")
        }
        #expect(indexSQL?.contains("WHERE original_transaction_id IS NOT NULL") == true)
    }

    @Test func faultsStrikeABatchAsTheyStrikeOneByOneCalls() throws {
        let home = try TempHome()
        let slept = SleepLog()
        let pg = try home.gateway(sleep: { slept.add($0) })
        try pg.setFaults(SandboxFaults(latencyMs: 5, failEvery: 3))
        let results = try pg.chargeAll((1...7).map { charge("k\($0)", order: "P\($0)") })
        #expect(results.map { (try? $0.get()) != nil } == [true, true, false, true, true, false, true])
        #expect(try pg.ledger().count == 5)
        #expect(slept.values == [35], "latency is spent per charge")

        try pg.setFaults(SandboxFaults(outage: true))
        let refused = try pg.chargeAll([charge("o1", order: "O1"), charge("o2", order: "O2")])
        #expect(refused.allSatisfy { if case .failure(.unavailable) = $0 { true } else { false } })
        try pg.setFaults(SandboxFaults(timeoutAfterCommit: true))
        let lost = try pg.chargeAll([charge("t1", order: "T1")])
        #expect(throws: GatewayError.timeout) { try lost[0].get() }
        #expect(try pg.lookup(idempotencyKey: "t1")?.isApproved == true, "committed before the answer was lost")
        #expect(try pg.ledger().count == 6)
    }

    @Test func refundsGoInOneBatchWithTheAnswersOfOneByOneCalls() throws {
        let home = try TempHome()
        let pg = try home.gateway()
        let charges = try (1...4).map { try pg.charge(charge("c\($0)", order: "P\($0)")) }
        let known = try pg.refund(refund("r2", of: charges[1].transactionId, order: "P2", amount: 100_000))
        let batch = [refund("r1", of: charges[0].transactionId, order: "P1", amount: 100_000),
                     refund("r2", of: charges[1].transactionId, order: "P2", amount: 100_000),
                     refund("r3", of: "no-such-transaction", order: "P3", amount: 100_000),
                     refund("r4", of: charges[3].transactionId, order: "P4", amount: 100_000)]
        let calls = try pg.callCount()
        let results = try pg.refundAll(batch)
        #expect(results.count == 4)
        #expect((try? results[0].get())?.type == .cancel)
        #expect((try? results[1].get()) == known, "a known key replays its stored answer")
        #expect((try? results[2].get()) == nil, "\(results[2])")
        #expect((try? results[3].get())?.amount == 100_000)
        #expect(try pg.callCount() == calls + 4, "each refund of the batch counts as a call")
        #expect(try pg.ledger().filter { $0.type == .cancel }.map(\.idempotencyKey) == ["r2", "r1", "r4"])

        try pg.setFaults(SandboxFaults(outage: true))
        let refused = try pg.refundAll([refund("r5", of: charges[2].transactionId, order: "P3", amount: 1)])
        #expect(refused.allSatisfy { if case .failure(.unavailable) = $0 { true } else { false } })
        try pg.setFaults(SandboxFaults(timeoutAfterCommit: true))
        let lost = try pg.refundAll([refund("r6", of: charges[2].transactionId, order: "P3", amount: 100_000)])
        #expect(throws: GatewayError.timeout) { try lost[0].get() }
        #expect(try pg.lookup(idempotencyKey: "r6")?.type == .cancel, "committed before the answer was lost")
    }

    @Test func timeoutAfterCommitThenLookupFindsTheTransaction() throws {
        let home = try TempHome()
        let pg = try home.gateway()
        try pg.setFaults(SandboxFaults(timeoutAfterCommit: true))
        #expect(throws: GatewayError.timeout) { try pg.charge(charge("charge:P0001:1")) }
        let found = try #require(try pg.lookup(idempotencyKey: "charge:P0001:1"))
        #expect(found.isApproved)
        #expect(found.amount == 100_000)
        try pg.resetFaults()
        #expect(try pg.charge(charge("charge:P0001:1")) == found) // retry: same answer
        #expect(try pg.ledger().count == 1)
    }

    @Test func latencySleepsBeforeAnswering() throws {
        let home = try TempHome()
        let slept = SleepLog()
        let pg = try home.gateway(sleep: { slept.add($0) })
        try pg.updateFaults(latencyMs: 250)
        _ = try pg.charge(charge("k"))
        _ = try pg.lookup(idempotencyKey: "k")
        #expect(slept.values == [250, 250])
        #expect(throws: GatewayError.self) { try pg.updateFaults(latencyMs: -1) }
    }

    @Test func settlementStatementForOneDate() throws {
        let home = try TempHome()
        let pg = try home.gateway()
        let c1 = try pg.charge(charge("charge:P0001:1", order: "P0001", amount: 100_000, date: d1))
        _ = try pg.charge(charge("charge:P0002:1", order: "P0002", amount: 50_000, date: d2))
        _ = try pg.charge(charge("charge:P0003:1", order: "P0003", amount: 70_000,
                                 instrument: .card(token: "tok_decline"), date: d1))
        _ = try pg.refund(refund("refund,P0001", of: c1.transactionId, amount: 40_000, date: d1))

        let dir = home.url.appendingPathComponent("settlements", isDirectory: true)
        let url = try pg.exportSettlement(date: d1, to: dir)
        #expect(url.lastPathComponent == "settlement-2025-03-10.csv")
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text == """
            transaction_id,idempotency_key,order_id,type,amount,fee,approved_at,status
            T0000000001,charge:P0001:1,P0001,charge,100000,2200,2025-03-10,approved
            T0000000003,charge:P0003:1,P0003,charge,70000,0,2025-03-10,declined
            T0000000004,"refund,P0001",P0001,cancel,40000,880,2025-03-10,approved

            """)
        // Exporting again replaces the file; no temporary file is left behind.
        _ = try pg.exportSettlement(date: d1, to: dir)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["settlement-2025-03-10.csv"])
        let empty = try pg.exportSettlement(date: BusinessDate("2025-03-12")!, to: dir)
        #expect(try String(contentsOf: empty, encoding: .utf8)
                == "transaction_id,idempotency_key,order_id,type,amount,fee,approved_at,status\n")
        #expect(try pg.ledger(date: d2).map(\.orderId) == ["P0002"])
    }

    @Test func twoInstancesShareOneLedgerAndItsFaults() throws {
        let home = try TempHome()
        let a = try home.gateway()
        let b = try home.gateway()
        let t1 = try a.charge(charge("k1", order: "P1"))
        #expect(try b.lookup(idempotencyKey: "k1") == t1)
        #expect(try b.charge(charge("k1", order: "P1")) == t1)
        let t2 = try b.charge(charge("k2", order: "P2"))
        #expect(t2.transactionId == "T0000000002")
        #expect(try a.ledger() == [t1, t2])
        try b.updateFaults(outage: true)
        #expect(try a.faults().outage)
        #expect(throws: GatewayError.self) { try a.charge(charge("k3", order: "P3")) }
    }

    @Test func concurrentInstancesNeverDoubleRecordAKey() async throws {
        let home = try TempHome()
        let path = SandboxGateway.ledgerPath(home: home.url)
        _ = try home.gateway()
        let results = try await withThrowingTaskGroup(of: GatewayTransaction.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let pg = try SandboxGateway(path: path, sleep: { _ in })
                    return try pg.charge(charge("same-key"))
                }
            }
            return try await group.reduce(into: [GatewayTransaction]()) { $0.append($1) }
        }
        #expect(Set(results).count == 1)
        #expect(try home.gateway().ledger().count == 1)
    }
}

private final class SleepLog: @unchecked Sendable {
    private let lock = NSLock()
    private var log: [Int] = []
    func add(_ ms: Int) { lock.withLock { log.append(ms) } }
    var values: [Int] { lock.withLock { log } }
}
