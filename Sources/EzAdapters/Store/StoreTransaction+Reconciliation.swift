import EzCore
import GRDB

/// Read-only queries of the nightly reconciliation and the operations summary.
extension StoreTransaction {
    /// Column 8 is the payment's row id (`payment_id`).
    private static let ledgerColumns = """
        SELECT p.idempotency_key, p.proposal_no, COALESCE(pr.product_code, '') AS product_code, p.kind, p.amount,
               p.status, p.settled_on, p.gateway_tx_id, p.payment_id
        FROM payments p LEFT JOIN proposals pr ON pr.proposal_no = p.proposal_no
        """

    /// Calls `body` with each of our payments with a verdict (approved or declined) on `date`,
    /// and its row id: a row at a time (a 1M night has 865,000), in the table's order (not
    /// sorted: the caller sorts the few it keeps).
    public func forEachLedgerPayment(settledOn date: BusinessDate,
                                     _ body: (_ id: Int64, _ payment: LedgerPayment) throws -> Void) throws {
        let cursor = try ColumnCursor(statements.statement(Self.settledOnSQL, in: db), arguments: [date.description])
        while let row = try cursor.next() { try body(row[8], Self.ledgerPayment(row)) }
    }

    /// Our payment under `key`, whatever its date or status, with its row id (once per
    /// statement line: the SQL is built once).
    public func ledgerPayment(key: String) throws -> (id: Int64, payment: LedgerPayment)? {
        try firstRow(Self.byKeySQL, [key]) { (id: $0[8], payment: Self.ledgerPayment($0)) }
    }

    private static let settledOnSQL = ledgerColumns + " WHERE p.settled_on = ? AND p.status <> 'PENDING'"
    private static let byKeySQL = ledgerColumns + " WHERE p.idempotency_key = ?"

    /// Withdrawals still REFUND_PENDING whose refund was due before `date`: read through the
    /// index of open withdrawals (in number order), not by walking every withdrawal ever made.
    public func overdueRefunds(before date: BusinessDate) throws -> [OverdueRefund] {
        try Row.fetchAll(try db.cachedStatement(sql: Self.overdueRefundsSQL), arguments: [date.description]).compactMap { row in
                guard let due = BusinessDate(row["due"] as String? ?? "") else { return nil }
                return OverdueRefund(withdrawalNo: row["withdrawal_no"], proposalNo: row["proposal_no"],
                                     productCode: row["product_code"], amount: row["amount"] ?? 0, dueOn: due,
                                     lastError: row["last_error"])
            }
    }

    /// The condition of `withdrawals_open` is repeated word for word (SQLite uses a partial index
    /// only when the query's condition names the index's), then narrowed to REFUND_PENDING.
    static let overdueRefundsSQL = """
        SELECT w.withdrawal_no, w.proposal_no, COALESCE(pr.product_code, '') AS product_code,
               json_extract(w.data, '$.refund_amount') AS amount, json_extract(w.data, '$.refund_due_on') AS due,
               (SELECT last_error FROM payments x WHERE x.proposal_no = w.proposal_no AND x.kind = 'REFUND') AS last_error
        FROM withdrawals w INDEXED BY withdrawals_open LEFT JOIN proposals pr ON pr.proposal_no = w.proposal_no
        WHERE w.status IN ('REQUESTED','REFUND_PENDING') AND w.status = 'REFUND_PENDING'
          AND json_extract(w.data, '$.refund_due_on') < ?
        ORDER BY w.withdrawal_no
        """

    /// ACTIVE policies established on or before `date` whose proposal has no approved charge, in
    /// the table's order (the report sorts its discrepancies; sorted here, every policy was
    /// read through the index of their numbers, a row lookup each).
    public func activePoliciesWithoutCharge(asOf date: BusinessDate) throws -> [PolicyRef] {
        try Row.fetchAll(try db.cachedStatement(sql: """
            SELECT po.policy_no, po.proposal_no, COALESCE(pr.product_code, '') AS product_code, po.established_on
            FROM policies po LEFT JOIN proposals pr ON pr.proposal_no = po.proposal_no
            WHERE po.status = 'ACTIVE' AND po.established_on <= ?
              AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.proposal_no = po.proposal_no
                              AND p.kind = 'CHARGE' AND p.status = 'APPROVED')
            """), arguments: [date.description]).map { row in
                PolicyRef(policyNo: row["policy_no"], proposalNo: row["proposal_no"], productCode: row["product_code"],
                          establishedOn: BusinessDate(row["established_on"] as String) ?? date)
            }
    }

    /// Approved charges settled on or before `date` whose proposal has no policy, in the table's
    /// order (as above).
    public func chargesWithoutPolicy(asOf date: BusinessDate) throws -> [LedgerPayment] {
        try rows(Self.ledgerColumns + """
             WHERE p.kind = 'CHARGE' AND p.status = 'APPROVED' AND p.settled_on <= ?
               AND NOT EXISTS (SELECT 1 FROM policies po WHERE po.proposal_no = p.proposal_no)
            """, [date.description], Self.ledgerPayment)
    }

    /// The earliest business date with a settled payment, if any (where nightly catch-up starts).
    public func firstSettlementDate() throws -> BusinessDate? {
        try String.fetchOne(db, sql: "SELECT MIN(settled_on) FROM payments WHERE settled_on IS NOT NULL")
            .flatMap(BusinessDate.init)
    }

    /// The operations summary of one business date: intake tables for files received that
    /// day, the event log for what happened that day.
    public func operationsSummary(on date: BusinessDate) throws -> OperationsSummary {
        try flushEvents()
        let d = date.description
        var o = OperationsSummary()
        if let row = try Row.fetchOne(try db.cachedStatement(sql: """
            SELECT COALESCE(SUM(accepted), 0) AS a, COALESCE(SUM(duplicates), 0) AS d, COALESCE(SUM(rejected), 0) AS r,
                   COALESCE(SUM(status = 'UNREADABLE'), 0) AS u
            FROM inbox_files WHERE received_on = ?
            """), arguments: [d]) {
            o.accepted = row["a"]
            o.duplicates = row["d"]
            o.rejected = row["r"]
            o.unreadableFiles = row["u"]
            o.requestsReceived = o.accepted + o.duplicates + o.rejected
        }
        // The tallies read their rows one at a time (a night's rejected lines and failures are
        // tens of thousands at 1M, each with its message).
        o.rejectedByReason = try tally(Self.rejectionsOfDaySQL, [d]) { row in
            guard let first = (try? row.json([FieldError].self, 0))?.first else { return "unknown" }
            return Self.reasonLabel(field: first.field, reason: first.reason)
        }
        func count(_ type: EventType) throws -> Int {
            try Int.fetchOne(try db.cachedStatement(sql: Self.countOfDaySQL), arguments: [type.rawValue, d]) ?? 0
        }
        func sum(_ sql: String, _ type: EventType) throws -> Int64 {
            try Int64.fetchOne(try db.cachedStatement(sql: sql), arguments: [type.rawValue, d]) ?? 0
        }
        o.failedByReason = try tally(Self.failuresOfDaySQL, [EventType.requestFailed.rawValue, d]) { row in
            Self.reasonLabel(field: row.optional(0) ?? "", reason: row.optional(1) ?? "unknown")
        }
        o.quotes = try count(.planQuoted)
        o.plansDeclined = try count(.planDeclined)
        o.underwritingDeclinesByReason = try tally(Self.declineReasonsOfDaySQL, [EventType.planDeclined.rawValue, d]) {
            $0.optional(0) ?? "unknown"
        }
        o.paymentDeclinesByReason = try tally(Self.paymentDeclinesOfDaySQL, [EventType.paymentFailed.rawValue, d]) {
            $0.optional(0) ?? "unknown"
        }
        o.paymentsDeferred = try count(.paymentDeferred)
        o.contracts = try count(.policyEstablished)
        o.premiumWritten = try sum(Self.premiumOfDaySQL, .policyEstablished)
        o.withdrawalsRequested = try count(.withdrawalRequested)
        o.withdrawalsCompleted = try count(.withdrawalCompleted)
        o.withdrawalsCancelled = try count(.withdrawalCancelled)
        o.withdrawalsRejected = try count(.withdrawalRejected)
        o.refunds = o.withdrawalsCompleted
        o.refundAmount = try sum(Self.refundsOfDaySQL, .withdrawalCompleted)
        return o
    }

    /// Tallies of the labels `label` makes of the rows of `sql`, read a row at a time.
    private func tally(_ sql: String, _ arguments: [any SQLBindable], _ label: (ColumnRow) throws -> String) throws -> [Tally] {
        var counts: [String: Int] = [:]
        let rows = try ColumnCursor(statements.statement(sql, in: db), arguments: arguments)
        while let row = try rows.next() { counts[try label(row), default: 0] += 1 }
        return Tally.of(counts: counts)
    }

    /// `field: reason`, the reason cut at its first colon (values after it would split groups).
    private static func reasonLabel(field: String, reason: String) -> String {
        let short = reason.split(separator: ":", maxSplits: 1).first.map(String.init) ?? reason
        let trimmed = short.count > 80 ? String(short.prefix(80)) + "…" : short
        return field.isEmpty ? trimmed : "\(field): \(trimmed)"
    }

    /// A row selected with `ledgerColumns`, by position.
    private static func ledgerPayment(_ row: ColumnRow) -> LedgerPayment {
        let kind: String = row[3], status: String = row[5], settledOn: String? = row.optional(6)
        return LedgerPayment(idempotencyKey: row[0] as String, proposalNo: row[1] as String, productCode: row[2] as String,
                             kind: LedgerPayment.Kind(rawValue: kind) ?? .charge, amount: row[4] as Int64,
                             status: LedgerPayment.Status(rawValue: status) ?? .pending,
                             settledOn: settledOn.flatMap(BusinessDate.init), gatewayTxId: row.optional(7) as String?)
    }

    /// The event types the summary reads, and only they, are indexed by date and type
    /// (`events_summary`, v19): every summary query names this condition, so that SQLite
    /// knows the partial index holds its rows. `table` qualifies the column.
    static let summaryEventTypes: [EventType] = [
        .requestFailed, .planQuoted, .planDeclined, .paymentFailed, .paymentDeferred, .policyEstablished,
        .withdrawalRequested, .withdrawalCompleted, .withdrawalCancelled, .withdrawalRejected,
    ]
    static func summaryEvents(_ table: String = "") -> String {
        "(" + summaryEventTypes.map { "\(table)type = '\($0.rawValue)'" }.joined(separator: " OR ") + ")"
    }

    /// `type = ? AND occurred_on = ?`, within the indexed types.
    private static let ofDay = "type = ? AND occurred_on = ? AND " + summaryEvents()

    static let countOfDaySQL = "SELECT COUNT(*) FROM events WHERE " + ofDay
    static let failuresOfDaySQL = """
        SELECT json_extract(payload, '$.request.errors[0].field'), json_extract(payload, '$.request.errors[0].reason')
        FROM events WHERE
        """ + " " + ofDay
    static let declineReasonsOfDaySQL = """
        SELECT json_extract(r.value, '$.code') FROM events e, json_each(e.payload, '$.plan.decline_reasons') r
        WHERE e.type = ? AND e.occurred_on = ? AND
        """ + " " + summaryEvents("e.")
    static let paymentDeclinesOfDaySQL = "SELECT json_extract(payload, '$.proposal.last_decline') FROM events WHERE " + ofDay
    static let premiumOfDaySQL = "SELECT COALESCE(SUM(json_extract(payload, '$.proposal.premium')), 0) FROM events WHERE " + ofDay
    static let refundsOfDaySQL = "SELECT COALESCE(SUM(json_extract(payload, '$.withdrawal.refund_amount')), 0) FROM events WHERE " + ofDay

    /// The rejected lines of the files received on a date: the day's files first (a few), then
    /// their rejections by file (`CROSS JOIN` keeps that order; without statistics SQLite read
    /// every rejection ever recorded instead).
    static let rejectionsOfDaySQL = """
        SELECT x.errors FROM inbox_files f CROSS JOIN intake_rejections x ON x.file_id = f.file_id
        WHERE f.received_on = ? ORDER BY x.id
        """
}
