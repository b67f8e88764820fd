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
    /// Read row by row from the text's UTF-8 (a 1M night's statement is 65 MB: read as an
    /// array of characters first, it took 1.4 GB).
    public static func parse(_ text: String) -> (records: [SettlementRecord], errors: [SettlementParseError]) {
        var records: [SettlementRecord] = []
        var errors: [SettlementParseError] = []
        var header: (line: Int, fields: [String])?
        var index: [String: Int] = [:]
        var headerError: SettlementParseError?
        forEachRow(text) { line, fields in
            guard headerError == nil else { return }
            guard let header else {
                header = (line, fields)
                for (i, name) in fields.enumerated() { index[name.trimmingBOM()] = i }
                let missing = columns.filter { index[$0] == nil }
                if !missing.isEmpty {
                    headerError = SettlementParseError(line: line, reason: "header lacks \(missing.joined(separator: ", "))")
                }
                return
            }
            if fields.count == 1 && fields[0].isEmpty { return }
            func field(_ name: String) -> String {
                let i = index[name]!
                return i < fields.count ? fields[i] : ""
            }
            guard fields.count >= header.fields.count else {
                errors.append(SettlementParseError(line: line, reason: "\(fields.count) fields, expected \(header.fields.count)"))
                return
            }
            guard let amount = Int64(field("amount")), let fee = Int64(field("fee")) else {
                errors.append(SettlementParseError(line: line, reason: "amount or fee is not an integer"))
                return
            }
            guard ["charge", "cancel"].contains(field("type")), ["approved", "declined"].contains(field("status")) else {
                errors.append(SettlementParseError(line: line, reason: "type must be charge|cancel and status approved|declined"))
                return
            }
            records.append(SettlementRecord(
                transactionId: field("transaction_id"), idempotencyKey: field("idempotency_key"),
                orderId: field("order_id"), type: field("type"), amount: amount, fee: fee,
                approvedAt: field("approved_at"), status: field("status"), line: line))
        }
        if let headerError { return ([], [headerError]) }
        guard header != nil else { return ([], [SettlementParseError(line: 1, reason: "empty statement (no header)")]) }
        return (records, errors)
    }

    /// RFC 4180 rows, each with the line it starts on, in order. The text is read as UTF-8
    /// bytes (every delimiter is ASCII, which no other character's bytes contain); a last row
    /// without its line feed is read as if it had one.
    static func forEachRow(_ text: String, _ body: (_ line: Int, _ fields: [String]) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            var fields: [String] = []
            var field: [UInt8] = []
            var quoted = false
            var line = 1
            var rowStart = 1
            let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
            var i = 0
            let count = bytes.count
            let end = count > 0 && bytes[count - 1] == lf ? count : count + 1
            while i < end {
                let c = i < count ? bytes[i] : lf
                if quoted {
                    if c == quote {
                        if i + 1 < count && bytes[i + 1] == quote { field.append(quote); i += 1 } else { quoted = false }
                    } else {
                        if c == lf { line += 1 }
                        field.append(c)
                    }
                } else if c == quote {
                    quoted = true
                } else if c == comma {
                    fields.append(String(decoding: field, as: UTF8.self))
                    field.removeAll(keepingCapacity: true)
                } else if c == cr {
                    // part of CRLF
                } else if c == lf {
                    fields.append(String(decoding: field, as: UTF8.self))
                    field.removeAll(keepingCapacity: true)
                    body(rowStart, fields)
                    fields.removeAll(keepingCapacity: true)
                    line += 1
                    rowStart = line
                } else {
                    field.append(c)
                }
                i += 1
            }
        }
    }
}

private extension String {
    func trimmingBOM() -> String { hasPrefix("\u{FEFF}") ? String(dropFirst()) : self }
}
