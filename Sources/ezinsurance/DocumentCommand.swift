import ArgumentParser
import EzAdapters
import EzCore
import EzRunner
import Foundation

/// `ezinsurance document DOCnnnnnnnn`: prints one product description document, cut out of
/// the bundle file it was written to (`documents/<issued_on>/bundle-<first>.md`).
struct DocumentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "document",
        abstract: "Print one product description document (상품설명서) from its bundle file.")

    @OptionGroup var common: CommonOptions
    @Argument(help: "The document number, e.g. DOC00000001.") var documentNo: String
    @Flag(help: "Print the bundle file's path instead of the document.") var path = false

    func run() throws {
        try withExitCodes {
            let env = try Environment(common)
            guard let file = try env.openStore().read({ try $0.documentFile(documentNo) }) else {
                throw RunnerError.usage("no document \(documentNo)")
            }
            guard file.published else {
                throw RunnerError.usage("document \(documentNo) is issued but not yet written (documents stage of the next intake run)")
            }
            let url = env.home.documents.appendingPathComponent(file.fileName)
            if path {
                Swift.print(url.path)
                return
            }
            guard let bundle = try? String(contentsOf: url, encoding: .utf8) else {
                throw RunnerError.internalError("\(url.path): the bundle of document \(documentNo) is missing")
            }
            guard let text = DocumentBundle.extract(documentNo, from: bundle) else {
                throw RunnerError.internalError("\(url.path) does not hold document \(documentNo)")
            }
            Swift.print(text, terminator: "")
        }
    }
}
