import EzCore
import Foundation

/// The mortality tables a catalog may name in `pricing.actuarial.mortality.table`: every
/// `*.csv` of the mortality directory, which sits beside the catalog directory
/// (`<catalog>/../mortality`, seeded from `data/mortality`).
public struct MortalityLibrary: Sendable {
    /// Tables by name (file name without `.csv`).
    public var tables: [String: MortalityTable]
    /// Where they were read from, for messages.
    public var location: String

    public init(tables: [String: MortalityTable] = [:], location: String = "mortality") {
        self.tables = tables
        self.location = location
    }

    /// The directory of mortality tables for a catalog directory: `<catalog>/../mortality`.
    public static func directory(forCatalog catalog: String) -> String {
        URL(fileURLWithPath: catalog).standardizedFileURL.deletingLastPathComponent()
            .appendingPathComponent("mortality").path
    }

    /// Reads every `*.csv` (not hidden) of `directory`. A missing directory is an empty
    /// library (a catalog without actuarial products needs none); a broken file yields
    /// diagnostics and no table.
    public static func load(directory: String) -> (library: MortalityLibrary, diagnostics: [CatalogDiagnostic]) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory) else {
            return (MortalityLibrary(location: directory), [])
        }
        var tables: [String: MortalityTable] = [:]
        var diagnostics: [CatalogDiagnostic] = []
        for name in names.sorted() where name.hasSuffix(".csv") && !name.hasPrefix(".") {
            let path = directory + "/" + name
            guard let data = fm.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                diagnostics.append(CatalogDiagnostic(file: path, line: 1, column: 1, message: "cannot read the file as UTF-8 text"))
                continue
            }
            let stem = String(name.dropLast(4))
            let result = MortalityTableParser(file: path, name: stem).parse(text: text)
            diagnostics += result.diagnostics
            if let table = result.table { tables[stem] = table }
        }
        return (MortalityLibrary(tables: tables, location: directory), diagnostics)
    }

    /// Parses one table's text (for tests and tools); `name` is what catalogs call it.
    public static func parse(text: String, name: String, file: String) -> (table: MortalityTable?, diagnostics: [CatalogDiagnostic]) {
        MortalityTableParser(file: file, name: name).parse(text: text)
    }
}
