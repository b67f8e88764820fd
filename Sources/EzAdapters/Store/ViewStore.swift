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

    /// What the views hold for the customers, plans, proposals, withdrawals and requests that
    /// `inputs` touch: one lookup per request, and per customer one for its details and one for
    /// its entries.
    public func prior<Record>(for inputs: [StatusProjector.Input<Record>]) throws -> StatusProjector.Prior {
        var prior = StatusProjector.Prior()
        var profilesRead = Set<String>(), itemsRead = Set<String>(), requestsRead = Set<String>()
        for input in inputs {
            switch input.payload {
            case .request(let outcome, _):
                if requestsRead.insert(outcome.requestId).inserted, let status = try requestStatus(outcome.requestId) {
                    prior.requestStatus[outcome.requestId] = status
                }
            case .customer(let customer):
                if profilesRead.insert(customer.customerNo).inserted, try isProfiled(customer.customerNo) {
                    prior.profiled.insert(customer.customerNo)
                }
            case .item(let item, _, _):
                if itemsRead.insert(item.customerNo).inserted {
                    for (item, status) in try itemStatuses(of: item.customerNo) { prior.itemStatus[item] = status }
                }
            }
        }
        return prior
    }

    /// Saves what a chunk changed (`StatusProjector.project`), its count changes summed.
    public func save(_ changes: StatusProjector.Changes<UTF8Text>) throws {
        for change in changes.customers { try save(change) }
        for change in changes.items { try save(change) }
        for change in changes.requests { try save(change) }
        try apply(StatusProjector.summed(changes.deltas))
    }

    /// Whether the customer's view has the customer's details (a customer event was applied).
    public func isProfiled(_ customerNo: String) throws -> Bool {
        try firstRow("SELECT profile IS NOT NULL FROM customers WHERE customer_no = ?", [customerNo]) { $0[0] as Bool } ?? false
    }

    /// The status of each plan, proposal and withdrawal in the customer's view.
    public func itemStatuses(of customerNo: String) throws -> [(item: ViewItem, status: String)] {
        try rows("SELECT kind, item_no, status FROM customer_items WHERE customer_no = ?", [customerNo]) { row in
            guard let kind = ViewItem.Kind(rawValue: row[0] as String) else {
                throw StoreError.corrupt("views: customer \(customerNo) has an entry of kind \(row[0] as String)")
            }
            return (ViewItem(customerNo: customerNo, kind: kind, number: row[1]), row[2])
        }
    }

    /// The status of a request's current outcome.
    public func requestStatus(_ requestId: String) throws -> RequestOutcome.Status? {
        guard let text = try firstRow("SELECT status FROM requests WHERE request_id = ?", [requestId], { $0[0] as String }) else {
            return nil
        }
        guard let status = RequestOutcome.Status(rawValue: text) else {
            throw StoreError.corrupt("views: request \(requestId) has status \(text)")
        }
        return status
    }

    /// Saves a customer's details (when they changed) and last event.
    public func save(_ change: StatusProjector.CustomerChange) throws {
        try run("""
            INSERT INTO customers(customer_no, profile, last_event_seq, updated_on) VALUES (?, ?, ?, ?)
            ON CONFLICT(customer_no) DO UPDATE SET profile = coalesce(excluded.profile, profile),
                last_event_seq = excluded.last_event_seq, updated_on = excluded.updated_on
            """, [change.customerNo, try change.profile.map { UTF8Text(try JSONCodec.encodeBytes($0)) },
                  change.lastEventSeq, change.updatedOn.description])
    }

    /// Saves a plan's, proposal's or withdrawal's entry.
    public func save(_ change: StatusProjector.ItemChange<UTF8Text>) throws {
        try run("""
            INSERT INTO customer_items(customer_no, kind, item_no, status, doc) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(customer_no, kind, item_no) DO UPDATE SET status = excluded.status, doc = excluded.doc
            """, [change.item.customerNo, change.item.kind.rawValue, change.item.number, change.status, change.record])
    }

    /// Saves a request's new outcomes: appended to its history, the current one replaced when
    /// it changed.
    public func save(_ change: StatusProjector.RequestChange<UTF8Text>) throws {
        var history: [UInt8] = []
        for record in change.appended {
            if !history.isEmpty { history.append(UInt8(ascii: ",")) }
            history += record.bytes
        }
        if let current = change.current {
            try run("""
                INSERT INTO requests(request_id, status, current, history) VALUES (?, ?, ?, ?)
                ON CONFLICT(request_id) DO UPDATE SET status = excluded.status, current = excluded.current,
                    history = history || ',' || excluded.history
                """, [change.requestId, current.status.rawValue, current.record, UTF8Text(history)])
        } else {
            try run("UPDATE requests SET history = history || ',' || ? WHERE request_id = ?", [UTF8Text(history), change.requestId])
            guard db.changesCount == 1 else {
                throw StoreError.corrupt("views: outcomes of request \(change.requestId) to add to a view that is not there")
            }
        }
    }

    public func customerView(_ no: String) throws -> CustomerView? {
        guard let head = try firstRow("SELECT profile, last_event_seq, updated_on FROM customers WHERE customer_no = ?", [no], {
            (profile: $0.optional(0) as String?, lastEventSeq: $0[1] as Int64, updatedOn: $0.optional(2) as String?)
        }) else { return nil }
        var plans: [Plan] = [], proposals: [Proposal] = [], withdrawals: [Withdrawal] = []
        _ = try rows("SELECT kind, doc FROM customer_items WHERE customer_no = ? ORDER BY kind, item_no", [no]) { row in
            switch row[0] as String {
            case ViewItem.Kind.plan.rawValue: plans.append(try row.json(Plan.self, 1))
            case ViewItem.Kind.proposal.rawValue: proposals.append(try row.json(Proposal.self, 1))
            case ViewItem.Kind.withdrawal.rawValue: withdrawals.append(try row.json(Withdrawal.self, 1))
            case let kind: throw StoreError.corrupt("views: customer \(no) has an entry of kind \(kind)")
            }
        }
        var updatedOn: BusinessDate?
        if let text = head.updatedOn {
            guard let date = BusinessDate(text) else { throw StoreError.corrupt("views: customer \(no) updated on \(text)") }
            updatedOn = date
        }
        return CustomerView(customerNo: no, profile: try head.profile.map { try JSONCodec.decode(Customer.self, from: $0) },
                            plans: plans, proposals: proposals, withdrawals: withdrawals,
                            lastEventSeq: head.lastEventSeq, updatedOn: updatedOn)
    }

    public func requestView(_ id: String) throws -> RequestView? {
        try firstRow("SELECT current, history FROM requests WHERE request_id = ?", [id]) { row in
            var view = RequestView(current: try row.json(RequestOutcome.self, 0))
            view.history = try JSONCodec.decode([RequestOutcome].self, from: "[" + (row[1] as String) + "]")
            return view
        }
    }

    /// Customer views in number order, after `customerNo` (nil: from the first), at most `limit`.
    public func customerViews(after customerNo: String?, limit: Int) throws -> [CustomerView] {
        let numbers = try rows("SELECT customer_no FROM customers WHERE customer_no > ? ORDER BY customer_no LIMIT ?",
                               [customerNo ?? "", limit]) { $0[0] as String }
        return try numbers.map { no in
            guard let view = try customerView(no) else { throw StoreError.notFound("customer view \(no)") }
            return view
        }
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
        try db.execute(sql: "DELETE FROM customers; DELETE FROM customer_items; DELETE FROM requests; DELETE FROM counts; DELETE FROM checkpoint;")
    }
}
