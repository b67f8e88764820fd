import Foundation
import GRDBSQLite

/// Copies a WAL database's committed pages back into the database file from a thread and
/// connection of its own, so the connection that writes never does.
///
/// SQLite's own automatic checkpoint runs inside the commit that passes its threshold (1,000
/// pages): the writing thread then reads those pages back from the WAL, writes them into the
/// database file and syncs it before it can go on. Here the writer's automatic checkpoint is
/// raised to a fallback (`fallbackPages`) and this thread runs a passive checkpoint after each
/// commit it is told of (`committed()`), and at least every `interval`. A passive checkpoint
/// never waits for a lock and never touches a page a reader still needs; what it cannot copy
/// yet, a later one does. Durability is SQLite's, as before: a commit is in the WAL; where its
/// pages are copied later changes nothing a crash could see.
///
/// The thread stops, and its connection closes, when the last reference to the checkpointer
/// goes (with the store that holds it).
final class WALCheckpointer: Sendable {
    /// The writer's own automatic checkpoint, kept as a fallback for a WAL the thread cannot
    /// keep short (pages: 64 MiB of 8 KiB pages): far above what the thread lets accumulate
    /// between two commits.
    static let fallbackPages = 8192

    private let loop: Loop

    /// Opens a connection of its own to `path` (a WAL database, already migrated) and starts
    /// the thread; nil if the file cannot be opened (the writer then keeps checkpointing).
    init?(path: String, interval: TimeInterval = 0.1) {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let db else {
            sqlite3_close_v2(db)
            return nil
        }
        // The checkpoint syncs as the writer's would (WAL, synchronous = NORMAL: the database
        // file is synced after the pages are copied, before the WAL may be reused).
        sqlite3_exec(db, "PRAGMA synchronous = NORMAL", nil, nil, nil)
        let loop = Loop(db: db, interval: interval)
        self.loop = loop
        let thread = Thread { loop.run() }
        thread.name = "wal-checkpoint"
        thread.start()
    }

    deinit { loop.stop() }

    /// A transaction has committed: checkpoint soon.
    func committed() { loop.wake() }

    /// What the thread's last checkpoint found: frames in the WAL, and frames copied back.
    var lastCheckpoint: (walFrames: Int32, copied: Int32) { loop.last }

    /// The thread's state; the thread holds it, not the checkpointer.
    private final class Loop: @unchecked Sendable {
        private let condition = NSCondition()
        private var pending = false
        private var stopping = false
        private var finished = false
        private var result: (walFrames: Int32, copied: Int32) = (0, 0)
        private let db: OpaquePointer
        private let interval: TimeInterval

        init(db: OpaquePointer, interval: TimeInterval) {
            self.db = db
            self.interval = interval
        }

        var last: (walFrames: Int32, copied: Int32) {
            condition.lock()
            defer { condition.unlock() }
            return result
        }

        func wake() {
            condition.lock()
            pending = true
            condition.signal()
            condition.unlock()
        }

        /// Stops the thread after its checkpoint in progress; returns once its connection is closed.
        func stop() {
            condition.lock()
            stopping = true
            condition.broadcast()
            while !finished { condition.wait() }
            condition.unlock()
        }

        func run() {
            condition.lock()
            while !stopping {
                if !pending { _ = condition.wait(until: Date().addingTimeInterval(interval)) }
                if stopping { break }
                pending = false
                condition.unlock()
                var log: Int32 = 0, copied: Int32 = 0
                // SQLITE_BUSY (another checkpoint in progress) and a WAL without new pages are normal.
                let rc = sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, &log, &copied)
                condition.lock()
                if rc == SQLITE_OK { result = (log, copied) }
            }
            sqlite3_close_v2(db)
            finished = true
            condition.broadcast()
            condition.unlock()
        }
    }
}
