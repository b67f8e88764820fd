import ArgumentParser
import EzAdapters
import EzCore
import EzRunner
import Foundation

/// `ezinsurance views rebuild|export`: the status views' database (`views/status.sqlite`).
struct ViewsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "views", abstract: "Status views.", subcommands: [Rebuild.self, Export.self])

    struct Rebuild: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Drop and rebuild every status view from the event log (same views as incremental).")
        @OptionGroup var common: CommonOptions

        func run() throws {
            try withExitCodes {
                let env = try Environment(common)
                let store = try env.openStore()
                // The views stage's own lock: a job's views stage (or its follower) never runs beside a rebuild.
                let lock = try JobLock(path: JobRunner.stageLockPath(StageName.views, home: env.home),
                                       holder: "pid \(getpid()) views rebuild")
                defer { withExtendedLifetime(lock) {} }
                let ctx = RunContext(home: env.home, store: store, asOf: env.asOf, runId: 0, chunkSize: 1000,
                                     logger: env.logger, gateway: NoGateway())
                try ctx.viewStore().write { try $0.reset() }
                let counts = try ViewConsumer.forStage().run(ctx)
                Swift.print("rebuilt views from \(counts.processed) events into \(env.home.viewStore.path)")
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the status views as files: OUT/customers/<customer_no>.json and OUT/summary.json.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Folder to write into (created if missing).") var out: String
        @Option(help: "Only this customer's view.") var customer: String?

        func run() throws {
            try withExitCodes {
                let env = try Environment(common)
                let views = try env.openViews()
                let folder = URL(fileURLWithPath: out, isDirectory: true)
                let written = try ViewExport.write(views, to: folder, customerNo: customer)
                if let customer, written == 0 {
                    throw RunnerError.usage("no status view for customer \(customer) (not registered, or views not built yet: run the intake job)")
                }
                Swift.print("wrote \(written) files under \(folder.path)")
            }
        }
    }
}
