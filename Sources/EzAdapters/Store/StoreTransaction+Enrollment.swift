import EzCore
import GRDB

/// Customers, plans, documents, proposals, policies and withdrawals.
extension StoreTransaction {
    public func customer(_ no: String) throws -> Customer? {
        try json(Customer.self, "SELECT data FROM customers WHERE customer_no = ?", [no])
    }

    public func save(_ customer: Customer) throws {
        try run("""
            INSERT INTO customers(customer_no, data) VALUES (?, ?)
            ON CONFLICT(customer_no) DO UPDATE SET data = excluded.data
            """, [customer.customerNo, try snapshot(customer)])
    }

    public func plan(_ no: String) throws -> Plan? {
        try json(Plan.self, "SELECT data FROM plans WHERE plan_no = ?", [no])
    }

    public func plan(requestId: String) throws -> Plan? {
        try json(Plan.self, "SELECT data FROM plans WHERE request_id = ?", [requestId])
    }

    /// The stored premium breakdown (JSON) of a plan.
    public func breakdown(ofPlan no: String) throws -> String? {
        try String.fetchOne(try db.cachedStatement(sql: "SELECT breakdown FROM plans WHERE plan_no = ?"), arguments: [no])
    }

    /// `proposed`: a proposal for the plan follows in this transaction (written with
    /// `markingPlan: false`).
    public func insert(_ plan: Plan, breakdown: UTF8Text?, proposed: Bool = false) throws {
        try run("""
            INSERT INTO plans(plan_no, request_id, customer_no, product_code, status, expires_on, data, breakdown, proposed)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [plan.planNo, plan.requestId, plan.customerNo, plan.productCode,
                             plan.status.rawValue, plan.expiresOn.description, try snapshot(plan), breakdown, proposed])
    }

    public func update(_ plan: Plan) throws {
        try run("UPDATE plans SET status = ?, data = ? WHERE plan_no = ?", [plan.status.rawValue, try snapshot(plan), plan.planNo])
    }

    static let plansExpiringSQL = """
        SELECT data FROM plans WHERE status = 'QUOTED' AND proposed = 0 AND expires_on < ?
        ORDER BY expires_on, plan_no LIMIT ?
        """

    /// Quoted plans whose validity ended before `date` and that were never proposed.
    public func plansExpiring(before date: BusinessDate, limit: Int) throws -> [Plan] {
        try jsonAll(Plan.self, Self.plansExpiringSQL, [date.description, limit])
    }

    /// `customerName`: the insured's name the document shows, as it is when the document is issued.
    public func insertDocument(no: String, planNo: String, issuedOn: BusinessDate, fileName: String, customerName: String) throws {
        try run("""
            INSERT INTO documents(document_no, plan_no, issued_on, file_name, customer_name) VALUES (?, ?, ?, ?, ?)
            """, [no, planNo, issuedOn.description, fileName, customerName])
    }

    /// The first file (relative to `documents/`, by name: the date, then the number of its
    /// first document) with a document not yet written, if any.
    public func nextUnpublishedDocumentFile() throws -> String? {
        try String.fetchOne(try db.cachedStatement(sql: Self.nextUnpublishedFileSQL))
    }

    static let nextUnpublishedFileSQL = "SELECT file_name FROM documents WHERE published = 0 ORDER BY file_name LIMIT 1"

    /// The unpublished documents that go into `fileName`, in number order; `customerName` is
    /// nil for documents issued by a version that did not record it.
    public func unpublishedDocuments(inFile fileName: String) throws
        -> [(documentNo: String, planNo: String, issuedOn: String, customerName: String?)] {
        try Row.fetchAll(try db.cachedStatement(sql: """
            SELECT document_no, plan_no, issued_on, customer_name FROM documents WHERE published = 0 AND file_name = ?
            ORDER BY document_no
            """), arguments: [fileName]).map { ($0[0], $0[1], $0[2], $0[3]) }
    }

    /// Where a document was (or will be) written, relative to `documents/`, and whether it is written yet.
    public func documentFile(_ no: String) throws -> (fileName: String, published: Bool)? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT file_name, published FROM documents WHERE document_no = ?"),
                         arguments: [no]).map { ($0["file_name"], $0["published"]) }
    }

    /// Marks every document of the bundle file `fileName` written: one statement for a
    /// requests chunk's bundle (all its documents, and only they, go to the file named after
    /// its first).
    public func markBundlePublished(fileName: String) throws {
        try run("UPDATE documents SET published = 1 WHERE file_name = ? AND published = 0", [fileName])
    }

    public func markDocumentsPublished(_ numbers: [String]) throws {
        for no in numbers {
            try run("UPDATE documents SET published = 1 WHERE document_no = ?", [no])
        }
    }

    public func proposal(_ no: String) throws -> Proposal? {
        try json(Proposal.self, "SELECT data FROM proposals WHERE proposal_no = ?", [no])
    }

    /// The proposal as its row holds it now: `known` when the row still holds `json`, the bytes
    /// `known` was decoded from in an earlier transaction (the same bytes decode to the same
    /// record), else decoded again. A charge's verdict takes the proposal its intent read: most
    /// rows are unchanged by then, and the decode cost more than the rest of the lookup.
    public func proposal(_ no: String, readAs json: [UInt8], known: Proposal) throws -> Proposal? {
        try firstRow("SELECT data FROM proposals WHERE proposal_no = ?", [no]) { row in
            try row.holds(0, json) ? known : row.json(Proposal.self, 0)
        }
    }

    public func proposal(requestId: String) throws -> Proposal? {
        try json(Proposal.self, "SELECT data FROM proposals WHERE request_id = ?", [requestId])
    }

    public func proposal(forPlan planNo: String) throws -> Proposal? {
        try json(Proposal.self, "SELECT data FROM proposals WHERE plan_no = ?", [planNo])
    }

    /// `markingPlan`: marks the plan proposed (false when its row was inserted as proposed).
    public func insert(_ proposal: Proposal, payment: PaymentInfo, markingPlan: Bool = true) throws {
        // A proposed plan never expires (its quote validity no longer matters).
        if markingPlan { try run("UPDATE plans SET proposed = 1 WHERE plan_no = ?", [proposal.planNo]) }
        try run("""
            INSERT INTO proposals(proposal_no, request_id, plan_no, customer_no, product_code, status,
                                  next_attempt_on, instrument, holder_name, data)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [proposal.proposalNo, proposal.requestId, proposal.planNo, proposal.customerNo,
                             proposal.productCode, proposal.status.rawValue, proposal.nextAttemptOn?.description,
                             try StoreJSON.encode(payment.instrument), payment.holderName,
                             try snapshot(proposal)])
    }

    public func update(_ proposal: Proposal) throws {
        try run("UPDATE proposals SET status = ?, next_attempt_on = ?, data = ? WHERE proposal_no = ?", [proposal.status.rawValue, proposal.nextAttemptOn?.description,
                                   try snapshot(proposal), proposal.proposalNo])
    }

    /// The condition of the partial index of payable proposals (migration v16), word for word,
    /// so that SQLite uses it.
    static let payable = ConstantLists.comparisons("status", ["PAYMENT_PENDING", "PAYMENT_DEFERRED", "PAYMENT_FAILED"])

    /// The next proposals whose first premium is due to be charged on `date`, after `cursor`,
    /// each with the full payment instrument it is charged with (kept only in the proposal's
    /// row, for the gateway), read from the same row.
    ///
    /// The walk reads the index of payable proposals by due date, so proposals due on a later
    /// day (declined today, retried tomorrow) are never read. It takes the proposals due on
    /// `date` first, then those due earlier (a day without a run), then any without a due
    /// date, each in number order. Settling a proposal only ever moves it to `date` (deferred),
    /// to the next day (declined) or out of the walk, so no proposal is met twice in one walk.
    public func chargesDue(on date: BusinessDate, limit: Int, after cursor: PayableCursor) throws -> [DueCharge] {
        let payable = Self.payable
        let day = date.description
        let columns = "data, instrument, holder_name"
        func charge(_ row: ColumnRow) throws -> DueCharge {
            DueCharge(proposal: try row.json(Proposal.self, 0), json: row.utf8(0),
                      payment: PaymentInfo(instrument: try row.json(PaymentInstrument.self, 1), holderName: row[2]))
        }
        var cursor = cursor
        while true {
            let batch: [DueCharge]
            switch cursor.segment {
            case .dueOnDate:
                batch = try rows("""
                    SELECT \(columns) FROM proposals WHERE \(payable) AND next_attempt_on = ? AND proposal_no > ?
                    ORDER BY next_attempt_on, proposal_no LIMIT ?
                    """, [day, cursor.proposalNo, limit], charge)
            case .overdue:
                batch = try rows("""
                    SELECT \(columns) FROM proposals WHERE \(payable) AND next_attempt_on < ?
                      AND (next_attempt_on, proposal_no) > (?, ?)
                    ORDER BY next_attempt_on, proposal_no LIMIT ?
                    """, [day, cursor.dueOn, cursor.proposalNo, limit], charge)
            case .undated:
                batch = try rows("""
                    SELECT \(columns) FROM proposals WHERE \(payable) AND next_attempt_on IS NULL AND proposal_no > ?
                    ORDER BY next_attempt_on, proposal_no LIMIT ?
                    """, [cursor.proposalNo, limit], charge)
            }
            guard batch.isEmpty, let next = cursor.segment.next else { return batch }
            cursor = PayableCursor(segment: next)
        }
    }

    /// Sum insured the customer already holds in `productCode` over pending and active proposals.
    public func heldSumInsured(customerNo: String, productCode: String) throws -> Int64 {
        try firstRow(Self.heldSumInsuredSQL, [customerNo, productCode]) { $0[0] as Int64 } ?? 0
    }

    /// Built once: building it per call (joining the statuses) took more than half of the
    /// lookup's time, once per quote.
    static let heldSumInsuredSQL = """
        SELECT COALESCE(SUM(json_extract(data, '$.sum_insured')), 0) FROM proposals
        WHERE customer_no = ? AND product_code = ? AND \(
            ConstantLists.comparisons("status", ProposalStatus.allCases.filter(\.holdsCover).map(\.rawValue)))
        """

    public func insertPolicy(no: String, proposalNo: String, customerNo: String, on date: BusinessDate) throws {
        try run("""
            INSERT INTO policies(policy_no, proposal_no, customer_no, established_on, delivered_on, status)
            VALUES (?, ?, ?, ?, ?, 'ACTIVE')
            """, [no, proposalNo, customerNo, date.description, date.description])
    }

    public func policyDeliveredOn(proposalNo: String) throws -> BusinessDate? {
        let text = try firstRow("SELECT delivered_on FROM policies WHERE proposal_no = ?", [proposalNo]) { $0.optional(0) as String? }
        return text.flatMap { $0 }.flatMap(BusinessDate.init)
    }

    public func withdrawPolicy(proposalNo: String) throws {
        try run("UPDATE policies SET status = 'WITHDRAWN' WHERE proposal_no = ?", [proposalNo])
    }

    public func withdrawal(requestId: String) throws -> Withdrawal? {
        try json(Withdrawal.self, "SELECT data FROM withdrawals WHERE request_id = ?", [requestId])
    }

    /// The open or completed withdrawal of a proposal, if any (rejected ones do not count).
    /// The statuses are those of the partial unique index `withdrawals_one_open` (migration
    /// v16), word for word, so that SQLite searches it: `status <> 'WITHDRAWAL_REJECTED'`
    /// scanned the whole table (15 ms a withdrawal request at 1M).
    public func openWithdrawal(proposalNo: String) throws -> Withdrawal? {
        try json(Withdrawal.self, Self.openWithdrawalSQL, [proposalNo])
    }

    static let openWithdrawalSQL = """
        SELECT data FROM withdrawals WHERE proposal_no = ?
          AND \(ConstantLists.comparisons("status", ["REQUESTED", "REFUND_PENDING", "WITHDRAWN", "CANCELLED"]))
        """

    public func insert(_ withdrawal: Withdrawal) throws {
        try run("INSERT INTO withdrawals(withdrawal_no, request_id, proposal_no, status, data) VALUES (?, ?, ?, ?, ?)", [withdrawal.withdrawalNo, withdrawal.requestId, withdrawal.proposalNo,
                                   withdrawal.status.rawValue, try snapshot(withdrawal)])
    }

    public func update(_ withdrawal: Withdrawal) throws {
        try run("UPDATE withdrawals SET status = ?, data = ? WHERE withdrawal_no = ?", [withdrawal.status.rawValue, try snapshot(withdrawal), withdrawal.withdrawalNo])
    }

    /// Withdrawals waiting for a decision or a refund, in number order.
    public func openWithdrawals(limit: Int, after: String) throws -> [Withdrawal] {
        try jsonAll(Withdrawal.self, """
            SELECT data FROM withdrawals WHERE status IN ('REQUESTED','REFUND_PENDING') AND withdrawal_no > ?
            ORDER BY withdrawal_no LIMIT ?
            """, [after, limit])
    }
}

/// A proposal whose first premium is due (`StoreTransaction.chargesDue`): the record, the JSON
/// its row held when it was read, and the instrument it is charged with.
public struct DueCharge: Sendable {
    public var proposal: Proposal
    /// The row's JSON as read: `proposal(_:readAs:known:)` tells by it whether the row changed.
    public var json: [UInt8]
    public var payment: PaymentInfo
}
