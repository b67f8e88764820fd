/// One line of a PG's daily settlement statement
/// (`transaction_id,idempotency_key,order_id,type,amount,fee,approved_at,status`).
public struct SettlementRecord: Hashable, Sendable {
    public var transactionId: String
    public var idempotencyKey: String
    public var orderId: String
    /// `charge` or `cancel`.
    public var type: String
    public var amount: Int64
    public var fee: Int64
    public var approvedAt: String
    /// `approved` or `declined`.
    public var status: String
    /// 1-based line in the statement file (the header is line 1).
    public var line: Int

    public init(transactionId: String, idempotencyKey: String, orderId: String, type: String, amount: Int64,
                fee: Int64, approvedAt: String, status: String, line: Int) {
        self.transactionId = transactionId
        self.idempotencyKey = idempotencyKey
        self.orderId = orderId
        self.type = type
        self.amount = amount
        self.fee = fee
        self.approvedAt = approvedAt
        self.status = status
        self.line = line
    }

    public var isApproved: Bool { status == "approved" }
    public var isCharge: Bool { type == "charge" }
}

/// A statement line that could not be read.
public struct SettlementParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var reason: String
    public var description: String { "settlement statement line \(line): \(reason)" }
}

/// Reads settlement statements (RFC 4180 CSV with the header above, UTF-8, LF or CRLF).
public enum SettlementStatement {
    public static let columns = ["transaction_id", "idempotency_key", "order_id", "type", "amount", "fee",
                                 "approved_at", "status"]

    /// Every line of the statement; a line that cannot be read is returned in `errors` and skipped.
    public static func parse(_ text: String) -> (records: [SettlementRecord], errors: [SettlementParseError]) {
        var records: [SettlementRecord] = []
        var errors: [SettlementParseError] = []
        func take(_ item: SettlementStatementReader.Item) {
            switch item {
            case .record(let record): records.append(record)
            case .error(let error): errors.append(error)
            }
        }
        var reader = SettlementStatementReader()
        var text = text
        text.withUTF8 { reader.read(UnsafeRawBufferPointer($0)).forEach(take) }
        reader.finish().forEach(take)
        return (records, errors)
    }

    /// RFC 4180 rows, each with the line it starts on, in order (see `CSVRowReader`).
    static func forEachRow(_ text: String, _ body: (_ line: Int, _ fields: [String]) -> Void) {
        var rows = CSVRowReader()
        var text = text
        text.withUTF8 { rows.read(UnsafeRawBufferPointer($0), body) }
        rows.finish(body)
    }
}

/// Reads a settlement statement from its bytes in pieces of any size (a file read a chunk at a
/// time), so that a statement of any length is read in the memory of one piece: each piece
/// gives the lines it completes, as records or as errors (`SettlementStatement.parse` reads a
/// whole text the same way).
public struct SettlementStatementReader: Sendable {
    public enum Item: Hashable, Sendable {
        case record(SettlementRecord)
        case error(SettlementParseError)
    }

    private var rows = CSVRowReader()
    private var lines = Lines()

    public init() {}

    /// The lines `bytes` completes.
    public mutating func read(_ bytes: UnsafeRawBufferPointer) -> [Item] {
        var items: [Item] = []
        rows.read(bytes) { line, fields in lines.take(line, fields, into: &items) }
        return items
    }

    /// The last line (when the statement does not end with a line feed); an empty statement
    /// is an error.
    public mutating func finish() -> [Item] {
        var items: [Item] = []
        rows.finish { line, fields in lines.take(line, fields, into: &items) }
        if let open = rows.unterminated, !lines.headerFailed {
            // A quote never closed takes the rest of the statement into one field: those lines
            // are reported, not silently dropped.
            items.append(.error(SettlementParseError(
                line: open.line, reason: "a quoted field opened on this line is never closed: lines \(open.line)–\(open.last) unreadable")))
        }
        if lines.headerCount == nil && !lines.headerFailed && rows.unterminated == nil {
            items.append(.error(SettlementParseError(line: 1, reason: "empty statement (no header)")))
        }
        return items
    }

    /// Rows made into records: the header first.
    private struct Lines: Sendable {
        var headerCount: Int?
        var index: [String: Int] = [:]
        var headerFailed = false

        mutating func take(_ line: Int, _ fields: [String], into items: inout [Item]) {
            guard !headerFailed else { return }
            guard let headerCount else {
                for (i, name) in fields.enumerated() { index[name.trimmingBOM()] = i }
                let missing = SettlementStatement.columns.filter { index[$0] == nil }
                if missing.isEmpty {
                    self.headerCount = fields.count
                } else {
                    headerFailed = true
                    items.append(.error(SettlementParseError(line: line, reason: "header lacks \(missing.joined(separator: ", "))")))
                }
                return
            }
            if fields.count == 1 && fields[0].isEmpty { return }
            func field(_ name: String) -> String {
                let i = index[name]!
                return i < fields.count ? fields[i] : ""
            }
            guard fields.count >= headerCount else {
                items.append(.error(SettlementParseError(line: line, reason: "\(fields.count) fields, expected \(headerCount)")))
                return
            }
            guard let amount = Int64(field("amount")), let fee = Int64(field("fee")) else {
                items.append(.error(SettlementParseError(line: line, reason: "amount or fee is not an integer")))
                return
            }
            guard ["charge", "cancel"].contains(field("type")), ["approved", "declined"].contains(field("status")) else {
                items.append(.error(SettlementParseError(line: line, reason: "type must be charge|cancel and status approved|declined")))
                return
            }
            items.append(.record(SettlementRecord(
                transactionId: field("transaction_id"), idempotencyKey: field("idempotency_key"),
                orderId: field("order_id"), type: field("type"), amount: amount, fee: fee,
                approvedAt: field("approved_at"), status: field("status"), line: line)))
        }
    }
}

/// RFC 4180 rows read from UTF-8 bytes given in pieces of any size, each row with the line it
/// starts on. Every delimiter is ASCII, which no other character's bytes contain; a quote
/// inside a quoted field is known to be doubled or closing only from the next byte, which may
/// be in the next piece (`quoteSeen`). A last row without its line feed is read as if it had one
/// (an empty text is one empty row).
struct CSVRowReader: Sendable {
    private var fields: [String] = []
    private var field: [UInt8] = []
    private var quoted = false
    /// A quote was read inside a quoted field: the next byte says which it was.
    private var quoteSeen = false
    private var line = 1
    private var rowStart = 1
    private var last: UInt8?

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"),
                       lf = UInt8(ascii: "\n")

    mutating func read(_ bytes: UnsafeRawBufferPointer, _ body: (_ line: Int, _ fields: [String]) -> Void) {
        for c in bytes { step(c, body) }
        if let end = bytes.last { last = end }
    }

    mutating func finish(_ body: (_ line: Int, _ fields: [String]) -> Void) {
        if last != Self.lf { step(Self.lf, body) }
    }

    /// After `finish`: the row left open by a quoted field never closed (the line it starts
    /// on and the text's last line), which no row was made of; nil when every row ended.
    var unterminated: (line: Int, last: Int)? {
        quoted ? (rowStart, max(rowStart, line - 1)) : nil
    }

    private mutating func step(_ c: UInt8, _ body: (_ line: Int, _ fields: [String]) -> Void) {
        if quoteSeen {
            quoteSeen = false
            if c == Self.quote {
                field.append(Self.quote)
                return
            }
            quoted = false
        }
        if quoted {
            if c == Self.quote {
                quoteSeen = true
            } else {
                if c == Self.lf { line += 1 }
                field.append(c)
            }
        } else if c == Self.quote {
            quoted = true
        } else if c == Self.comma {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        } else if c == Self.cr {
            // part of CRLF
        } else if c == Self.lf {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            body(rowStart, fields)
            fields.removeAll(keepingCapacity: true)
            line += 1
            rowStart = line
        } else {
            field.append(c)
        }
    }
}

private extension String {
    func trimmingBOM() -> String { hasPrefix("\u{FEFF}") ? String(dropFirst()) : self }
}
