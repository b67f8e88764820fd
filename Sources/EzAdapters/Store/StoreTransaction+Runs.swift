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
        try run("""
            INSERT INTO job_runs(job, as_of, started_at, outcome, pid, host) VALUES (?, ?, ?, 'RUNNING', ?, ?)
            """, [job, asOf.description, startedAt, pid, host])
        return db.lastInsertedRowID
    }

    public func finishRun(_ runId: Int64, outcome: String, finishedAt: String, summary: String?, message: String?) throws {
        try run("""
            UPDATE job_runs SET outcome = ?, finished_at = ?, summary = ?, message = ? WHERE run_id = ?
            """, [outcome, finishedAt, summary, message, runId])
    }

    /// Runs of `job` still marked running (their process died, or holds the lock now).
    public func runningRuns(job: String) throws -> [JobRunRecord] {
        try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM job_runs WHERE job = ? AND outcome = 'RUNNING'"), arguments: [job])
            .map(JobRunRecord.init(row:))
    }

    public func recentRuns(limit: Int, job: String?) throws -> [JobRunRecord] {
        if let job {
            return try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM job_runs WHERE job = ? ORDER BY run_id DESC LIMIT ?"), arguments: [job, limit]).map(JobRunRecord.init(row:))
        }
        return try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM job_runs ORDER BY run_id DESC LIMIT ?"), arguments: [limit])
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

/// Monitoring queries for `health`.
extension StoreTransaction {
    /// The latest finished or running run of each job.
    public func lastRunPerJob() throws -> [JobRunRecord] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM job_runs WHERE run_id IN (SELECT MAX(run_id) FROM job_runs GROUP BY job) ORDER BY job
            """).map(JobRunRecord.init(row:))
    }

    /// Proposals waiting as PAYMENT_DEFERRED since before `date`, and refunds still pending
    /// after their due date.
    public func overdueWork(before date: BusinessDate, refundsDueBefore: BusinessDate) throws -> (deferred: Int, refunds: Int) {
        // Each through a partial index of the few rows in question (migration v10 and
        // `withdrawals_open`): a scan of the proposals took 70 s at 1M on a cold cache.
        let deferred = try Int.fetchOne(try db.cachedStatement(sql: """
            SELECT COUNT(*) FROM proposals INDEXED BY proposals_deferred WHERE status = 'PAYMENT_DEFERRED'
              AND json_extract(data, '$.submitted_on') < ?
            """), arguments: [date.description]) ?? 0
        let refunds = try Int.fetchOne(try db.cachedStatement(sql: """
            SELECT COUNT(*) FROM withdrawals INDEXED BY withdrawals_open
            WHERE status IN ('REQUESTED','REFUND_PENDING') AND status = 'REFUND_PENDING'
              AND json_extract(data, '$.refund_due_on') < ?
            """), arguments: [refundsDueBefore.description]) ?? 0
        return (deferred, refunds)
    }

    /// Deletes the stage details of runs that started before `cutoff` (ISO 8601); the runs,
    /// requests and idempotency records stay.
    public func pruneRunDetails(startedBefore cutoff: String) throws -> Int {
        try run("""
            UPDATE job_runs SET summary = NULL WHERE started_at < ? AND summary IS NOT NULL AND outcome <> 'RUNNING'
            """, [cutoff])
        return db.changesCount
    }
}

/// What a run would find to do, for `--dry-run`.
public struct PendingWork: Sendable {
    public var claimedFiles: Int
    public var pendingRequests: Int
    public var plansToExpire: Int
    public var proposalsToCharge: Int
    public var openWithdrawals: Int
    public var unpublishedDocuments: Int
    public var eventsForViews: Int64
    public var eventsForAlarms: Int64
}

extension StoreTransaction {
    /// Counted in the index of the plans that can expire (`plans_expirable`: its condition
    /// word for word).
    static let plansToExpireSQL = "SELECT COUNT(*) FROM plans WHERE status = 'QUOTED' AND proposed = 0 AND expires_on < ?"

    /// The work waiting in the store on `date`; `viewsOffset` is the views database's checkpoint
    /// (the views keep theirs in their own file).
    public func pendingWork(on date: BusinessDate, viewsOffset: Int64) throws -> PendingWork {
        func count(_ sql: String, _ args: StatementArguments = []) throws -> Int {
            try Int.fetchOne(db, sql: sql, arguments: args) ?? 0
        }
        let last = try lastEventSeq()
        let payable = Self.payable
        return PendingWork(
            claimedFiles: try count("SELECT COUNT(*) FROM inbox_files WHERE status = 'CLAIMED'"),
            pendingRequests: try pendingRequestCount(),
            plansToExpire: try count(Self.plansToExpireSQL, [date.description]),
            // Two ranges of the payable index (by due date): an OR would walk all of it.
            proposalsToCharge: try count("""
                SELECT (SELECT COUNT(*) FROM proposals WHERE \(payable) AND next_attempt_on IS NULL)
                     + (SELECT COUNT(*) FROM proposals WHERE \(payable) AND next_attempt_on <= ?)
                """, [date.description]),
            openWithdrawals: try count("SELECT COUNT(*) FROM withdrawals WHERE status IN ('REQUESTED','REFUND_PENDING')"),
            unpublishedDocuments: try count("SELECT COUNT(*) FROM documents WHERE published = 0"),
            eventsForViews: last - viewsOffset,
            eventsForAlarms: last - (try offset(of: "alarms")))
    }
}
