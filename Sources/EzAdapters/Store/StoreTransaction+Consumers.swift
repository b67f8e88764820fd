import EzCore
import GRDB

/// Tables owned by the event consumers: status views and the alarm outbox.
extension StoreTransaction {
    /// The stored JSON of a customer view.
    public func customerViewDoc(_ no: String) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT doc FROM view_customers WHERE customer_no = ?"), arguments: [no])
    }

    /// The stored JSON of a request view.
    public func requestViewDoc(_ id: String) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT doc FROM view_requests WHERE request_id = ?"), arguments: [id])
    }

    public func customerView(_ no: String) throws -> CustomerView? {
        try json(CustomerView.self, "SELECT doc FROM view_customers WHERE customer_no = ?", [no])
    }

    /// Stores a customer view already encoded (as its file, `ViewJSON`) and marks it for publishing.
    public func saveCustomerView(_ no: String, doc: String) throws {
        try db.cachedStatement(sql: """
            INSERT INTO view_customers(customer_no, doc, dirty) VALUES (?, ?, 1)
            ON CONFLICT(customer_no) DO UPDATE SET doc = excluded.doc, dirty = 1
            """).execute(arguments: [no, doc])
    }

    /// Customer views changed since they were last published, as stored, in number order.
    public func dirtyCustomerViewDocs(limit: Int) throws -> [(customerNo: String, doc: String)] {
        try rows("""
            SELECT customer_no, doc FROM view_customers WHERE dirty = 1 ORDER BY customer_no LIMIT ?
            """, [limit]) { ($0[0], $0[1]) }
    }

    public func markViewsClean(_ numbers: [String]) throws {
        for no in numbers {
            try db.cachedStatement(sql: "UPDATE view_customers SET dirty = 0 WHERE customer_no = ?").execute(arguments: [no])
        }
    }

    public func requestView(_ id: String) throws -> RequestView? {
        try json(RequestView.self, "SELECT doc FROM view_requests WHERE request_id = ?", [id])
    }

    /// Stores a request view already encoded (`StoreJSON`).
    public func saveRequestView(_ id: String, doc: String) throws {
        try db.cachedStatement(sql: """
            INSERT INTO view_requests(request_id, doc) VALUES (?, ?)
            ON CONFLICT(request_id) DO UPDATE SET doc = excluded.doc
            """).execute(arguments: [id, doc])
    }

    /// Customer view holding a proposal (for `status --proposal`): two primary-key lookups,
    /// not a scan of the event log.
    public func customerView(holdingProposal no: String) throws -> CustomerView? {
        try json(CustomerView.self, """
            SELECT doc FROM view_customers WHERE customer_no =
              (SELECT customer_no FROM proposals WHERE proposal_no = ?)
            """, [no])
    }

    public func apply(_ deltas: [StatusProjector.CountDelta]) throws {
        for d in deltas {
            try db.cachedStatement(sql: """
                INSERT INTO view_counts(entity, status, count) VALUES (?, ?, ?)
                ON CONFLICT(entity, status) DO UPDATE SET count = count + excluded.count
                """).execute(arguments: [d.entity, d.status, d.delta])
        }
    }

    public func viewCounts() throws -> [String: [String: Int]] {
        var out: [String: [String: Int]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT entity, status, count FROM view_counts WHERE count <> 0") {
            out[row["entity"], default: [:]][row["status"]] = row["count"]
        }
        return out
    }

    /// Drops every status view so the consumer rebuilds them from the first event.
    public func resetViews(consumer: String) throws {
        try db.execute(sql: "DELETE FROM view_customers; DELETE FROM view_requests; DELETE FROM view_counts;")
        try setOffset(of: consumer, to: 0)
    }

    public func recipient(_ no: String) throws -> AlarmRecipient? {
        try json(AlarmRecipient.self, "SELECT data FROM alarm_recipients WHERE customer_no = ?", [no])
    }

    public func save(_ recipient: AlarmRecipient) throws {
        try db.cachedStatement(sql: """
            INSERT INTO alarm_recipients(customer_no, data) VALUES (?, ?)
            ON CONFLICT(customer_no) DO UPDATE SET data = excluded.data
            """).execute(arguments: [recipient.customerNo, try StoreJSON.encode(recipient)])
    }

    /// Opens a new outbox batch; its file name is fixed now so a republish rewrites the same file.
    public func newAlarmBatch(firstSeq: Int64, lastSeq: Int64) throws -> (batchNo: Int64, fileName: String) {
        let next = (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(batch_no), 0) + 1 FROM alarm_batches")) ?? 1
        let digits = String(next)
        let name = "alarms-" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits + ".jsonl"
        try db.cachedStatement(sql: """
            INSERT INTO alarm_batches(batch_no, file_name, first_seq, last_seq, count) VALUES (?, ?, ?, ?, 0)
            """).execute(arguments: [next, name, firstSeq, lastSeq])
        return (next, name)
    }

    /// Closes a batch with its messages (the file's lines, in event order); an empty batch is
    /// dropped (no file is written). The file's bytes are kept with the batch until it is
    /// published, so a crash in between rewrites the same bytes.
    /// Returns the file's bytes as kept (nil for an empty batch).
    @discardableResult
    public func closeAlarmBatch(_ batchNo: Int64, lines: [String]) throws -> String? {
        if lines.isEmpty {
            try db.cachedStatement(sql: "DELETE FROM alarm_batches WHERE batch_no = ?").execute(arguments: [batchNo])
            return nil
        }
        let content = lines.joined(separator: "\n") + "\n"
        try db.cachedStatement(sql: "UPDATE alarm_batches SET count = ?, content = ? WHERE batch_no = ?")
            .execute(arguments: [lines.count, content, batchNo])
        return content
    }

    public func unpublishedAlarmBatches() throws -> [(batchNo: Int64, fileName: String)] {
        try Row.fetchAll(db, sql: "SELECT batch_no, file_name FROM alarm_batches WHERE published = 0 ORDER BY batch_no")
            .map { ($0["batch_no"], $0["file_name"]) }
    }

    /// The bytes of a batch's file. A batch closed by a version before v7 has its lines in
    /// `alarm_outbox`, one row per message.
    public func alarmBatchContent(batchNo: Int64) throws -> String {
        if let content = try String.fetchOne(try db.cachedStatement(sql: "SELECT content FROM alarm_batches WHERE batch_no = ?"),
                                             arguments: [batchNo]) {
            return content
        }
        let lines = try String.fetchAll(try db.cachedStatement(sql: "SELECT line FROM alarm_outbox WHERE batch_no = ? ORDER BY event_seq"),
                                        arguments: [batchNo])
        guard !lines.isEmpty else { throw StoreError.corrupt("alarm batch \(batchNo) has no messages") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Marks a batch published; its bytes now live in its file only.
    public func markAlarmBatchPublished(_ batchNo: Int64) throws {
        try db.cachedStatement(sql: "UPDATE alarm_batches SET published = 1, content = NULL WHERE batch_no = ?").execute(arguments: [batchNo])
    }
}
