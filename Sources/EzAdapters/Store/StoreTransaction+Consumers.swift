import EzCore
import GRDB

/// Tables owned by the alarms consumer: recipients and the outbox (the status views have their
/// own database, `ViewStore`).
extension StoreTransaction {
    public func recipient(_ no: String) throws -> AlarmRecipient? {
        try json(AlarmRecipient.self, "SELECT data FROM alarm_recipients WHERE customer_no = ?", [no])
    }

    public func save(_ recipient: AlarmRecipient) throws {
        try run("""
            INSERT INTO alarm_recipients(customer_no, data) VALUES (?, ?)
            ON CONFLICT(customer_no) DO UPDATE SET data = excluded.data
            """, [recipient.customerNo, try StoreJSON.encode(recipient)])
    }

    /// Opens a new outbox batch; its file name is fixed now so a republish rewrites the same file.
    public func newAlarmBatch(firstSeq: Int64, lastSeq: Int64) throws -> (batchNo: Int64, fileName: String) {
        let next = (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(batch_no), 0) + 1 FROM alarm_batches")) ?? 1
        let digits = String(next)
        let name = "alarms-" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits + ".jsonl"
        try run("""
            INSERT INTO alarm_batches(batch_no, file_name, first_seq, last_seq, count) VALUES (?, ?, ?, ?, 0)
            """, [next, name, firstSeq, lastSeq])
        return (next, name)
    }

    /// Closes a batch with its messages (the file's lines, in event order); an empty batch is
    /// dropped (no file is written). The file's bytes are kept with the batch until it is
    /// published, so a crash in between rewrites the same bytes.
    /// Returns the file's bytes as kept (nil for an empty batch).
    @discardableResult
    public func closeAlarmBatch(_ batchNo: Int64, lines: [String]) throws -> String? {
        if lines.isEmpty {
            try run("DELETE FROM alarm_batches WHERE batch_no = ?", [batchNo])
            return nil
        }
        let content = lines.joined(separator: "\n") + "\n"
        try run("UPDATE alarm_batches SET count = ?, content = ? WHERE batch_no = ?", [lines.count, content, batchNo])
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
        try run("UPDATE alarm_batches SET published = 1, content = NULL WHERE batch_no = ?", [batchNo])
    }
}
