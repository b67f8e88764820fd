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
        let rows = csvRows(text)
        guard let header = rows.first else {
            return ([], [SettlementParseError(line: 1, reason: "empty statement (no header)")])
        }
        var index: [String: Int] = [:]
        for (i, name) in header.fields.enumerated() { index[name.trimmingBOM()] = i }
        let missing = columns.filter { index[$0] == nil }
        guard missing.isEmpty else {
            return ([], [SettlementParseError(line: header.line, reason: "header lacks \(missing.joined(separator: ", "))")])
        }
        for row in rows.dropFirst() {
            if row.fields.count == 1 && row.fields[0].isEmpty { continue }
            func field(_ name: String) -> String {
                let i = index[name]!
                return i < row.fields.count ? row.fields[i] : ""
            }
            guard row.fields.count >= header.fields.count else {
                errors.append(SettlementParseError(line: row.line, reason: "\(row.fields.count) fields, expected \(header.fields.count)"))
                continue
            }
            guard let amount = Int64(field("amount")), let fee = Int64(field("fee")) else {
                errors.append(SettlementParseError(line: row.line, reason: "amount or fee is not an integer"))
                continue
            }
            guard ["charge", "cancel"].contains(field("type")), ["approved", "declined"].contains(field("status")) else {
                errors.append(SettlementParseError(line: row.line, reason: "type must be charge|cancel and status approved|declined"))
                continue
            }
            records.append(SettlementRecord(
                transactionId: field("transaction_id"), idempotencyKey: field("idempotency_key"),
                orderId: field("order_id"), type: field("type"), amount: amount, fee: fee,
                approvedAt: field("approved_at"), status: field("status"), line: row.line))
        }
        return (records, errors)
    }

    /// RFC 4180 rows with the line each starts on.
    static func csvRows(_ text: String) -> [(line: Int, fields: [String])] {
        var rows: [(Int, [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var rowStart = 1
        var chars = Array(text.unicodeScalars.map(Character.init))
        if chars.last != "\n" { chars.append("\n") }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                fields.append(field)
                field = ""
            } else if c == "\r" {
                // part of CRLF
            } else if c == "\n" {
                fields.append(field)
                rows.append((rowStart, fields))
                fields = []
                field = ""
                line += 1
                rowStart = line
            } else {
                field.append(c)
            }
            i += 1
        }
        return rows
    }
}

private extension String {
    func trimmingBOM() -> String { hasPrefix("\u{FEFF}") ? String(dropFirst()) : self }
}
