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
