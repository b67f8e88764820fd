import EzCore
import GRDB

/// Job schedules (last slot handled by `tick`) and run leases (who may commit for a job).
extension StoreTransaction {
    /// The last schedule slot handled for `job` (minutes since 1970-01-01 00:00 KST).
    public func lastSlot(job: String) throws -> Int? {
        try Int.fetchOne(try db.cachedStatement(sql: "SELECT last_slot FROM job_schedule WHERE job = ?"), arguments: [job])
    }

    public func scheduleState(job: String) throws -> (slot: String, outcome: String)? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT last_slot_text, last_outcome FROM job_schedule WHERE job = ?"), arguments: [job])
            .map { ($0["last_slot_text"], $0["last_outcome"]) }
    }

    public func setLastSlot(job: String, slot: Int, text: String, outcome: String) throws {
        try run("""
            INSERT INTO job_schedule(job, last_slot, last_slot_text, last_outcome) VALUES (?, ?, ?, ?)
            ON CONFLICT(job) DO UPDATE SET last_slot = excluded.last_slot, last_slot_text = excluded.last_slot_text,
                last_outcome = excluded.last_outcome
            """, [job, slot, text, outcome])
    }

    /// Makes `runId` the holder of `job`'s lease, taking it over from any earlier run.
    public func takeLease(job: String, runId: Int64, pid: Int, host: String, startedAt: String) throws {
        try run("""
            INSERT INTO job_leases(job, run_id, owner_pid, host, started_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(job) DO UPDATE SET run_id = excluded.run_id, owner_pid = excluded.owner_pid,
                host = excluded.host, started_at = excluded.started_at
            """, [job, runId, pid, host, startedAt])
    }

    /// Fences a commit: throws unless `runId` still holds `job`'s lease.
    public func checkLease(job: String, runId: Int64) throws {
        let holder = try Int64.fetchOne(try db.cachedStatement(sql: "SELECT run_id FROM job_leases WHERE job = ?"), arguments: [job])
        guard holder == runId else {
            throw LeaseLost(job: job, runId: runId, holder: holder)
        }
    }

    public func releaseLease(job: String, runId: Int64) throws {
        try run("DELETE FROM job_leases WHERE job = ? AND run_id = ?", [job, runId])
    }
}

/// Another run took over the job's lease: this run must stop committing.
public struct LeaseLost: Error, CustomStringConvertible {
    public let job: String
    public let runId: Int64
    public let holder: Int64?
    public var description: String {
        "run \(runId) of job \(job) lost its lease (now held by \(holder.map { "run \($0)" } ?? "nobody")); stopping without committing"
    }
}
