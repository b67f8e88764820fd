import EzCore
import GRDB

/// The payment ledger: one row per gateway call we intend, keyed by its idempotency key.
extension StoreTransaction {
    /// Records the intent to call the gateway under `key`; returns the existing row when the
    /// key is already known (a retry keeps its key).
    public func intendPayment(key: String, proposalNo: String, kind: PaymentRecord.Kind, amount: Int64,
                              on date: BusinessDate, originalTxId: String? = nil) throws -> PaymentRecord {
        if let existing = try payment(key: key) { return existing }
        try insertPaymentIntent(key: key, proposalNo: proposalNo, kind: kind, amount: amount, on: date,
                                originalTxId: originalTxId)
        guard let row = try payment(key: key) else { throw StoreError.corrupt("payment \(key) vanished") }
        return row
    }

    /// `intendPayment` for a key the caller has just found unknown in this transaction: the
    /// row is inserted without looking the key up again (a known key still fails, on the
    /// ledger's unique key, rather than being charged twice).
    public func insertPaymentIntent(key: String, proposalNo: String, kind: PaymentRecord.Kind, amount: Int64,
                                    on date: BusinessDate, originalTxId: String? = nil) throws {
        try run("""
            INSERT INTO payments(idempotency_key, proposal_no, kind, amount, status, requested_on, original_tx_id)
            VALUES (?, ?, ?, ?, 'PENDING', ?, ?)
            """, [key, proposalNo, kind.rawValue, amount, date.description, originalTxId])
    }

    public func payment(key: String) throws -> PaymentRecord? {
        try firstRow(PaymentRecord.byKey, [key], PaymentRecord.init(row:))
    }

    /// The approved charge of a proposal, if any.
    public func approvedCharge(proposalNo: String) throws -> PaymentRecord? {
        try firstRow("""
            SELECT \(PaymentRecord.columns) FROM payments WHERE proposal_no = ? AND kind = 'CHARGE' AND status = 'APPROVED'
            """, [proposalNo], PaymentRecord.init(row:))
    }

    /// The charge still waiting for a gateway verdict, if any.
    public func pendingCharge(proposalNo: String) throws -> PaymentRecord? {
        try firstRow(Self.pendingChargeSQL, [proposalNo], PaymentRecord.init(row:))
    }

    /// Searches the pending payments by proposal (`payments_pending_by_proposal`, migration v17).
    static let pendingChargeSQL = """
        SELECT \(PaymentRecord.columns) FROM payments WHERE proposal_no = ? AND kind = 'CHARGE' AND status = 'PENDING'
        """

    /// Records the gateway's verdict on a pending payment; false when the payment was not
    /// pending (its verdict recorded already, by another run).
    @discardableResult
    public func settlePayment(key: String, approved: Bool, on date: BusinessDate, transactionId: String?,
                              declineCode: String?, declineMessage: String?) throws -> Bool {
        try run("""
            UPDATE payments SET status = ?, settled_on = ?, gateway_tx_id = ?, decline_code = ?,
                decline_message = ?, last_error = NULL
            WHERE idempotency_key = ? AND status = 'PENDING'
            """, [approved ? "APPROVED" : "DECLINED", date.description, transactionId,
                             declineCode, declineMessage, key])
        return db.changesCount > 0
    }

    /// Records that the gateway could not be reached for a pending payment: the reason, one
    /// more deferral, and the time before which it is not retried. Returns the deferral count.
    @discardableResult
    public func deferPayment(key: String, reason: String, backoff: (Int) -> String) throws -> Int {
        let count = (try Int.fetchOne(try db.cachedStatement(sql: "SELECT deferrals FROM payments WHERE idempotency_key = ?"), arguments: [key]) ?? 0) + 1
        try run("UPDATE payments SET last_error = ?, deferrals = ?, next_attempt_at = ? WHERE idempotency_key = ?", [reason, count, backoff(count), key])
        return count
    }

    /// Notes why a pending payment could not be completed this time.
    public func notePaymentError(key: String, _ message: String) throws {
        try run("UPDATE payments SET last_error = ? WHERE idempotency_key = ?", [message, key])
    }

    /// Every ledger row, for reports and checks.
    public func payments() throws -> [PaymentRecord] {
        try rows("SELECT \(PaymentRecord.columns) FROM payments ORDER BY payment_id", [], PaymentRecord.init(row:))
    }
}

extension PaymentRecord {
    /// The columns `init(row:)` reads, in its order.
    static let columns = """
        payment_id, idempotency_key, proposal_no, kind, amount, status, requested_on, settled_on, \
        gateway_tx_id, original_tx_id, decline_code, decline_message, last_error, deferrals, next_attempt_at
        """

    /// One payment by its idempotency key (asked several times per payment: built once).
    static let byKey = "SELECT \(columns) FROM payments WHERE idempotency_key = ?"

    /// A row selected with `columns`, read by position.
    init(row: ColumnRow) {
        let kind: String = row[3], status: String = row[5], requestedOn: String = row[6], settledOn: String? = row.optional(7)
        self.init(
            paymentId: row[0] as Int64, idempotencyKey: row[1] as String, proposalNo: row[2] as String,
            kind: Kind(rawValue: kind) ?? .charge, amount: row[4] as Int64,
            status: Status(rawValue: status) ?? .pending,
            requestedOn: BusinessDate(requestedOn)!, settledOn: settledOn.flatMap(BusinessDate.init),
            gatewayTxId: row.optional(8) as String?, originalTxId: row.optional(9) as String?,
            declineCode: row.optional(10) as String?, declineMessage: row.optional(11) as String?, lastError: row.optional(12) as String?,
            deferrals: row[13] as Int, nextAttemptAt: row.optional(14) as String?)
    }
}
