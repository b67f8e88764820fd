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
    @Flag(name: .long, help: "Print debug logs.") var verbose = false
    @Argument(help: "Job names (file names in <home>/jobs without .yaml).") var jobs: [String] = []

    func run() throws {
        _ = LogSetup.once
        try withExitCodes {
            let env = try Environment(common, verbose: verbose)
            let store = try env.openStore()
            let all = try JobDefinition.loadAll(from: env.home.jobs)
            let selected = try jobs.isEmpty ? all : jobs.map { name in
                guard let job = all.first(where: { $0.name == name }) else {
                    throw RunnerError.usage("no job named \(name) in \(env.home.jobs.path) (have: \(all.map(\.name).joined(separator: ", ")))")
                }
                return job
            }
            let runner = JobRunner(home: env.home, store: store, logger: env.logger) {
                try GatewayFactory.make(home: env.home)
            }
            for job in selected {
                let summary = try runner.run(job, asOf: env.asOf)
                SummaryPrinter.print(summary, home: env.home)
            }
        }
    }
}

/// Builds the payment gateway the runner uses: the sandbox (its own ledger under the home)
/// behind a circuit breaker.
enum GatewayFactory {
    static func make(home: Home) throws -> any PaymentGateway {
        let sandbox = try SandboxGateway(home: home.root)
        let start = Date()
        return BreakerGateway(wrapping: sandbox, breaker: CircuitBreaker(failureThreshold: 3, coolDown: 30)) {
            Date().timeIntervalSince(start)
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
