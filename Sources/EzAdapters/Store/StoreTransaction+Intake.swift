import EzCore
import GRDB

/// A dropped file as the store tracks it from claim to archive.
public struct InboxFileRecord: Hashable, Sendable {
    public var fileId: Int64
    public var name: String
    public var sha256: String
    public var status: String
    public var workPath: String
    public var linesDone: Int
    public var accepted: Int
    public var duplicates: Int
    public var rejected: Int
    public var receivedOn: BusinessDate
}

/// A request accepted at intake and not yet processed.
public struct PendingRequest: Sendable {
    public var seq: Int64
    public var request: Request
    public var fileName: String
    public var line: Int
}

extension StoreTransaction {
    public func claimFile(name: String, sha256: String, size: Int64, runId: Int64, receivedOn: BusinessDate,
                          workPath: String) throws -> Int64 {
        try run("""
            INSERT INTO inbox_files(name, sha256, size, run_id, received_on, status, work_path)
            VALUES (?, ?, ?, ?, ?, 'CLAIMED', ?)
            """, [name, sha256, size, runId, receivedOn.description, workPath])
        return db.lastInsertedRowID
    }

    /// An earlier file with the same bytes that was read (not an unreadable one).
    public func ingestedFile(sha256: String) throws -> InboxFileRecord? {
        try Row.fetchOne(try db.cachedStatement(sql: """
            SELECT * FROM inbox_files WHERE sha256 = ? AND status IN ('CLAIMED','DONE') ORDER BY file_id LIMIT 1
            """), arguments: [sha256]).map(InboxFileRecord.init(row:))
    }

    public func recordDuplicateFile(name: String, sha256: String, duplicateOf: Int64, runId: Int64,
                                    receivedOn: BusinessDate) throws -> Int64 {
        try run("""
            INSERT INTO inbox_duplicate_files(name, sha256, duplicate_of, run_id, received_on) VALUES (?, ?, ?, ?, ?)
            """, [name, sha256, duplicateOf, runId, receivedOn.description])
        return db.lastInsertedRowID
    }

    public func setWorkPath(of id: Int64, to path: String) throws {
        try run("UPDATE inbox_files SET work_path = ? WHERE file_id = ?", [path, id])
    }

    /// Files claimed by a run that did not finish them (resumed from `linesDone`).
    public func claimedFiles() throws -> [InboxFileRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM inbox_files WHERE status = 'CLAIMED' ORDER BY file_id")
            .map(InboxFileRecord.init(row:))
    }

    public func inboxFile(_ id: Int64) throws -> InboxFileRecord? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM inbox_files WHERE file_id = ?"), arguments: [id])
            .map(InboxFileRecord.init(row:))
    }

    /// The content hash an accepted request id was first seen with.
    public func requestHash(_ requestId: String) throws -> String? {
        try firstRow("SELECT content_hash FROM requests WHERE request_id = ?", [requestId]) { $0[0] as String }
    }

    public func acceptRequest(_ request: Request, hash: String, body: UTF8Text, fileId: Int64, line: Int,
                              receivedOn: BusinessDate) throws {
        try run("""
            INSERT INTO requests(request_id, type, content_hash, body, file_id, line, received_on, state)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING')
            """, [request.requestId, request.type.rawValue, hash, body, fileId, line, receivedOn.description])
    }

    public func rejectLine(fileId: Int64, line: Int, requestId: String?, errors: [FieldError]) throws {
        try run("INSERT INTO intake_rejections(file_id, line, request_id, errors) VALUES (?, ?, ?, ?)", [fileId, line, requestId, try StoreJSON.encode(errors)])
    }

    /// Moves a file's progress mark; done in the transaction that stored the lines.
    public func advanceFile(_ id: Int64, linesDone: Int, accepted: Int, duplicates: Int, rejected: Int) throws {
        try run("""
            UPDATE inbox_files SET lines_done = ?, accepted = accepted + ?, duplicates = duplicates + ?,
                rejected = rejected + ? WHERE file_id = ?
            """, [linesDone, accepted, duplicates, rejected, id])
    }

    public func finishFile(_ id: Int64, status: String, finalPath: String?, error: String?) throws {
        try run("UPDATE inbox_files SET status = ?, final_path = ?, error = ? WHERE file_id = ?", [status, finalPath, error, id])
    }

    /// Calls `body` with each rejected line of a file, in line order, for its `.rejects.jsonl`
    /// sidecar: a row at a time (a file of a million lines may have tens of thousands).
    public func forEachRejection(fileId: Int64,
                                 _ body: (_ line: Int, _ requestId: String?, _ errors: [FieldError]) throws -> Void) throws {
        let rows = try ColumnCursor(statements.statement(
            "SELECT line, request_id, errors FROM intake_rejections WHERE file_id = ? ORDER BY line", in: db), arguments: [fileId])
        while let row = try rows.next() {
            try body(row[0], row.optional(1), try row.json([FieldError].self, 2))
        }
    }

    /// Files marked done, with where they were read from and where they go.
    public func archivedFiles() throws -> [(fileId: Int64, workPath: String, finalPath: String)] {
        try Row.fetchAll(db, sql: """
            SELECT file_id, work_path, final_path FROM inbox_files WHERE status = 'DONE' AND final_path IS NOT NULL
            """).map { ($0["file_id"], $0["work_path"], $0["final_path"]) }
    }

    /// Accepted requests not yet processed.
    public func pendingRequestCount() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM requests WHERE state = 'PENDING'") ?? 0
    }

    public func pendingRequests(limit: Int) throws -> [PendingRequest] {
        try rows("""
            SELECT r.seq, r.body, r.line, f.name FROM requests r JOIN inbox_files f USING (file_id)
            WHERE r.state = 'PENDING' ORDER BY r.seq LIMIT ?
            """, [limit]) {
            PendingRequest(seq: $0[0], request: try $0.json(Request.self, 1),
                           fileName: $0[3], line: $0[2])
        }
    }

    /// Records the outcome (its JSON then reused by the outcome's event, appended next).
    public func finishRequest(seq: Int64, failed: Bool, outcome: RequestOutcome) throws {
        try run("UPDATE requests SET state = ?, outcome = ? WHERE seq = ?", [failed ? "FAILED" : "PROCESSED", try snapshot(outcome), seq])
    }
}

extension InboxFileRecord {
    init(row: Row) {
        self.init(fileId: row["file_id"], name: row["name"], sha256: row["sha256"], status: row["status"],
                  workPath: row["work_path"], linesDone: row["lines_done"], accepted: row["accepted"],
                  duplicates: row["duplicates"], rejected: row["rejected"],
                  receivedOn: BusinessDate(row["received_on"] as String)!)
    }
}

extension StoreTransaction {
    /// Every dropped file with its line counts, newest first (for `status --files`).
    public func inboxFiles(limit: Int) throws -> [InboxFileRecord] {
        try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM inbox_files ORDER BY file_id DESC LIMIT ?"), arguments: [limit])
            .map(InboxFileRecord.init(row:))
    }

    /// Files set aside as byte-for-byte duplicates of earlier ones.
    public func duplicateFiles(limit: Int) throws -> [(name: String, duplicateOf: Int64, receivedOn: String)] {
        try Row.fetchAll(try db.cachedStatement(sql: "SELECT name, duplicate_of, received_on FROM inbox_duplicate_files ORDER BY id DESC LIMIT ?"), arguments: [limit]).map { ($0["name"], $0["duplicate_of"], $0["received_on"]) }
    }
}
