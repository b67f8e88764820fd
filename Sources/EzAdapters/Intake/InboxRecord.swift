import Foundation
import EzCore

/// One request line of a dropped file, parsed but not yet validated.
public struct InboxRecord: Hashable, Sendable {
    /// 1-based physical line in the file (for CSV the header is line 1, the first row line 2).
    public var line: Int
    /// The line as a JSON object, or why the line could not even be parsed
    /// (`FieldError.field` is `"line"`). Validate a success with `RequestDecoder.decode`.
    public var value: Result<JSONValue, FieldError>

    public init(line: Int, value: Result<JSONValue, FieldError>) {
        self.line = line
        self.value = value
    }
}

/// Yields the records of one file in order, one at a time; memory does not grow with the file.
public protocol InboxRecordIterator: AnyObject {
    /// The next record, or nil at the end of the file.
    /// Throws `InboxFileError` when the file itself cannot be read any further.
    func next() throws -> InboxRecord?
}

/// A dropped file that can be read record by record.
public protocol InboxRecordSource {
    /// Opens the file. Throws `InboxFileError` when the file as a whole is unreadable
    /// (missing, not UTF-8 nor CP949, unknown CSV column…); bad lines do not throw.
    func records() throws -> any InboxRecordIterator
}

extension InboxRecordSource {
    /// Calls `body` with each record in file order; stops at the first error thrown.
    public func forEach(_ body: (InboxRecord) throws -> Void) throws {
        let iterator = try records()
        while let record = try iterator.next() {
            try body(record)
        }
    }
}

/// Opens the right reader for a file name, by extension.
public enum InboxReader {
    /// The reader for `url`, or nil when its name is not a request file (see `InboxFileKind`).
    public static func source(for url: URL) -> (any InboxRecordSource)? {
        switch InboxFileKind.of(fileName: url.lastPathComponent) {
        case .jsonLines: JSONLinesReader(url: url)
        case .csv: CSVRequestReader(url: url)
        case nil: nil
        }
    }
}
