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

    /// The number the next outbox batch will get, and its file name (fixed, so a republish
    /// rewrites the same file): known before the batch commits, for its file is written first.
    public func nextAlarmBatch() throws -> (batchNo: Int64, fileName: String) {
        let next = (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(batch_no), 0) + 1 FROM alarm_batches")) ?? 1
        return (next, Self.alarmBatchFileName(next))
    }

    /// `alarms-00000042.jsonl`.
    public static func alarmBatchFileName(_ batchNo: Int64) -> String {
        let digits = String(batchNo)
        return "alarms-" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits + ".jsonl"
    }

    /// Opens a new outbox batch of the events `firstSeq...lastSeq`.
    public func newAlarmBatch(firstSeq: Int64, lastSeq: Int64) throws -> (batchNo: Int64, fileName: String) {
        let next = try nextAlarmBatch()
        try run("""
            INSERT INTO alarm_batches(batch_no, file_name, first_seq, last_seq, count) VALUES (?, ?, ?, ?, 0)
            """, [next.batchNo, next.fileName, firstSeq, lastSeq])
        return next
    }

    /// Closes a batch with the count and SHA-256 of its file's bytes (written under the file's
    /// temporary name before this commits; the bytes are not kept here). An empty batch is
    /// dropped: no file.
    public func closeAlarmBatch(_ batchNo: Int64, count: Int, sha256: String) throws {
        if count == 0 {
            try run("DELETE FROM alarm_batches WHERE batch_no = ?", [batchNo])
            return
        }
        try run("UPDATE alarm_batches SET count = ?, content_sha256 = ? WHERE batch_no = ?", [count, sha256, batchNo])
    }

    public func unpublishedAlarmBatches() throws -> [UnpublishedAlarmBatch] {
        try Row.fetchAll(db, sql: """
            SELECT batch_no, file_name, first_seq, last_seq, content_sha256 FROM alarm_batches
            WHERE published = 0 ORDER BY batch_no
            """).map {
            UnpublishedAlarmBatch(batchNo: $0["batch_no"], fileName: $0["file_name"], firstSeq: $0["first_seq"],
                                  lastSeq: $0["last_seq"], sha256: $0["content_sha256"])
        }
    }

    /// The bytes of a batch's file as kept in the store: by a version before v15 (in the
    /// batch's row) or before v7 (one `alarm_outbox` row per message). Nil for a batch closed
    /// since, whose bytes are in its temporary file only.
    public func storedAlarmBatchContent(batchNo: Int64) throws -> String? {
        if let content = try String.fetchOne(try db.cachedStatement(sql: "SELECT content FROM alarm_batches WHERE batch_no = ?"),
                                             arguments: [batchNo]) {
            return content
        }
        let lines = try String.fetchAll(try db.cachedStatement(sql: "SELECT line FROM alarm_outbox WHERE batch_no = ? ORDER BY event_seq"),
                                        arguments: [batchNo])
        return lines.isEmpty ? nil : lines.joined(separator: "\n") + "\n"
    }

    /// Marks a batch published; its bytes now live in its file only.
    public func markAlarmBatchPublished(_ batchNo: Int64) throws {
        try run("UPDATE alarm_batches SET published = 1, content = NULL WHERE batch_no = ?", [batchNo])
    }
}

/// An outbox batch committed and not yet published as its file.
public struct UnpublishedAlarmBatch: Sendable {
    public var batchNo: Int64
    public var fileName: String
    public var firstSeq: Int64
    public var lastSeq: Int64
    /// SHA-256 of the file's bytes; nil for a batch closed before v15 (its bytes are stored).
    public var sha256: String?
}
