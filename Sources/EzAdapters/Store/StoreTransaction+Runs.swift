import EzCore
import GRDB

/// One job run as `history` shows it.
public struct JobRunRecord: Hashable, Sendable, Codable {
    public var runId: Int64
    public var job: String
    public var asOf: String
    public var startedAt: String
    public var finishedAt: String?
    public var outcome: String
    public var pid: Int
    public var host: String
    public var summary: String?
    public var message: String?

    enum CodingKeys: String, CodingKey {
        case runId = "run_id", job, asOf = "as_of", startedAt = "started_at", finishedAt = "finished_at"
        case outcome, pid, host, summary, message
    }
}

extension StoreTransaction {
    public func startRun(job: String, asOf: BusinessDate, startedAt: String, pid: Int, host: String) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO job_runs(job, as_of, started_at, outcome, pid, host) VALUES (?, ?, ?, 'RUNNING', ?, ?)
            """, arguments: [job, asOf.description, startedAt, pid, host])
        return db.lastInsertedRowID
    }

    public func finishRun(_ runId: Int64, outcome: String, finishedAt: String, summary: String?, message: String?) throws {
        try db.execute(sql: """
            UPDATE job_runs SET outcome = ?, finished_at = ?, summary = ?, message = ? WHERE run_id = ?
            """, arguments: [outcome, finishedAt, summary, message, runId])
    }

    /// Runs of `job` still marked running (their process died, or holds the lock now).
    public func runningRuns(job: String) throws -> [JobRunRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM job_runs WHERE job = ? AND outcome = 'RUNNING'", arguments: [job])
            .map(JobRunRecord.init(row:))
    }

    public func recentRuns(limit: Int, job: String?) throws -> [JobRunRecord] {
        if let job {
            return try Row.fetchAll(db, sql: "SELECT * FROM job_runs WHERE job = ? ORDER BY run_id DESC LIMIT ?",
                                    arguments: [job, limit]).map(JobRunRecord.init(row:))
        }
        return try Row.fetchAll(db, sql: "SELECT * FROM job_runs ORDER BY run_id DESC LIMIT ?", arguments: [limit])
            .map(JobRunRecord.init(row:))
    }
}

extension JobRunRecord {
    init(row: Row) {
        self.init(runId: row["run_id"], job: row["job"], asOf: row["as_of"], startedAt: row["started_at"],
                  finishedAt: row["finished_at"], outcome: row["outcome"], pid: row["pid"], host: row["host"],
                  summary: row["summary"], message: row["message"])
    }
}
