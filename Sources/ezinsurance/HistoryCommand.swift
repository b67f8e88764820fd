import ArgumentParser
import EzAdapters
import EzCore
import EzRunner
import Foundation

/// `ezinsurance history`: recent job runs with their counts and outcome.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Recent job runs with counts and outcome.")

    @OptionGroup var common: CommonOptions
    @Option(help: "Only this job.") var job: String?
    @Option(help: "How many runs.") var limit = 20
    @Flag(help: "Print JSON lines.") var json = false
    @Option(help: "Retention: drop the per-stage details of runs older than this many days (runs, requests and idempotency records are kept).")
    var prune: Int?

    func run() throws {
        try withExitCodes {
            let env = try Environment(common)
            if let prune {
                guard prune >= 0 else { throw ValidationError("--prune: days must not be negative") }
                let f = ISO8601DateFormatter()
                f.formatOptions = [.withInternetDateTime]
                let cutoff = f.string(from: Date().addingTimeInterval(-Double(prune) * 86_400))
                let n = try env.openStore().write { try $0.pruneRunDetails(startedBefore: cutoff) }
                Swift.print("pruned the stage details of \(n) run(s) started before \(cutoff)")
                return
            }
            let runs = try env.openStore().read { try $0.recentRuns(limit: limit, job: job) }
            for r in runs {
                if json {
                    Swift.print(try StoreJSON.encode(r))
                    continue
                }
                Swift.print("run \(r.runId)  \(r.job)  as of \(r.asOf)  \(r.outcome)  started \(r.startedAt)  finished \(r.finishedAt ?? "-")  pid \(r.pid)@\(r.host)")
                if let text = r.summary, let stages = try? StoreJSON.decode([StageCounts].self, from: text) {
                    for s in stages { Swift.print("    " + s.line) }
                }
                if let m = r.message { Swift.print("    note: \(m)") }
            }
        }
    }
}
