import EzAdapters
import EzRunner
import Foundation

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
            views      \(root)/views/status.sqlite (ezinsurance status|views export), \(root)/views/summary.json
            alarms     \(root)/outbox/alarms/
            documents  \(root)/documents/
            rejects    \(root)/rejected/
            archive    \(root)/archive/
            state      \(root)/ezinsurance.sqlite  (ezinsurance status|history --home \(root))
        """)
    }
}
