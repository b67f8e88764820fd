import ArgumentParser
import EzAdapters
import EzCore
import EzRunner
import Foundation

/// `ezinsurance views rebuild`: drops every status view and rebuilds it from the event log.
struct ViewsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "views", abstract: "Status views.", subcommands: [Rebuild.self])

    struct Rebuild: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Drop and rebuild every status view from the event log (same bytes as incremental).")
        @OptionGroup var common: CommonOptions

        func run() throws {
            try withExitCodes {
                let env = try Environment(common)
                let store = try env.openStore()
                // The views stage's own lock: a job's views stage (or its follower) never runs beside a rebuild.
                let lock = try JobLock(path: JobRunner.stageLockPath(StageName.views, home: env.home),
                                       holder: "pid \(getpid()) views rebuild")
                defer { withExtendedLifetime(lock) {} }
                try store.write { try $0.resetViews(consumer: ViewConsumer.name) }
                try? FileManager.default.removeItem(at: env.home.customerViews)
                try FileManager.default.createDirectory(at: env.home.customerViews, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
                let ctx = RunContext(home: env.home, store: store, asOf: env.asOf, runId: 0, chunkSize: 1000,
                                     logger: env.logger, gateway: NoGateway())
                let counts = try ViewConsumer.forStage().run(ctx)
                Swift.print("rebuilt views from \(counts.processed) events; wrote \(counts.files) files under \(env.home.views.path)")
            }
        }
    }
}
