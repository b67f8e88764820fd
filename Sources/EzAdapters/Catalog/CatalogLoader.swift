import EzCore
import Foundation
import Yams

/// Loads and validates the product catalog: every `*.yaml` file of a directory, one product
/// per file (format: `data/catalog/README.md`), with the mortality tables of
/// `<directory>/../mortality` that actuarial pricing names (`data/mortality/README.md`).
///
/// Loading never stops at the first problem: every file is read and every error is reported
/// with its file, line and column. The catalog is returned only when there is none.
public enum CatalogLoader {
    /// Loads every `*.yaml` file in `directory` (not recursive; hidden files skipped) and the
    /// mortality tables beside it (`<directory>/../mortality/*.csv`).
    ///
    /// - Returns: the catalog (nil when any diagnostic was produced) and the diagnostics,
    ///   sorted by file, line and column.
    public static func load(directory: String) -> (catalog: ProductCatalog?, diagnostics: [CatalogDiagnostic]) {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue,
              let names = try? fm.contentsOfDirectory(atPath: directory) else {
            return (nil, [CatalogDiagnostic(file: directory, line: 1, column: 1,
                                            message: "catalog directory not found or not readable")])
        }
        let files = names.filter { $0.hasSuffix(".yaml") && !$0.hasPrefix(".") }.sorted()
        guard !files.isEmpty else {
            return (nil, [CatalogDiagnostic(file: directory, line: 1, column: 1,
                                            message: "no product files (*.yaml) in the catalog directory")])
        }
        var inputs: [(file: String, text: String?)] = []
        for name in files {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            let text = fm.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) }
            inputs.append((path, text))
        }
        let mortality = MortalityLibrary.load(directory: MortalityLibrary.directory(forCatalog: directory))
        let result = load(files: inputs, mortality: mortality.library)
        let diagnostics = (result.diagnostics + mortality.diagnostics).sorted()
        return (diagnostics.isEmpty ? result.catalog : nil, diagnostics)
    }

    /// Loads product files already read into memory: `(file name for messages, UTF-8 text or
    /// nil when unreadable)`. Cross-file checks (a product code in two files) apply.
    public static func load(files: [(file: String, text: String?)],
                            mortality: MortalityLibrary = MortalityLibrary()) -> (catalog: ProductCatalog?, diagnostics: [CatalogDiagnostic]) {
        var diagnostics: [CatalogDiagnostic] = []
        var versions: [ProductVersion] = []
        var codes: [String: (file: String, line: Int)] = [:]
        for (file, text) in files {
            guard let text else {
                diagnostics.append(CatalogDiagnostic(file: file, line: 1, column: 1,
                                                     message: "cannot read the file as UTF-8 text"))
                continue
            }
            let result = ProductFileParser(file: file, mortality: mortality).parse(yaml: text)
            diagnostics += result.diagnostics
            if let code = result.code {
                let mark = result.codeNode?.mark
                if let first = codes[code] {
                    diagnostics.append(CatalogDiagnostic(
                        file: file, line: mark?.line ?? 1, column: mark?.column ?? 1,
                        message: "code: product \(code) is already defined in \(first.file) at line \(first.line); "
                            + "one file per product"))
                    continue
                }
                codes[code] = (file, mark?.line ?? 1)
            }
            versions += result.versions.map(\.version)
        }
        diagnostics.sort()
        return (diagnostics.isEmpty ? ProductCatalog(versions) : nil, diagnostics)
    }

    /// Parses and validates one product file's text; `file` names it in diagnostics.
    /// `mortality` holds the tables `pricing.actuarial.mortality.table` may name.
    public static func parse(yaml: String, file: String,
                             mortality: MortalityLibrary = MortalityLibrary()) -> (versions: [ProductVersion], diagnostics: [CatalogDiagnostic]) {
        let result = ProductFileParser(file: file, mortality: mortality).parse(yaml: yaml)
        return (result.versions.map(\.version), result.diagnostics.sorted())
    }

    /// Only the diagnostics of `load(directory:)` (empty = valid), for `catalog validate`.
    public static func validate(directory: String) -> [CatalogDiagnostic] {
        load(directory: directory).diagnostics
    }
}
