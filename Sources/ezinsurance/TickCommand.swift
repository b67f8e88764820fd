import ArgumentParser
import EzAdapters
import EzCore
import EzRunner
import Foundation

/// `ezinsurance tick`: for cron, every minute. Runs each job whose schedule is due, once per
/// slot, catching up missed slots by the job's policy; a job whose previous run is still in
/// progress is left to it (its lock) and tried again at the next tick.
struct TickCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tick",
        abstract: "Run every job whose schedule (Asia/Seoul) is due; meant for cron every minute.",
        discussion: "crontab: * * * * * cd /srv/ezinsurance && .build/release/ezinsurance tick --home /srv/ezinsurance/var >> /srv/ezinsurance/var/cron.log 2>&1")

    @OptionGroup var common: CommonOptions
    @Option(help: "The current Seoul time as YYYY-MM-DDTHH:MM (default: the clock).") var now: String?
    @Flag(name: .customLong("dry-run"), help: "Say what is due without running or recording anything.") var dryRun = false
    @OptionGroup var log: LogOptions

    func run() throws {
        log.bootstrap()
        try withExitCodes {
            let env = try Environment(common, log: log)
            let minute: LocalMinute
            if let now {
                guard let m = LocalMinute(now) else { throw ValidationError("--now: expected YYYY-MM-DDTHH:MM: \(now)") }
                minute = m
            } else {
                minute = LocalMinute(Date())
            }
            let store = try env.openStore()
            let jobs = try JobDefinition.loadAll(from: env.home.jobs)
            var runner = JobRunner(home: env.home, store: store, logger: env.logger) {
                try GatewayFactory.make(home: env.home)
            }
            runner.quiet = log.quiet
            var failure: (any Error)?
            for job in jobs where job.schedule != nil {
                let last = try store.read { try $0.lastSlot(job: job.name) }
                guard let decision = try TickPlanner.plan(job, lastSlot: last, now: minute) else { continue }
                if decision.runs.isEmpty {
                    Swift.print("\(job.name): \(decision.reason)")
                    if let skip = decision.skipTo, !dryRun {
                        try store.write { try $0.setLastSlot(job: job.name, slot: skip.value, text: skip.description, outcome: "SKIPPED") }
                    }
                    continue
                }
                Swift.print("\(job.name): \(decision.reason)")
                for (slot, slotAsOf) in decision.runs {
                    let asOf = common.asOf == nil ? slotAsOf : env.asOf
                    if dryRun {
                        Swift.print("  would run slot \(slot) as of \(asOf): stages \(job.stages.joined(separator: ", "))")
                        continue
                    }
                    do {
                        let summary = try runner.run(job, asOf: asOf)
                        try store.write { try $0.setLastSlot(job: job.name, slot: slot.value, text: slot.description, outcome: summary.outcome) }
                        Swift.print("  slot \(slot) as of \(asOf): run \(summary.runId) \(summary.outcome)")
                        for stage in summary.stages { Swift.print("    " + stage.line) }
                    } catch RunnerError.locked(let holder) {
                        Swift.print("  slot \(slot): still running elsewhere (\(holder)); will try at the next tick")
                        break
                    } catch {
                        // The run is recorded FAILED; the slot stays due so the next tick retries it.
                        Swift.print("  slot \(slot) as of \(asOf): FAILED: \(error)")
                        failure = failure ?? error
                        break
                    }
                }
            }
            if let failure { throw failure }
        }
    }
}
