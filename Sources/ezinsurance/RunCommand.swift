import ArgumentParser
import EzAdapters
import EzCore
import EzRunner
import Foundation

/// `ezinsurance run [JOB...]`: runs the named jobs now (all of them if none named).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the named jobs from <home>/jobs now (all of them if none is named).")

    @OptionGroup var common: CommonOptions
    @OptionGroup var log: LogOptions
    @Flag(name: .customLong("dry-run"), help: "Say what would run and which files would be picked up; change nothing.")
    var dryRun = false
    @Argument(help: "Job names (file names in <home>/jobs without .yaml).") var jobs: [String] = []

    func run() throws {
        log.bootstrap()
        try withExitCodes {
            let env = try Environment(common, log: log)
            let store = try env.openStore()
            if dryRun {
                try DryRun.print(jobs: jobs, env: env, store: store)
                return
            }
            let all = try JobDefinition.loadAll(from: env.home.jobs)
            let selected = try jobs.isEmpty ? all : jobs.map { name in
                guard let job = all.first(where: { $0.name == name }) else {
                    throw RunnerError.usage("no job named \(name) in \(env.home.jobs.path) (have: \(all.map(\.name).joined(separator: ", ")))")
                }
                return job
            }
            var runner = JobRunner(home: env.home, store: store, logger: env.logger) {
                try GatewayFactory.make(home: env.home)
            }
            runner.quiet = log.quiet
            for job in selected {
                let summary = try runner.run(job, asOf: env.asOf)
                SummaryPrinter.print(summary, home: env.home)
            }
        }
    }
}

/// `run --dry-run`: the jobs and stages that would run and the work they would find.
enum DryRun {
    static func print(jobs names: [String], env: Environment, store: StateStore) throws {
        let all = try JobDefinition.loadAll(from: env.home.jobs)
        let selected = names.isEmpty ? all : all.filter { names.contains($0.name) }
        for job in selected {
            Swift.print("would run job \(job.name) as of \(env.asOf): \(job.stages.joined(separator: " -> "))")
        }
        Swift.print("inbox \(env.home.inbox.path):")
        let entries = InboxScanner(inbox: env.home.inbox).scan(wait: false)
        if entries.isEmpty { Swift.print("  (nothing to pick up)") }
        for e in entries {
            switch e.verdict {
            case .ready(let size): Swift.print("  pick up  \(e.name) (\(size) bytes)")
            case .notSettled: Swift.print("  wait     \(e.name) (still being written)")
            case .refused(let why): Swift.print("  refuse   \(e.name): \(why)")
            }
        }
        let w = try store.read { try $0.pendingWork(on: env.asOf) }
        Swift.print("""
        waiting work:
          files claimed by an interrupted run  \(w.claimedFiles)
          accepted requests to process         \(w.pendingRequests)
          quoted plans to expire               \(w.plansToExpire)
          proposals to charge                  \(w.proposalsToCharge)
          withdrawals to decide or refund      \(w.openWithdrawals)
          documents to write                   \(w.unpublishedDocuments)
          events for the views consumer        \(w.eventsForViews)
          events for the alarms consumer       \(w.eventsForAlarms)
        """)
    }
}

/// Builds the payment gateway the runner uses, from `<home>/gateway.yaml` (default: the
/// sandbox with its own ledger under the home), behind a circuit breaker.
enum GatewayFactory {
    static func make(home: Home) throws -> any PaymentGateway {
        let start = Date()
        do {
            return try GatewayConfig.makeGateway(home: home.root) { Date().timeIntervalSince(start) }
        } catch let error as GatewayConfigError {
            throw RunnerError.invalidInput("\(error)")
        }
    }
}

/// The run summary on standard output: counts per stage and where the outputs are.
enum SummaryPrinter {
    static func print(_ s: RunSummary, home: Home) {
        Swift.print("run \(s.runId) job \(s.job) as of \(s.asOf): \(s.outcome)")
        for stage in s.stages { Swift.print("  " + stage.line) }
        if let ingest = s.stages.first(where: { $0.stage == StageName.ingest }), ingest.read > 0 {
            let sum = ingest.accepted + ingest.duplicate + ingest.rejected
            Swift.print("  lines: \(ingest.read) read = \(ingest.accepted) accepted + \(ingest.duplicate) duplicate + \(ingest.rejected) rejected" + (sum == ingest.read ? "" : "  (MISMATCH: \(sum))"))
        }
        if let message = s.message { Swift.print("  note: \(message)") }
        let root = home.root.path
        Swift.print("""
          outputs:
            views      \(root)/views/summary.json, \(root)/views/customers/
            alarms     \(root)/outbox/alarms/
            documents  \(root)/documents/
            rejects    \(root)/rejected/
            archive    \(root)/archive/
            state      \(root)/ezinsurance.sqlite  (ezinsurance status|history --home \(root))
        """)
    }
}
