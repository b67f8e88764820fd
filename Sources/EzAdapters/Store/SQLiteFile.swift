import CSQLiteTuning
import Foundation
import GRDB

/// Opening a SQLite database file the way every database of a home is opened: WAL, a busy
/// timeout, and migrations run by one process at a time.
public enum SQLiteFile {
    /// Process-wide SQLite settings, made once at start before any database opens: memory
    /// statistics off (each of SQLite's allocations otherwise takes a global mutex; 2-3% of a
    /// run's CPU went to it and its counters). Returns whether SQLite took them (it refuses once
    /// a connection is open, and then keeps its defaults).
    @discardableResult
    public static func configureProcess() -> Bool {
        ez_sqlite_disable_memstatus() == 0
    }

    /// The page size of a database file this version creates (the store, the views database,
    /// the sandbox gateway's ledger; SQLite's default is 4 KiB).
    /// With 8 KiB pages a request's rows and index entries take half as many WAL frames, each
    /// one `pwrite` and one copy by the checkpoint: the 1M benchmark took 232–240 s instead of
    /// 287 s, with 391–397 s of CPU instead of 487 s. A file keeps the page size it was made with;
    /// README ("Page size", under the upgrade notes) tells how to convert an older home's store.
    static let pageSize = 8192

    /// Opens (creating if needed) the database at `path` with `cacheKiB` of page cache per
    /// connection, and migrates it under an OS lock (`<path>.migrate-lock`): several processes
    /// may open a new or older file at once (cron's tick, an operator's `status`); one of them
    /// migrates while the others wait, so no migration ever runs twice. Its checkpoints run on
    /// a thread of their own (`WALCheckpointer`), which the caller tells of each commit.
    static func openPool(path: String, cacheKiB: Int, foreignKeys: Bool,
                         migrator: DatabaseMigrator) throws -> (DatabasePool, WALCheckpointer?) {
        var config = Configuration()
        config.busyMode = .timeout(30)
        config.foreignKeysEnabled = foreignKeys
        config.maximumReaderCount = 2
        config.prepareDatabase { db in
            // Takes effect only on a file not written yet (then before WAL mode fixes it).
            try db.execute(sql: "PRAGMA page_size = \(pageSize)")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = -\(cacheKiB)")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(WALCheckpointer.fallbackPages)")
            SQLProfile.shared?.attach(to: db)
        }
        // Created owner-only, as every file of the home that holds personal data; SQLite gives
        // its -wal and -shm files the same mode.
        let created = open(path, O_RDWR | O_CREAT, 0o600)
        if created >= 0 { close(created) }
        let lockPath = path + ".migrate-lock"
        let fd = open(lockPath, O_RDWR | O_CREAT, 0o600)
        guard fd >= 0 else { throw StoreError.corrupt("cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        defer { flock(fd, LOCK_UN); close(fd) }
        flock(fd, LOCK_EX)
        let pool = try DatabasePool(path: path, configuration: config)
        try migrator.migrate(pool)
        return (pool, WALCheckpointer(path: path))
    }
}
