import ArgumentParser
import EzAdapters
import EzCore
import EzRunner
import Foundation

/// `ezinsurance health`: one line per check, for monitoring. Exits 0 when healthy and 69
/// (EX_UNAVAILABLE) when the last run of a job failed, a scheduled job has missed its slots,
/// or work has waited deferred past its bound.
struct HealthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Check the last runs, the schedules and deferred work; exit 69 when something needs attention.")

    @OptionGroup var common: CommonOptions
    @Option(help: "The current Seoul time as YYYY-MM-DDTHH:MM (default: the clock).") var now: String?
    @Option(name: .customLong("deferred-days"), help: "Deferred payments older than this many days are a problem.")
    var deferredDays = 2
    @Option(name: .customLong("missed-minutes"), help: "A schedule slot unhandled for longer than this is missed.")
    var missedMinutes = 30

    func run() throws {
        try withExitCodes {
            let env = try Environment(common)
            let store = try env.openStore()
            let minute = try now.map { text -> LocalMinute in
                guard let m = LocalMinute(text) else { throw ValidationError("--now: expected YYYY-MM-DDTHH:MM") }
                return m
            } ?? LocalMinute(Date())
            var problems: [String] = []
            for run in try store.read({ try $0.lastRunPerJob() }) {
                let line = "job \(run.job): last run \(run.runId) as of \(run.asOf) \(run.outcome)"
                if run.outcome == "FAILED" {
                    problems.append(line + (run.message.map { ": \($0)" } ?? ""))
                } else {
                    Swift.print("ok    " + line)
                }
            }
            for job in try JobDefinition.loadAll(from: env.home.jobs) {
                guard let text = job.schedule, let due = try CronExpression(text).latest(atOrBefore: minute) else { continue }
                let last = try store.read { try $0.lastSlot(job: job.name) }
                if (last ?? Int.min) < due.value && minute.value - due.value > missedMinutes {
                    problems.append("job \(job.name): slot \(due) not run for \(minute.value - due.value) minutes (is tick in cron?)")
                } else {
                    Swift.print("ok    job \(job.name): schedule \(text) up to date")
                }
            }
            let overdue = try store.read {
                try $0.overdueWork(before: env.asOf.adding(days: -deferredDays), refundsDueBefore: env.asOf)
            }
            if overdue.deferred > 0 {
                problems.append("\(overdue.deferred) proposal(s) PAYMENT_DEFERRED for more than \(deferredDays) days")
            }
            if overdue.refunds > 0 { problems.append("\(overdue.refunds) refund(s) past their due date") }
            if overdue.deferred == 0 && overdue.refunds == 0 { Swift.print("ok    no overdue deferred payments or refunds") }
            for p in problems { Swift.print("FAIL  " + p) }
            if !problems.isEmpty { throw ExitCode(69) }
        }
    }
}
