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

    @Test("proposals declined today and retried tomorrow are skipped in the index, not read from the table")
    func payableWalkStaysInTheIndex() throws {
        let dir = try IntakeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("store.sqlite").path
        let store = try StateStore(path: path)
        let today = StoreFx.d("2025-03-02"), tomorrow = StoreFx.d("2025-03-03")
        try store.write { tx in
            try tx.save(StoreFx.customer())
            for i in 1...3_000 {
                let suffix = String(format: "%08d", i)
                try tx.insert(StoreFx.plan("PL" + suffix), breakdown: nil)
                let due = i % 1_000 == 0
                var proposal = StoreFx.proposal("PR" + suffix, plan: "PL" + suffix, status: due ? .paymentPending : .paymentFailed)
                proposal.nextAttemptOn = due ? today : tomorrow
                try tx.insert(proposal, payment: StoreFx.card)
            }
        }
        // A second store on the same file: new connections, an empty page cache.
        let cold = try StateStore(path: path)
        let (due, misses) = try cold.read { tx in
            let before = Self.cacheMisses(tx)
            let due = try tx.proposalsToCharge(on: today, limit: 500, after: "")
            return (due.map(\.proposalNo), Self.cacheMisses(tx) - before)
        }
        #expect(due == ["PR00001000", "PR00002000", "PR00003000"])
        // The table holds about a page per proposal; the index about a hundred per page.
        #expect(misses < 100, "the walk read \(misses) pages for 3,000 payable proposals")
    }
}
