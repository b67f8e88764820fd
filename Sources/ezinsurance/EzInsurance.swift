import ArgumentParser
import EzAdapters

@main
struct EzInsurance: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ezinsurance",
        abstract: "Batch and scheduled job processor for insurance enrollment (보험가입).",
        discussion: "Exit codes: 0 done, 64 usage, 65 invalid input, 70 internal error, 75 locked (try later).",
        subcommands: [RunCommand.self, TickCommand.self, IngestCommand.self, StatusCommand.self, ExplainCommand.self, DocumentCommand.self,
                      CatalogCommand.self, HistoryCommand.self, RequeueCommand.self, HealthCommand.self, GenerateCommand.self, ReportCommand.self, ViewsCommand.self, PgSandboxCommand.self]
    )

    static func main() {
        MemoryTuning.apply()
        SQLiteFile.configureProcess()
        main(nil)
    }
}
