import EzCore
import GRDB
import GRDBSQLite

extension StoreTransaction {
    /// Appends `event` to the log; call it in the transaction that made the change.
    ///
    /// The row is written with the transaction's other events, in order, several to a
    /// statement (`flushEvents`): one INSERT of 64 rows costs SQLite much less than 64 INSERTs
    /// of one, and a request appends eight. The transaction writes them before it commits and
    /// before it reads the log.
    public func append(_ event: DomainEvent, runId: Int64?) throws {
        let c = event.correlation
        events.rows.append(EventRow(type: event.type.rawValue, occurredOn: event.occurredOn.description,
                                    requestId: c.requestId, customerNo: c.customerNo, planNo: c.planNo,
                                    proposalNo: c.proposalNo, policyNo: c.policyNo,
                                    payload: try payloadJSON(event.payload), runId: runId))
        if events.rows.count >= Self.eventsPerInsert * 4 { try flushEvents() }
    }

    /// Writes the events appended and not yet written, in order.
    func flushEvents() throws {
        let rows = events.rows
        guard !rows.isEmpty else { return }
        events.rows.removeAll(keepingCapacity: true)
        var start = 0
        while rows.count - start >= Self.eventsPerInsert {
            try insert(rows[start..<start + Self.eventsPerInsert], Self.insertEvents)
            start += Self.eventsPerInsert
        }
        while start < rows.count {
            try insert(rows[start..<start + 1], Self.insertEvent)
            start += 1
        }
    }

    /// Runs `sql`, an INSERT of `rows.count` events, with their values bound as they are
    /// (a row of existential values per event cost more to build, copy and bind than SQLite's
    /// insert of it).
    private func insert(_ rows: ArraySlice<EventRow>, _ sql: String) throws {
        try db.run(statement: statements.statement(sql, in: db), count: Int32(rows.count) * EventRow.columns,
                   texts: statements.texts) { statement, texts in
            var index: Int32 = 1
            for row in rows {
                let code = row.bind(to: statement, at: index, texts: &texts)
                guard code == SQLITE_OK else { return (code, index) }
                index += EventRow.columns
            }
            return (SQLITE_OK, index)
        }
    }

    private static let eventsPerInsert = 64
    private static let insertEvent = """
        INSERT INTO events(type, occurred_on, request_id, customer_no, plan_no, proposal_no, policy_no, payload, run_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    /// `OR FAIL`: a multi-row INSERT that may abort on a constraint makes SQLite keep a
    /// statement journal, a copy of every existing page the statement touches (the table's
    /// last leaf, the `events_day_type` leaves of each type), so that it can undo just its own
    /// rows; past 64 KiB it spills to a temporary file. FAIL keeps the rows before the failing
    /// one instead, and the journal is not needed: no statement of ours goes on after an error,
    /// the whole transaction rolls back. A 10k incremental run on the 1M home wrote 45,000
    /// pages to 76 temporary files for it; it now writes none.
    private static let insertEvents = """
        INSERT OR FAIL INTO events(type, occurred_on, request_id, customer_no, plan_no, proposal_no, policy_no, payload, run_id)
        VALUES \(Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?)", count: eventsPerInsert).joined(separator: ", "))
        """

    /// The payload as `StoreJSON` would encode it (`{"<kind>":<snapshot>}`), reusing the
    /// snapshot just written to the record's own row.
    func payloadJSON(_ payload: EventPayload) throws -> UTF8Text {
        switch payload {
        case .request(let r): Self.payload("request", try snapshot(r))
        case .customer(let c): Self.payload("customer", try snapshot(c))
        case .plan(let p): Self.payload("plan", try snapshot(p))
        case .proposal(let p): Self.payload("proposal", try snapshot(p))
        case .withdrawal(let w): Self.payload("withdrawal", try snapshot(w))
        }
    }

    /// `{"<kind>":<snapshot>}`.
    private static func payload(_ kind: StaticString, _ snapshot: UTF8Text) -> UTF8Text {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(kind.utf8CodeUnitCount + snapshot.bytes.count + 5)
        bytes.append(contentsOf: #"{""#.utf8)
        bytes.append(contentsOf: UnsafeBufferPointer(start: kind.utf8Start, count: kind.utf8CodeUnitCount))
        bytes.append(contentsOf: #"":"#.utf8)
        bytes.append(contentsOf: snapshot.bytes)
        bytes.append(UInt8(ascii: "}"))
        return UTF8Text(bytes)
    }

    /// Events after `seq`, oldest first, at most `limit`.
    public func events(after seq: Int64, limit: Int) throws -> [StoredEvent] {
        try rawEvents(after: seq, limit: limit).map { try $0.decoded() }
    }

    /// At most `limit` events after `seq` as stored, payloads not yet decoded (decoding may
    /// then happen outside the transaction, on any thread).
    public func rawEvents(after seq: Int64, limit: Int) throws -> [RawEvent] {
        try flushEvents()
        return try rows("""
            SELECT seq, type, occurred_on, request_id, customer_no, payload FROM events WHERE seq > ? ORDER BY seq LIMIT ?
            """, [seq, limit]) { row in
            let seq: Int64 = row[0]
            guard let type = row.eventType(1), let on = row.businessDate(2) else {
                throw StoreError.corrupt("event \(seq) has type \(row.string(1)) on \(row.string(2))")
            }
            return RawEvent(seq: seq, type: type, occurredOn: on, requestId: row.optional(3), customerNo: row.optional(4),
                            payload: row.utf8(5))
        }
    }

    /// Whether at least `count` events follow `seq` (an index probe; nothing is decoded).
    public func hasEvents(after seq: Int64, count: Int) throws -> Bool {
        try flushEvents()
        return try Int64.fetchOne(try db.cachedStatement(sql: """
            SELECT seq FROM events WHERE seq > ? ORDER BY seq LIMIT 1 OFFSET ?
            """), arguments: [seq, count - 1]) != nil
    }

    public func lastEventSeq() throws -> Int64 {
        try flushEvents()
        return try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM events") ?? 0
    }

    /// The consumers' checkpoints in the state store.
    static let offsets = CheckpointTable("consumer_offsets")

    /// A consumer's checkpoint: the last event it has fully applied.
    public func offset(of consumer: String) throws -> Int64 {
        try Self.offsets.offset(of: consumer, in: db)
    }

    /// Stops a consumer whose chunk was prepared from `seq` if its checkpoint has moved since.
    public func expectOffset(of consumer: String, at seq: Int64) throws {
        try Self.offsets.expect(consumer, at: seq, in: db)
    }

    public func setOffset(of consumer: String, to seq: Int64) throws {
        try Self.offsets.set(consumer, to: seq, in: db)
    }

    /// Next number of a kind (`plan`, `proposal`, ...), formatted as prefix + 8 digits.
    ///
    /// The counter is read once per kind and transaction and counted on in memory;
    /// `StateStore.write` stores the last value before it commits: one statement per kind and
    /// chunk instead of one per number (3.5 a request). A transaction that fails stores nothing.
    public func nextNumber(_ kind: String, prefix: String) throws -> String {
        let value: Int
        if let last = numbers.last[kind] {
            value = last + 1
        } else {
            value = (try Int.fetchOne(db.cachedStatement(sql: "SELECT value FROM counters WHERE name = ?"),
                                      arguments: [kind]) ?? 0) + 1
            numbers.kinds.append(kind)
        }
        numbers.last[kind] = value
        let digits = String(value)
        return prefix + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// Writes the numbers handed out in this transaction back to `counters`, kinds in the order
    /// of their first use (a new kind's row lands where it did when each number was an upsert).
    func storeNumbers() throws {
        for kind in numbers.kinds {
            try run("""
                INSERT INTO counters(name, value) VALUES (?, ?)
                ON CONFLICT(name) DO UPDATE SET value = excluded.value
                """, [kind, numbers.last[kind]!])
        }
        numbers.kinds.removeAll()
        numbers.last.removeAll()
    }
}

/// An event row as stored: its correlation columns and its payload still as JSON.
public struct RawEvent: Sendable {
    public var seq: Int64
    public var type: EventType
    public var occurredOn: BusinessDate
    public var requestId: String?
    public var customerNo: String?
    /// The payload's JSON as stored (UTF-8 bytes: decoded as they are, no `String` made of them).
    public var payload: [UInt8]

    public func decoded() throws -> StoredEvent {
        var event = DomainEvent(type, on: occurredOn, try JSONCodec.decode(EventPayload.self, fromUTF8: payload))
        if requestId != event.correlation.requestId { event.causeRequestId = requestId }
        return StoredEvent(seq: seq, event: event)
    }
}

/// The store found something it cannot read back.
public enum StoreError: Error, CustomStringConvertible {
    case corrupt(String)
    case notFound(String)
    public var description: String {
        switch self {
        case .corrupt(let m): "state store is inconsistent: \(m)"
        case .notFound(let m): "not found: \(m)"
        }
    }
}

/// The column values of one event row, in the order of the events INSERTs.
struct EventRow {
    var type: String
    var occurredOn: String
    var requestId: String?
    var customerNo: String?
    var planNo: String?
    var proposalNo: String?
    var policyNo: String?
    var payload: UTF8Text
    var runId: Int64?

    static let columns: Int32 = 9

    /// Binds the row to the parameters from `index` on; returns SQLite's first error code.
    func bind(to statement: SQLiteStatement, at index: Int32, texts: inout BoundTexts) -> Int32 {
        var code = type.bind(to: statement, at: index, texts: &texts)
        func then(_ value: some SQLBindable, _ offset: Int32) {
            if code == SQLITE_OK { code = value.bind(to: statement, at: index + offset, texts: &texts) }
        }
        then(occurredOn, 1)
        then(requestId, 2)
        then(customerNo, 3)
        then(planNo, 4)
        then(proposalNo, 5)
        then(policyNo, 6)
        then(payload, 7)
        then(runId, 8)
        return code
    }
}
