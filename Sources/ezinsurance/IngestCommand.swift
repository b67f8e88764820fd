import ArgumentParser
import EzAdapters
import EzCore
import EzRunner
import Foundation

/// `ezinsurance ingest`: the file-drop stage alone.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "Ingest the inbox alone (no processing).")
    @OptionGroup var common: CommonOptions
    @OptionGroup var log: LogOptions

    func run() throws {
        log.bootstrap()
        try withExitCodes {
            let env = try Environment(common, log: log)
            let store = try env.openStore()
            var runner = JobRunner(home: env.home, store: store, logger: env.logger) { NoGateway() }
            runner.quiet = log.quiet
            let job = JobDefinition(name: "ingest", description: "file-drop ingestion", schedule: nil,
                                    stages: [StageName.ingest], chunkSize: 500)
            SummaryPrinter.print(try runner.run(job, asOf: env.asOf), home: env.home)
        }
    }
}
