import EzCore
import Foundation
import GRDB

/// The status views' own database (`<home>/views/status.sqlite`, 가입상태 조회): the read model
/// of the CQRS split, built only from the state store's event log, as the mypage service kept
/// its own database fed from Kafka.
///
/// It holds each customer's and each request's view (as the JSON a status file had) and the
/// counts of `summary.json`, with the views consumer's checkpoint in the same file: every chunk
/// of events commits its views and the checkpoint in one transaction, so a kill -9 leaves the
/// views exactly at their last commit. Readers (a mypage service, `status`) see committed
/// chunks only (WAL snapshots); they look a customer up by its number.
///
/// The state store never reads it: deleting it loses nothing (`views rebuild`, or the next run,
/// builds it again from the log).
public struct ViewStore: Sendable {
    public let writer: any DatabaseWriter
    /// Checkpoints the file's WAL off the writing thread (nil in memory).
    let checkpointer: WALCheckpointer?

    /// The consumer whose checkpoint this file keeps.
    static let consumer = "views"

    /// Opens (creating if needed) the views database at `path`. 8 MiB of page cache per
    /// connection: the views a chunk touches are mostly the ones the chunks before it wrote.
    public init(path: String) throws {
        (writer, checkpointer) = try SQLiteFile.openPool(path: path, cacheKiB: 8192, foreignKeys: false,
                                                         migrator: ViewStore.migrator)
    }

    /// An empty in-memory views database, for tests.
    public static func inMemory() throws -> ViewStore { try ViewStore(writer: DatabaseQueue()) }

    public init(writer: any DatabaseWriter) throws {
        self.writer = writer
        checkpointer = nil
        try ViewStore.migrator.migrate(writer)
    }

    public func write<T>(_ body: (ViewTransaction) throws -> T) throws -> T {
        let result = try writer.write { try body(ViewTransaction(db: $0)) }
        checkpointer?.committed()
        return result
    }

    public func read<T>(_ body: (ViewTransaction) throws -> T) throws -> T {
        try writer.read { try body(ViewTransaction(db: $0)) }
    }

    /// The schema; never edit a shipped migration: add one.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-views") { db in
            try db.execute(sql: """
            CREATE TABLE customers (customer_no TEXT PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID;
            CREATE TABLE requests (request_id TEXT PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID;
            CREATE TABLE counts (
                entity TEXT NOT NULL,
                status TEXT NOT NULL,
                count INTEGER NOT NULL,
                PRIMARY KEY (entity, status)
            ) WITHOUT ROWID;
            CREATE TABLE checkpoint (consumer TEXT PRIMARY KEY, last_seq INTEGER NOT NULL);
            """)
        }
        m.registerMigration("v2-customers-in-rowid-table") { db in
            // A customer's view outgrows what a WITHOUT ROWID row keeps in place (about 2,000
            // bytes with 8 KiB pages) once the customer holds two or three plans: each update
            // then also rewrote overflow pages. A rowid table keeps up to about 8,100 bytes in
            // the row; the customer number keeps its unique index. Existing views are copied.
            try db.execute(sql: """
            CREATE TABLE customers_by_rowid (customer_no TEXT NOT NULL UNIQUE, doc TEXT NOT NULL);
            INSERT INTO customers_by_rowid(customer_no, doc) SELECT customer_no, doc FROM customers ORDER BY customer_no;
            DROP TABLE customers;
            ALTER TABLE customers_by_rowid RENAME TO customers;
            """)
        }
        return m
    }
}

/// The views database's operations inside one transaction.
public struct ViewTransaction {
    public let db: Database
    /// The statements this transaction has used.
    let statements = StatementMemo()

    /// The views consumer's checkpoint, kept with the views.
    static let checkpoint = CheckpointTable("checkpoint")

    /// The last event of the state store's log applied to these views (0: none).
    public func offset() throws -> Int64 {
        try Self.checkpoint.offset(of: ViewStore.consumer, in: db)
    }

    /// Stops a chunk prepared from `seq` if the checkpoint has moved since: another process
    /// applied events without holding the views stage's lock.
    public func expectOffset(at seq: Int64) throws {
        try Self.checkpoint.expect(ViewStore.consumer, at: seq, in: db)
    }

    public func setOffset(to seq: Int64) throws {
        try Self.checkpoint.set(ViewStore.consumer, to: seq, in: db)
    }

    /// A customer's view as stored, UTF-8: its JSON, compact (pretty in rows written before
    /// 2026-12-06; `ViewJSON.customerFile` gives the file's layout of either).
    public func customerViewBytes(_ no: String) throws -> [UInt8]? {
        try firstRow("SELECT doc FROM customers WHERE customer_no = ?", [no]) { $0.utf8(0) }
    }

    /// A request's view as stored, UTF-8 (`StoreJSON`).
    public func requestViewBytes(_ id: String) throws -> [UInt8]? {
        try firstRow("SELECT doc FROM requests WHERE request_id = ?", [id]) { $0.utf8(0) }
    }

    /// `customerViewBytes` as text.
    public func customerViewDoc(_ no: String) throws -> String? {
        try customerViewBytes(no).map { String(decoding: $0, as: UTF8.self) }
    }

    /// `requestViewBytes` as text.
    public func requestViewDoc(_ id: String) throws -> String? {
        try requestViewBytes(id).map { String(decoding: $0, as: UTF8.self) }
    }

    public func customerView(_ no: String) throws -> CustomerView? {
        try customerViewBytes(no).map { try JSONCodec.decode(CustomerView.self, fromUTF8: $0) }
    }

    public func requestView(_ id: String) throws -> RequestView? {
        try requestViewBytes(id).map { try JSONCodec.decode(RequestView.self, fromUTF8: $0) }
    }

    public func saveCustomerView(_ no: String, doc: some SQLBindable) throws {
        try run("""
            INSERT INTO customers(customer_no, doc) VALUES (?, ?)
            ON CONFLICT(customer_no) DO UPDATE SET doc = excluded.doc
            """, [no, doc])
    }

    public func saveRequestView(_ id: String, doc: some SQLBindable) throws {
        try run("""
            INSERT INTO requests(request_id, doc) VALUES (?, ?)
            ON CONFLICT(request_id) DO UPDATE SET doc = excluded.doc
            """, [id, doc])
    }

    /// Customer views in number order, after `customerNo` (nil: from the first), at most `limit`.
    public func customerViewDocs(after customerNo: String?, limit: Int) throws -> [(customerNo: String, doc: String)] {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT customer_no, doc FROM customers WHERE customer_no > ? ORDER BY customer_no LIMIT ?
            """), arguments: [customerNo ?? "", limit])
        return rows.map { ($0[0], $0[1]) }
    }

    public func apply(_ deltas: [StatusProjector.CountDelta]) throws {
        for d in deltas {
            try run("""
                INSERT INTO counts(entity, status, count) VALUES (?, ?, ?)
                ON CONFLICT(entity, status) DO UPDATE SET count = count + excluded.count
                """, [d.entity, d.status, d.delta])
        }
    }

    public func counts() throws -> [String: [String: Int]] {
        var out: [String: [String: Int]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT entity, status, count FROM counts WHERE count <> 0") {
            out[row["entity"], default: [:]][row["status"]] = row["count"]
        }
        return out
    }

    /// Drops every view and the checkpoint, so the consumer rebuilds them from the first event.
    public func reset() throws {
        try db.execute(sql: "DELETE FROM customers; DELETE FROM requests; DELETE FROM counts; DELETE FROM checkpoint;")
    }
}
