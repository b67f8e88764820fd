import ArgumentParser
import EzAdapters
import EzCore
import EzRunner
import Foundation

/// `ezinsurance catalog validate [DIR]`.
struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog", abstract: "Product catalogs.", subcommands: [Validate.self])

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check product catalogs; every error names file, line and column. Exits 65 when invalid.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "Catalog folder (default: <home>/catalog).") var directory: String?

        func run() throws {
            try withExitCodes {
                let dir: String
                if let directory { dir = directory } else { dir = try Environment(common).home.catalog.path }
                let (catalog, diagnostics) = CatalogLoader.load(directory: dir)
                for d in diagnostics { FileHandle.standardError.write(Data("\(d)\n".utf8)) }
                guard let catalog, diagnostics.isEmpty else {
                    throw RunnerError.invalidInput("\(diagnostics.count) error(s) in \(dir)")
                }
                for code in catalog.products {
                    for v in catalog.versions(code: code) {
                        Swift.print("ok  \(v.versionId)  \(v.name)  \(v.kind.rawValue)  \(v.effectivePeriod)")
                    }
                }
            }
        }
    }
}
