import ArgumentParser
import EzAdapters
import EzCore
import EzRunner
import Foundation

/// `ezinsurance report reconcile --date D`: the reconciliation report of one business date.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Reports.", subcommands: [Reconcile.self])

    struct Reconcile: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reconcile one business date against the PG settlement statement; write reports/reconcile-DATE.{md,csv,html}.",
            discussion: """
                Matches our payments and refunds settled on the date to settlements/settlement-DATE.csv \
                (exported from the sandbox ledger, or downloaded from an HTTP PG, when missing), and adds \
                overdue refunds, ACTIVE policies without a settled charge, charges without a policy, totals \
                per product and the day's operations summary. Rerunning gives the same bytes. Exit 0 even \
                with discrepancies (they are the report's content); the summary line says how many.
                """)

        @OptionGroup var common: CommonOptions
        @Option(name: .long, help: "Business date to reconcile (YYYY-MM-DD; default: the day before --as-of).")
        var date: String?

        func run() throws {
            try withExitCodes {
                let env = try Environment(common)
                let day: BusinessDate
                if let date {
                    guard let d = BusinessDate(date) else { throw ValidationError("--date: not a date (YYYY-MM-DD): \(date)") }
                    day = d
                } else {
                    day = env.asOf.adding(days: -1)
                }
                let store = try env.openStore()
                let ctx = RunContext(home: env.home, store: store, asOf: env.asOf, runId: 0, chunkSize: 1000,
                                     logger: env.logger, gateway: NoGateway())
                // One reconciliation at a time in a home (the nightly job's stage takes the same
                // lock): its files are written through hidden files of fixed names.
                let lock = try JobLock(path: JobRunner.stageLockPath(ReconcileStage.stageName, home: env.home),
                                       holder: "pid \(getpid()) report reconcile --date \(day)")
                let (report, counts) = try withExtendedLifetime(lock) { try ReconcileStage().reconcile(ctx, date: day) }
                let urls = ReconcileStage.reportURLs(home: env.home, date: day)
                Swift.print("reconcile \(day): statement \(report.statement == .present ? "\(report.statementSource) (\(report.statementLines) lines)" : "MISSING")")
                Swift.print("  matched \(report.matchedCount), discrepancies \(report.discrepancies.count)")
                for kind in Discrepancy.Kind.allCases where report.count(kind) > 0 {
                    Swift.print("    \(kind.rawValue): \(report.count(kind))")
                }
                for t in report.productTotals {
                    Swift.print("  \(t.productCode): \(t.charges) charge(s) \(Won.format(t.chargeAmount)) KRW, \(t.refunds) refund(s) \(Won.format(t.refundAmount)) KRW, net \(Won.format(t.net)) KRW")
                }
                let o = report.operations
                Swift.print("  operations: \(o.requestsReceived) received, \(o.accepted) accepted, \(o.rejected) rejected, \(o.quotes) quotes, \(o.plansDeclined) declined, \(o.contracts) contracts, premium \(Won.format(o.premiumWritten)) KRW, \(o.withdrawalsRequested) withdrawals, \(o.refunds) refunds")
                for note in counts.notes.dropLast() { Swift.print("  note: \(note)") }
                Swift.print("  reports:")
                Swift.print("    \(urls.markdown.path)")
                Swift.print("    \(urls.csv.path)")
                Swift.print("    \(urls.html.path)")
            }
        }
    }
}
