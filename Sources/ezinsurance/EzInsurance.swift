import ArgumentParser

@main
struct EzInsurance: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ezinsurance",
        abstract: "Batch and scheduled job processor for insurance enrollment (보험가입).",
        subcommands: []
    )
}
