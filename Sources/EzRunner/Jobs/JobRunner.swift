import EzAdapters
import EzCore
import Foundation
import Logging

/// The outcome of one job run, as printed and recorded in `history`.
public struct RunSummary: Codable, Sendable {
    public var runId: Int64
    public var job: String
    public var asOf: String
    public var outcome: String
    public var stages: [StageCounts]
    public var message: String?

    enum CodingKeys: String, CodingKey { case runId = "run_id", job, asOf = "as_of", outcome, stages, message }

    public var deferred: Int { stages.reduce(0) { $0 + $1.deferred } }
}

/// Runs jobs: takes the job's lock, records the run, runs its stages in order, and records
/// the outcome. A run with deferred work still succeeds (exit 0) and says so.
public struct JobRunner {
    public let home: Home
    public let store: StateStore
    public let logger: Logger
    public let gatewayFactory: () throws -> any PaymentGateway
    /// Hide progress reports (`--quiet`).
    public var quiet = false

    public init(home: Home, store: StateStore, logger: Logger,
                gatewayFactory: @escaping () throws -> any PaymentGateway) {
        self.home = home
        self.store = store
        self.logger = logger
        self.gatewayFactory = gatewayFactory
    }

    public func run(_ job: JobDefinition, asOf: BusinessDate) throws -> RunSummary {
        let host = ProcessInfo.processInfo.hostName
        let pid = Int(getpid())
        let started = Self.timestamp()
        let lock = try JobLock(path: home.locks.appendingPathComponent("\(job.name).lock").path,
                               holder: "pid \(pid) on \(host), job \(job.name), started \(started)")
        defer { withExtendedLifetime(lock) {} }
        let runId = try store.write { tx -> Int64 in
            // We hold the OS lock, so any run still marked RUNNING died without finishing.
            for stale in try tx.runningRuns(job: job.name) {
                try tx.finishRun(stale.runId, outcome: "FAILED", finishedAt: started, summary: stale.summary,
                                 message: "process \(stale.pid) on \(stale.host) died before finishing; lock taken over")
            }
            let runId = try tx.startRun(job: job.name, asOf: asOf, startedAt: started, pid: pid, host: host)
            try tx.takeLease(job: job.name, runId: runId, pid: pid, host: host, startedAt: started)
            return runId
        }
        var summary = RunSummary(runId: runId, job: job.name, asOf: asOf.description, outcome: "RUNNING", stages: [])
        logger.info("run \(runId): job \(job.name) as of \(asOf) in \(home.root.path)")
        do {
            let ctx = RunContext(home: home, store: store, asOf: asOf, runId: runId, chunkSize: job.chunkSize ?? 500,
                                 logger: logger, gateway: try gatewayFactory(), leaseJob: job.name)
            ctx.progress = ProgressReporter(logger: logger, quiet: quiet)
            // An invalid catalog stops the run before any stage touches anything (exit 65).
            let pricing: Set<String> = [StageName.requests, StageName.payments, StageName.withdrawals, StageName.documents]
            if job.stages.contains(where: pricing.contains) { _ = try ctx.catalog() }
            if job.stages.contains(StageName.alarms) { _ = try ctx.composer() }
            // Views and alarms follow the log on the second core while earlier stages run.
            let follower = ConsumerFollower.start(stages: job.stages, ctx)
            defer { follower?.stop() }
            for stage in job.stages {
                let consumer = ConsumerFollower.consumer(of: stage)
                let followed = consumer == nil ? nil : try follower?.release(stage)
                var counts = try Self.runStage(stage, ctx)
                if let consumer, let followed, followed.scanned > 0 {
                    type(of: consumer).count(followed, into: &counts)
                    counts.notes.append("\(followed.scanned) events applied while earlier stages ran")
                }
                logger.info("\(counts.line)")
                summary.stages.append(counts)
            }
            summary.outcome = summary.deferred > 0 ? "DEFERRED" : "SUCCEEDED"
            if summary.deferred > 0 {
                summary.message = "\(summary.deferred) item(s) deferred: payment gateway unavailable; a later run retries them"
            }
        } catch {
            summary.outcome = "FAILED"
            summary.message = "\(error)"
            try? record(summary)
            throw error
        }
        try record(summary)
        return summary
    }

    private func record(_ summary: RunSummary) throws {
        let json = try StoreJSON.encode(summary.stages)
        try store.write {
            try $0.finishRun(summary.runId, outcome: summary.outcome, finishedAt: Self.timestamp(), summary: json,
                             message: summary.message)
            try $0.releaseLease(job: summary.job, runId: summary.runId)
        }
    }

    /// Runs one stage under its own OS lock, so two jobs that share a stage (intake and
    /// retry-payments both settle payments) never work on the same records at once; a stage
    /// busy in another job is skipped with a note and picked up by the next run.
    static func runStage(_ name: String, _ ctx: RunContext) throws -> StageCounts {
        let lock: JobLock
        do {
            lock = try JobLock(path: stageLockPath(name, home: ctx.home),
                               holder: "pid \(getpid()) run \(ctx.runId) stage \(name)")
        } catch RunnerError.locked(let holder) {
            var counts = StageCounts(stage: name)
            counts.notes.append("skipped: stage busy in another run (\(holder))")
            return counts
        }
        let started = Date()
        var counts = try withExtendedLifetime(lock) { try dispatch(name, ctx) }
        counts.durationMs = Int(Date().timeIntervalSince(started) * 1000)
        return counts
    }

    /// The OS lock a stage runs under (`locks/stage-<name>.lock`), in any job or command.
    public static func stageLockPath(_ stage: String, home: Home) -> String {
        home.locks.appendingPathComponent("stage-\(stage).lock").path
    }

    private static func dispatch(_ name: String, _ ctx: RunContext) throws -> StageCounts {
        switch name {
        case StageName.ingest: try IngestStage().run(ctx)
        case StageName.requests: try RequestStage().run(ctx)
        case StageName.expire: try ExpiryStage().run(ctx)
        case StageName.payments: try PaymentStage().run(ctx)
        case StageName.withdrawals: try WithdrawalStage().run(ctx)
        case StageName.documents: try DocumentStage().run(ctx)
        case StageName.views: try ViewConsumer.forStage().run(ctx)
        case StageName.alarms: try AlarmConsumer().run(ctx)
        case StageName.reconcile: try ReconcileStage().runNightly(ctx)
        default: throw RunnerError.invalidInput("unknown stage \(name)")
        }
    }

    /// Wall-clock time of the run itself (never used as a business date).
    static func timestamp() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }
}
