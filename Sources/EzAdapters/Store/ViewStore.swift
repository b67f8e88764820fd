import EzCore
import Foundation
import GRDB

/// The status views' own database (`<home>/views/status.sqlite`, 가입상태 조회): the read model
/// of the CQRS split, built only from the state store's event log, as the mypage service kept
/// its own database fed from Kafka.
///
/// It holds each customer's and each request's view, in parts (see migration v3: a customer's
/// details, one row per plan, proposal and withdrawal; a request's current outcome and history)
/// that `customerView` and `requestView` put together as the JSON a status file has, and the
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
        m.registerMigration("v3-views-in-parts") { db in
            // A customer's view in parts, so that an event rewrites only what it changes: the
            // customer's details (masked, as the customer record's JSON; NULL before any
            // customer event) and last event in `customers`, one row per plan, proposal and
            // withdrawal (its JSON as its last event carried it) in `customer_items`. A
            // request's view as its current outcome and its history (the outcomes' JSON,
            // comma-separated). Existing views are split in place.
            try db.execute(sql: """
            CREATE TABLE customer_items (
                customer_no TEXT NOT NULL,
                kind TEXT NOT NULL,
                item_no TEXT NOT NULL,
                status TEXT NOT NULL,
                doc TEXT NOT NULL,
                PRIMARY KEY (customer_no, kind, item_no)
            ) WITHOUT ROWID;
            INSERT INTO customer_items(customer_no, kind, item_no, status, doc)
                SELECT c.customer_no, 'plan', json_extract(e.value, '$.plan_no'), json_extract(e.value, '$.status'), e.value
                FROM customers c, json_each(c.doc, '$.plans') e;
            INSERT INTO customer_items(customer_no, kind, item_no, status, doc)
                SELECT c.customer_no, 'proposal', json_extract(e.value, '$.proposal_no'), json_extract(e.value, '$.status'), e.value
                FROM customers c, json_each(c.doc, '$.proposals') e;
            INSERT INTO customer_items(customer_no, kind, item_no, status, doc)
                SELECT c.customer_no, 'withdrawal', json_extract(e.value, '$.withdrawal_no'), json_extract(e.value, '$.status'), e.value
                FROM customers c, json_each(c.doc, '$.withdrawals') e;
            CREATE TABLE customers_in_parts (
                customer_no TEXT NOT NULL UNIQUE,
                profile TEXT,
                last_event_seq INTEGER NOT NULL,
                updated_on TEXT
            );
            INSERT INTO customers_in_parts(customer_no, profile, last_event_seq, updated_on)
                SELECT customer_no,
                       CASE WHEN json_extract(doc, '$.name') IS NULL THEN NULL
                       ELSE json_patch('{}', json_object(
                           'birth_date', json_extract(doc, '$.birth_date'), 'customer_no', customer_no,
                           'email', json_extract(doc, '$.email'), 'gender', json_extract(doc, '$.gender'),
                           'name', json_extract(doc, '$.name'), 'occupation_class', json_extract(doc, '$.occupation_class'),
                           'phone', json_extract(doc, '$.phone'))) END,
                       coalesce(json_extract(doc, '$.last_event_seq'), 0), json_extract(doc, '$.updated_on')
                FROM customers ORDER BY rowid;
            DROP TABLE customers;
            ALTER TABLE customers_in_parts RENAME TO customers;
            CREATE TABLE requests_in_parts (
                request_id TEXT PRIMARY KEY,
                status TEXT NOT NULL,
                current TEXT NOT NULL,
                history TEXT NOT NULL
            ) WITHOUT ROWID;
            INSERT INTO requests_in_parts(request_id, status, current, history)
                SELECT request_id, json_extract(doc, '$.current.status'), json_extract(doc, '$.current'),
                       (SELECT group_concat(e.value, ',') FROM json_each(doc, '$.history') e)
                FROM requests;
            DROP TABLE requests;
            ALTER TABLE requests_in_parts RENAME TO requests;
            """)
        }
        return m
    }
}
