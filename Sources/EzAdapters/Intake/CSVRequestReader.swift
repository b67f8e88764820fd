import CSV
import EzCore
import Foundation

/// Reads a CSV request file (`*.csv`) row by row: one request per row, `enrollment.apply`
/// unless a `type` column says otherwise (SPEC section 5).
///
/// - Encoding: UTF-8 (with or without BOM) when the whole file is valid UTF-8, else CP949
///   (Korean Excel) when the whole file converts, else the file is unreadable. A file with a
///   UTF-8 BOM is always UTF-8; its lines that are not UTF-8 are rejected one by one.
/// - Streaming: the file is read in chunks, twice at most for the encoding check and once for
///   the rows; memory does not grow with the file.
/// - Lines end with LF or CRLF. **Quoted cells spanning several lines are not supported**: each
///   physical line is one row, and a line whose quote is not closed is rejected alone. Quoted
///   cells with commas and doubled quotes (`"a,""b"""`) work.
/// - The header is the first non-blank line (line 1 normally); its names are the flattened JSON
///   field names (`customer.name`, `payment.method`, `riders[0].code`; see
///   `CSVRequestReader.columnNames`). Unknown, duplicate or empty names, or no `request_id`
///   column, make the file unreadable (the error names the columns).
/// - Rows: blank lines and rows whose cells are all empty are skipped (not counted); empty
///   cells are left out (so optional fields may stay empty); a row with a different number of
///   cells than the header is rejected alone. Cells stay strings (the decoder accepts digit strings, `Y`/`N`, and `riders` as
///   `CODE:SUM;CODE:SUM`). `riders[N].*` cells build the rider array in index order, skipping
///   indices whose cells are all empty.
public struct CSVRequestReader: InboxRecordSource {
    public var url: URL
    public var chunkSize: Int
    public var maxLineBytes: Int

    public init(url: URL, chunkSize: Int = 64 * 1024, maxLineBytes: Int = 1 << 20) {
        self.url = url
        self.chunkSize = chunkSize
        self.maxLineBytes = maxLineBytes
    }

    /// The text encodings a CSV request file may use.
    public enum Encoding: String, Sendable {
        case utf8
        case cp949
    }

    /// Column names accepted in a header, besides `riders[N].code` and `riders[N].sum_insured`
    /// (N from 0 to 99).
    public static let columnNames: [String] = {
        var names: [String] = []
        for type in RequestType.allCases {
            for field in RequestDecoder.allowedFields(for: type) where !names.contains(field) {
                switch field {
                case "customer": names += RequestDecoder.customerFields.map { "customer." + $0 }
                case "payment": names += RequestDecoder.paymentFields.map { "payment." + $0 }
                default: names.append(field)
                }
            }
        }
        return names
    }()

    /// The request type of a row without a `type` cell.
    public static let defaultType = RequestType.enrollmentApply

    public func records() throws -> any InboxRecordIterator {
        let encoding = try detectEncoding()
        let chunker = try LineChunker(url: url, chunkSize: chunkSize, maxLineBytes: maxLineBytes)
        let converter = encoding == .cp949 ? try CP949Converter() : nil
        var headerLine: PhysicalLine?
        while let line = try chunker.next() {
            if line.isBlank { continue }
            headerLine = line
            break
        }
        guard let headerLine else {
            throw InboxFileError.unreadable("empty CSV file: no header row")
        }
        let header: [String]
        switch Self.cells(of: headerLine, converter: converter, maxLineBytes: maxLineBytes) {
        case .success(let cells): header = cells
        case .failure(let error): throw InboxFileError.unreadable("header (line \(headerLine.number)): \(error.reason)")
        }
        let columns = try Self.columns(header)
        return Iterator(chunker: chunker, converter: converter, columns: columns, maxLineBytes: maxLineBytes)
    }

    /// Which encoding the file is in; throws `InboxFileError.unreadable` when it is neither.
    public func detectEncoding() throws -> Encoding {
        var firstBadUTF8: (line: Int, reason: String)?
        let utf8Pass = try LineChunker(url: url, chunkSize: chunkSize, maxLineBytes: maxLineBytes)
        while let line = try utf8Pass.next() {
            if let reason = UTF8Validation.problem(line.bytes) {
                firstBadUTF8 = (line.number, reason)
                break
            }
        }
        guard let firstBadUTF8 else { return .utf8 }
        if utf8Pass.hadByteOrderMark { return .utf8 }
        let converter = try CP949Converter()
        let cp949Pass = try LineChunker(url: url, chunkSize: chunkSize, maxLineBytes: maxLineBytes)
        while let line = try cp949Pass.next() {
            if case .failure(let failure) = converter.convert(line.bytes) {
                throw InboxFileError.unreadable("neither UTF-8 nor CP949: line \(firstBadUTF8.line) is "
                    + firstBadUTF8.reason + "; line \(line.number) is not CP949 either (byte offset "
                    + "\(failure.offset)); save the file as UTF-8 CSV")
            }
        }
        return .cp949
    }

    // MARK: - Columns

    enum Column: Hashable {
        case top(String)
        case customer(String)
        case payment(String)
        case rider(index: Int, key: String)
    }

    static func columns(_ header: [String]) throws -> [Column] {
        var columns: [Column] = []
        var unknown: [String] = []
        var seen: Set<String> = []
        var duplicates: [String] = []
        for (index, raw) in header.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces)
            if name.isEmpty {
                throw InboxFileError.unreadable("CSV header: column \(index + 1) has no name")
            }
            if !seen.insert(name).inserted { duplicates.append(name) }
            if let column = column(named: name) {
                columns.append(column)
            } else {
                var text = "\"\(name)\""
                if let near = RequestDecoder.closestName(to: name, in: columnNames) { text += " (did you mean \"\(near)\"?)" }
                unknown.append(text)
            }
        }
        if !unknown.isEmpty {
            throw InboxFileError.unreadable("unknown CSV column(s): " + unknown.joined(separator: ", ")
                + "; allowed: " + columnNames.joined(separator: ", ") + ", riders[N].code, riders[N].sum_insured")
        }
        if !duplicates.isEmpty {
            throw InboxFileError.unreadable("duplicate CSV column(s): "
                + duplicates.map { "\"\($0)\"" }.joined(separator: ", "))
        }
        if !seen.contains("request_id") {
            throw InboxFileError.unreadable("CSV header has no request_id column (every row needs one)")
        }
        if seen.contains("riders"), columns.contains(where: { if case .rider = $0 { true } else { false } }) {
            throw InboxFileError.unreadable("CSV header has both a riders column and riders[N].* columns; use one form")
        }
        return columns
    }

    static func column(named name: String) -> Column? {
        if name.hasPrefix("customer.") {
            let key = String(name.dropFirst("customer.".count))
            return RequestDecoder.customerFields.contains(key) ? .customer(key) : nil
        }
        if name.hasPrefix("payment.") {
            let key = String(name.dropFirst("payment.".count))
            return RequestDecoder.paymentFields.contains(key) ? .payment(key) : nil
        }
        if name.hasPrefix("riders["), let close = name.firstIndex(of: "]") {
            let digits = name[name.index(name.startIndex, offsetBy: 7)..<close]
            let rest = name[name.index(after: close)...]
            guard (1...2).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let index = Int(digits), rest.hasPrefix(".") else { return nil }
            let key = String(rest.dropFirst())
            return RequestDecoder.riderFields.contains(key) ? .rider(index: index, key: key) : nil
        }
        return columnNames.contains(name) ? .top(name) : nil
    }

    // MARK: - Cells

    static func cells(of line: PhysicalLine, converter: CP949Converter?, maxLineBytes: Int) -> Result<[String], FieldError> {
        if let length = line.overlongBytes {
            return .failure(FieldError(field: "line", reason: "line too long: \(length) bytes (at most \(maxLineBytes))"))
        }
        let text: String
        if let converter {
            switch converter.convert(line.bytes) {
            case .success(let utf8): text = String(decoding: utf8, as: UTF8.self)
            case .failure(let failure):
                return .failure(FieldError(field: "line", reason: "not valid CP949 at byte offset \(failure.offset)"))
            }
        } else {
            if let problem = UTF8Validation.problem(line.bytes) {
                return .failure(FieldError(field: "line", reason: problem))
            }
            text = String(decoding: line.bytes, as: UTF8.self)
        }
        if line.bytes.lazy.filter({ $0 == 0x22 }).count % 2 == 1 {
            return .failure(FieldError(field: "line", reason:
                "unterminated quoted cell (a quoted cell must close on the same line; multi-line cells are not supported)"))
        }
        do {
            let reader = try CSVReader(string: text, hasHeaderRow: false)
            let row = reader.next() ?? []
            if let error = reader.error {
                return .failure(FieldError(field: "line", reason: "unparsable CSV: \(error)"))
            }
            return .success(row)
        } catch {
            return .failure(FieldError(field: "line", reason: "unparsable CSV: \(error)"))
        }
    }

    final class Iterator: InboxRecordIterator {
        private let chunker: LineChunker
        private let converter: CP949Converter?
        private let columns: [Column]
        private let maxLineBytes: Int

        init(chunker: LineChunker, converter: CP949Converter?, columns: [Column], maxLineBytes: Int) {
            self.chunker = chunker
            self.converter = converter
            self.columns = columns
            self.maxLineBytes = maxLineBytes
        }

        func next() throws -> InboxRecord? {
            while let line = try chunker.next() {
                if line.isBlank { continue }
                let cells = CSVRequestReader.cells(of: line, converter: converter, maxLineBytes: maxLineBytes)
                if case .success(let row) = cells, row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                    continue  // `,,,,` rows that spreadsheets leave below the data
                }
                let value = cells
                    .flatMap { cells -> Result<JSONValue, FieldError> in
                        guard cells.count == columns.count else {
                            return .failure(FieldError(field: "line", reason:
                                "expected \(columns.count) cells as in the header, found \(cells.count)"))
                        }
                        return .success(CSVRequestReader.object(columns: columns, cells: cells))
                    }
                return InboxRecord(line: line.number, value: value)
            }
            return nil
        }
    }

    /// The nested request object of one row; empty cells are left out.
    static func object(columns: [Column], cells: [String]) -> JSONValue {
        var top: [String: JSONValue] = [:]
        var customer: [String: JSONValue] = [:]
        var payment: [String: JSONValue] = [:]
        var riders: [Int: [String: JSONValue]] = [:]
        for (column, cell) in zip(columns, cells) where !cell.trimmingCharacters(in: .whitespaces).isEmpty {
            let value = JSONValue.string(cell)
            switch column {
            case .top(let key): top[key] = value
            case .customer(let key): customer[key] = value
            case .payment(let key): payment[key] = value
            case .rider(let index, let key): riders[index, default: [:]][key] = value
            }
        }
        if !customer.isEmpty { top["customer"] = .object(customer) }
        if !payment.isEmpty { top["payment"] = .object(payment) }
        if !riders.isEmpty { top["riders"] = .array(riders.keys.sorted().map { .object(riders[$0]!) }) }
        if top["type"] == nil { top["type"] = .string(defaultType.rawValue) }
        return .object(top)
    }
}
