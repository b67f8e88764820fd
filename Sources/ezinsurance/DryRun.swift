import ArgumentParser
import EzAdapters
import EzCore
import EzRunner
import Foundation

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
            case .skipped(let why): Swift.print("  skip     \(e.name): \(why)")
            }
        }
        // A dry run creates nothing: without a views database, every event waits for it.
        let viewsOffset = FileManager.default.fileExists(atPath: env.home.viewStore.path)
            ? try env.openViews().read { try $0.offset() } : 0
        let w = try store.read { try $0.pendingWork(on: env.asOf, viewsOffset: viewsOffset) }
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
