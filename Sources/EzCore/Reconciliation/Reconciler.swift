/// Matches our payments of a business date to the PG's settlement statement. Pure: the
/// caller reads the ledger and the statement and feeds them in (`ReconciliationMatcher`), so
/// that a night of any size is matched in the memory of its discrepancies, not of its lines;
/// `reconcile` runs it over inputs already in memory.
///
/// A statement line matches our payment with the same idempotency key when type, status and
/// amount agree (a line recorded by the PG on another date than ours still matches, with a
/// timing note). Lines without our payment (or whose payment is still pending on our side)
/// are missing on our side; our payments settled on the date without a line (on this or an
/// earlier statement) are missing on theirs.
public enum Reconciler {
    /// The report of inputs read whole; every matched line is in the report's `matched`.
    public static func reconcile(_ input: ReconciliationInput, statementSource: String) -> ReconciliationReport {
        var matcher = ReconciliationMatcher(date: input.date, listing: nil)
        input.statementErrors.forEach { matcher.unreadable($0) }
        var onStatement = Set<String>()
        for line in input.statement ?? [] {
            onStatement.insert(line.idempotencyKey)
            _ = matcher.line(line, ours: input.byStatementKey[line.idempotencyKey])
        }
        for ours in input.settledOnDate {
            matcher.settled(ours)
            guard input.statement != nil, !onStatement.contains(ours.idempotencyKey) else { continue }
            _ = matcher.notOnStatement(ours, other: input.onOtherStatements[ours.idempotencyKey])
        }
        return matcher.report(statement: input.statement == nil ? .missing : .present, source: statementSource,
                              overdueRefunds: input.overdueRefunds, activeWithoutCharge: input.activeWithoutCharge,
                              chargesWithoutPolicy: input.chargesWithoutPolicy, operations: input.operations)
    }
}

/// The matching of one business date, fed a line or a payment at a time:
///
/// 1. `unreadable` for each statement line that could not be read;
/// 2. `line` for each statement line, in the statement's order, with our payment under its
///    key whatever its date or status (nil when there is none);
/// 3. `settled` for each of our payments with a verdict on the date (the totals), and
///    `notOnStatement` for those whose key is on no line of the statement (when there is one),
///    with the date of an earlier statement that has it;
/// 4. `report`.
///
/// `line` and `notOnStatement` return the match they make, for the caller to write; the
/// matcher keeps their count and the first `listing` of them (all when nil), in the order made.
public struct ReconciliationMatcher: Sendable {
    public let date: BusinessDate
    /// How many matches the report lists (nil: all).
    public let listing: Int?
    public private(set) var matchedCount = 0
    private var listed: [Match] = []
    private var issues: [Discrepancy] = []
    private var totals: [String: ProductTotal] = [:]
    private var statementLines = 0
    private var settledCount = 0

    public init(date: BusinessDate, listing: Int? = ReconciliationRenderer.matchedListed) {
        self.date = date
        self.listing = listing
    }

    public mutating func unreadable(_ error: SettlementParseError) {
        issues.append(Discrepancy(kind: .statementUnreadableLine, reference: "line \(error.line)", orderId: "",
                                  productCode: "", ourAmount: nil, theirAmount: nil, detail: error.reason))
    }

    /// A statement line and our payment under its key (nil: none): the match, or nil when the
    /// line is a discrepancy.
    public mutating func line(_ line: SettlementRecord, ours: LedgerPayment?) -> Match? {
        statementLines += 1
        guard let ours, ours.status != .pending else {
            issues.append(Discrepancy(
                kind: .missingOnOurSide, reference: line.idempotencyKey, orderId: line.orderId,
                productCode: ours?.productCode ?? "", ourAmount: nil, theirAmount: line.amount,
                detail: ours != nil
                    ? "\(line.status) \(line.type) \(line.transactionId) at the PG; our record is still PENDING (look it up and settle it)"
                    : "\(line.status) \(line.type) \(line.transactionId) at the PG; no such payment in our ledger"))
            return nil
        }
        let ourType = ours.kind == .charge ? "charge" : "cancel"
        let ourStatus = ours.status == .approved ? "approved" : "declined"
        if ourType != line.type || ourStatus != line.status {
            issues.append(Discrepancy(
                kind: .statusMismatch, reference: line.idempotencyKey, orderId: line.orderId,
                productCode: ours.productCode, ourAmount: ours.amount, theirAmount: line.amount,
                detail: "ours \(ourStatus) \(ourType), theirs \(line.status) \(line.type) (\(line.transactionId))"))
            return nil
        }
        if ours.amount != line.amount {
            issues.append(Discrepancy(
                kind: .amountMismatch, reference: line.idempotencyKey, orderId: line.orderId,
                productCode: ours.productCode, ourAmount: ours.amount, theirAmount: line.amount,
                detail: "ours \(ours.amount), theirs \(line.amount): difference \(line.amount - ours.amount) (\(line.transactionId))"))
            return nil
        }
        if line.isApproved {
            total(ours.productCode) { $0.fees += line.isCharge ? line.fee : -line.fee }
        }
        return matched(Match(idempotencyKey: line.idempotencyKey, transactionId: line.transactionId,
                             orderId: line.orderId, productCode: ours.productCode, type: line.type,
                             status: line.status, amount: line.amount, fee: line.fee,
                             timingNote: ours.settledOn.flatMap { $0 == date ? nil : "settled on our side on \($0)" }))
    }

    /// One of our payments with a verdict on the date: approved ones count in the totals.
    public mutating func settled(_ ours: LedgerPayment) {
        settledCount += 1
        guard ours.status == .approved else { return }
        total(ours.productCode) { t in
            if ours.kind == .charge {
                t.charges += 1
                t.chargeAmount += ours.amount
            } else {
                t.refunds += 1
                t.refundAmount += ours.amount
            }
        }
    }

    /// One of our payments settled on the date whose key is on no line of the statement: a
    /// match when `other` (an earlier statement's date) has it, else missing on their side.
    public mutating func notOnStatement(_ ours: LedgerPayment, other: BusinessDate?) -> Match? {
        guard let other else {
            issues.append(Discrepancy(
                kind: .missingOnTheirSide, reference: ours.idempotencyKey, orderId: ours.proposalNo,
                productCode: ours.productCode, ourAmount: ours.amount, theirAmount: nil,
                detail: "our \(ours.status.rawValue.lowercased()) \(ours.kind.rawValue.lowercased()) \(ours.gatewayTxId ?? "-") is not on the statement"))
            return nil
        }
        return matched(Match(idempotencyKey: ours.idempotencyKey, transactionId: ours.gatewayTxId ?? "",
                             orderId: ours.proposalNo, productCode: ours.productCode,
                             type: ours.kind == .charge ? "charge" : "cancel",
                             status: ours.status == .approved ? "approved" : "declined",
                             amount: ours.amount, fee: 0, timingNote: "on the PG's statement of \(other)"))
    }

    /// The report, with the ledger's own checks. Discrepancies are sorted by kind, then
    /// reference, order and detail, so equal inputs give equal reports.
    public func report(statement: ReconciliationReport.StatementState, source: String,
                       overdueRefunds: [OverdueRefund] = [], activeWithoutCharge: [PolicyRef] = [],
                       chargesWithoutPolicy: [LedgerPayment] = [],
                       operations: OperationsSummary = OperationsSummary()) -> ReconciliationReport {
        var issues = self.issues
        if statement == .missing {
            issues.append(Discrepancy(kind: .statementMissing, reference: "settlement-\(date).csv", orderId: "",
                                      productCode: "", ourAmount: nil, theirAmount: nil,
                                      detail: "no settlement statement for \(date): \(settledCount) payment(s) of ours unmatched"))
        }
        for r in overdueRefunds {
            issues.append(Discrepancy(
                kind: .refundOverdue, reference: r.withdrawalNo, orderId: r.proposalNo, productCode: r.productCode,
                ourAmount: r.amount, theirAmount: nil,
                detail: "refund due \(r.dueOn), \(r.dueOn.days(until: date)) day(s) overdue" + (r.lastError.map { "; last error: \($0)" } ?? "")))
        }
        for p in activeWithoutCharge {
            issues.append(Discrepancy(
                kind: .activeWithoutCharge, reference: p.policyNo, orderId: p.proposalNo, productCode: p.productCode,
                ourAmount: nil, theirAmount: nil, detail: "policy established \(p.establishedOn) has no approved charge"))
        }
        for c in chargesWithoutPolicy {
            issues.append(Discrepancy(
                kind: .chargeWithoutPolicy, reference: c.idempotencyKey, orderId: c.proposalNo, productCode: c.productCode,
                ourAmount: c.amount, theirAmount: nil,
                detail: "approved charge \(c.gatewayTxId ?? "-") settled \(c.settledOn.map(\.description) ?? "-") but the proposal has no policy"))
        }
        let order = Dictionary(uniqueKeysWithValues: Discrepancy.Kind.allCases.enumerated().map { ($1, $0) })
        issues.sort {
            (order[$0.kind]!, $0.reference, $0.orderId, $0.detail) < (order[$1.kind]!, $1.reference, $1.orderId, $1.detail)
        }
        return ReconciliationReport(
            date: date, statement: statement, statementSource: source, statementLines: statementLines,
            matched: listed, matchedCount: matchedCount, discrepancies: issues,
            productTotals: totals.values.sorted { $0.productCode < $1.productCode }, operations: operations)
    }

    private mutating func matched(_ match: Match) -> Match {
        matchedCount += 1
        if listing.map({ listed.count < $0 }) ?? true { listed.append(match) }
        return match
    }

    private mutating func total(_ product: String, _ body: (inout ProductTotal) -> Void) {
        var t = totals[product] ?? ProductTotal(productCode: product)
        body(&t)
        totals[product] = t
    }
}
