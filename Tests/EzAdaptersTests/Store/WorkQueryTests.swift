import EzAdapters
import EzCore
import Foundation
import GRDB
import GRDBSQLite
import Testing

/// The stages find their work through indexes: how many pages a work query reads must not
/// grow with the history it skips.
@Suite("StateStore: work queries on a cold cache")
struct WorkQueryTests {
    /// Pages the connection had to read from the file so far.
    static func cacheMisses(_ tx: StoreTransaction) -> Int32 {
        var current: Int32 = 0, highest: Int32 = 0
        sqlite3_db_status(tx.db.sqliteConnection, SQLITE_DBSTATUS_CACHE_MISS, &current, &highest, 0)
        return current
    }

    /// Fills a new store file (in a scratch folder) with `fill`, then runs `query` on a second
    /// store on the same file (new connections, an empty page cache): its result and the pages
    /// it read from the file.
    static func coldRead<T>(fill: (StateStore) throws -> Void, query: (StoreTransaction) throws -> T)
        throws -> (result: T, misses: Int32) {
        let dir = try IntakeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("store.sqlite").path
        try fill(try StateStore(path: path))
        return try StateStore(path: path).read { tx in
            let before = cacheMisses(tx)
            let result = try query(tx)
            return (result, cacheMisses(tx) - before)
        }
    }

    /// 3,000 payable proposals: three due today, two overdue (one and two days), one without a
    /// due date, the rest declined today and so due tomorrow.
    static func fillPayable(_ store: StateStore) throws {
        try store.write { tx in
            try tx.save(StoreFx.customer())
            for i in 1...3_000 {
                let suffix = String(format: "%08d", i)
                try tx.insert(StoreFx.plan("PL" + suffix), breakdown: nil)
                let due: BusinessDate? = switch i {
                case 1_000, 2_000, 3_000: today
                case 1_500: today.adding(days: -1)
                case 2_500: today.adding(days: -2)
                case 700: nil
                default: today.adding(days: 1)
                }
                var proposal = StoreFx.proposal("PR" + suffix, plan: "PL" + suffix,
                                                status: due == today.adding(days: 1) ? .paymentFailed : .paymentPending)
                proposal.nextAttemptOn = due
                try tx.insert(proposal, payment: StoreFx.card)
            }
        }
    }

    static let today = StoreFx.d("2025-03-02")

    /// The proposals of a whole walk, from its start: `fetch` returns the batch after a cursor,
    /// `settle` runs on each batch before the next is fetched.
    static func walk(fetch: (PayableCursor) throws -> [Proposal], settle: ([Proposal]) throws -> Void = { _ in })
        throws -> [String] {
        var seen: [String] = [], cursor = PayableCursor.start
        while true {
            let batch = try fetch(cursor)
            guard let last = batch.last else { return seen }
            seen += batch.map(\.proposalNo)
            try settle(batch)
            cursor = .after(last, on: today)
        }
    }

    /// `walk` over `store`, each batch read in its own transaction as the payments stage does.
    static func walk(_ store: StateStore, limit: Int, settle: (StoreTransaction, [Proposal]) throws -> Void = { _, _ in })
        throws -> [String] {
        try walk(fetch: { cursor in try store.read { try $0.chargesDue(on: today, limit: limit, after: cursor).map(\.proposal) } },
                 settle: { batch in try store.write { try settle($0, batch) } })
    }

    @Test("the payable walk reads the proposals due, not those due tomorrow, and counts them the same way")
    func payableWalkSkipsProposalsDueLater() throws {
        let ((due, counted), misses) = try Self.coldRead(fill: Self.fillPayable) { tx in
            (try Self.walk(fetch: { try tx.chargesDue(on: Self.today, limit: 2, after: $0).map(\.proposal) }),
             try tx.pendingWork(on: Self.today, viewsOffset: 0).proposalsToCharge)
        }
        // Due today in number order, then overdue by due date, then the one without a date.
        #expect(due == ["PR00001000", "PR00002000", "PR00003000", "PR00002500", "PR00001500", "PR00000700"])
        #expect(counted == 6)
        // The payable index is about 30 pages. The walk and the count read 17 pages here: the
        // six proposals', the tables' and the index's upper levels, and a few index leaves.
        #expect(misses < 25, "the walk and the count read \(misses) pages for 3,000 payable proposals")
    }

    @Test("a proposal settled in the walk is not met again: deferred ones move to the date already walked")
    func payableWalkMeetsEachProposalOnce() throws {
        let store = try StateStore.inMemory()
        try Self.fillPayable(store)
        // As the payments stage does when the gateway is down: every proposal is deferred to today.
        let seen = try Self.walk(store, limit: 1) { tx, batch in
            for var proposal in batch {
                proposal.status = .paymentDeferred
                proposal.nextAttemptOn = Self.today
                try tx.update(proposal)
            }
        }
        #expect(seen == ["PR00001000", "PR00002000", "PR00003000", "PR00002500", "PR00001500", "PR00000700"])
        // A second walk (the next run that day) meets all six again, now all due today.
        #expect(try Self.walk(store, limit: 4) == ["PR00000700", "PR00001000", "PR00001500", "PR00002000",
                                                    "PR00002500", "PR00003000"])
    }

    @Test("a withdrawal request finds the proposal's withdrawal, and health its overdue work, without reading the rest")
    func withdrawalAndOverdueLookupsUseTheirIndexes() throws {
        let today = Self.today, longAgo = today.adding(days: -30)
        let ((found, overdue), misses) = try Self.coldRead(fill: { try $0.write { tx in
            try tx.save(StoreFx.customer())
            for i in 1...3_000 {
                let suffix = String(format: "%08d", i)
                try tx.insert(StoreFx.plan("PL" + suffix), breakdown: nil)
                // Every proposal withdrawn, but one deferred for a month and one refund overdue.
                var proposal = StoreFx.proposal("PR" + suffix, plan: "PL" + suffix,
                                                status: i == 1_234 ? .paymentDeferred : .withdrawn)
                proposal.submittedOn = longAgo
                try tx.insert(proposal, payment: StoreFx.card)
                var withdrawal = Withdrawal(withdrawalNo: "WD" + suffix, requestId: "REQ-W" + suffix, proposalNo: "PR" + suffix,
                                            customerNo: "C00000001", requestedOn: longAgo, reason: nil)
                withdrawal.status = i == 2_345 ? .refundPending : .withdrawn
                withdrawal.refundDueOn = longAgo
                try tx.insert(withdrawal)
            }
        } }) { tx in
            (try tx.openWithdrawal(proposalNo: "PR00001500")?.withdrawalNo,
             try tx.overdueWork(before: today.adding(days: -3), refundsDueBefore: today))
        }
        #expect(found == "WD00001500")
        #expect(overdue.deferred == 1 && overdue.refunds == 1)
        // Each table holds over 50 pages of rows; a scan of either would read them all.
        #expect(misses < 20, "the lookups read \(misses) pages of 3,000 proposals and withdrawals")
    }

    @Test("the nightly report reads the events of its day, not the whole log")
    func operationsSummaryReadsOneDay() throws {
        let earlier = StoreFx.d("2025-03-01"), day = StoreFx.d("2025-03-02")
        let (summary, misses) = try Self.coldRead(fill: { try $0.write { tx in
            // 3,000 quotes the day before (about 370 pages of log), four events on the day.
            for i in 1...3_000 {
                try tx.append(DomainEvent(.planQuoted, on: earlier, .plan(StoreFx.plan(String(format: "PL%08d", i)))), runId: nil)
            }
            try tx.append(DomainEvent(.planQuoted, on: day, .plan(StoreFx.plan("PL90000001"))), runId: nil)
            try tx.append(DomainEvent(.planQuoted, on: day, .plan(StoreFx.plan("PL90000002"))), runId: nil)
            try tx.append(DomainEvent(.planDeclined, on: day, .plan(StoreFx.plan("PL90000003", status: .declined))), runId: nil)
            try tx.append(DomainEvent(.customerRegistered, on: day, .customer(StoreFx.customer())), runId: nil)
        } }) { tx in try tx.operationsSummary(on: day) }
        #expect(summary.quotes == 2 && summary.plansDeclined == 1)
        #expect(misses < 20, "the report read \(misses) pages for four events of its day")
    }
}
