/// One problem found in a catalog file, located by file, line and column (both 1-based).
///
/// Prints as `file:line:column: error: message`, the format editors and CI annotate.
public struct CatalogDiagnostic: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    /// The file path as the loader was given it (directory + file name).
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): error: \(message)" }

    public static func < (lhs: CatalogDiagnostic, rhs: CatalogDiagnostic) -> Bool {
        (lhs.file, lhs.line, lhs.column, lhs.message) < (rhs.file, rhs.line, rhs.column, rhs.message)
    }
}
