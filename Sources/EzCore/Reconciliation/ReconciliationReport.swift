/// What reconciliation found for one business date.
public struct ReconciliationReport: Hashable, Sendable {
    public enum StatementState: String, Hashable, Sendable {
        case present
        /// No statement for the date: nothing on our side could be matched.
        case missing
    }

    public var date: BusinessDate
    public var statement: StatementState
    /// Where the statement came from (file name, "exported from the sandbox ledger", ...).
    public var statementSource: String
    public var statementLines: Int
    /// Matched lines as the report lists them: the statement's lines in its order, then our
    /// payments found on an earlier statement; all of them when reconciled in memory
    /// (`Reconciler.reconcile`), the first `ReconciliationRenderer.matchedListed` when streamed
    /// (the CSV then has every one, written as they were matched).
    public var matched: [Match]
    /// Every matched line (`matched` may list only the first).
    public var matchedCount: Int
    public var discrepancies: [Discrepancy]
    public var productTotals: [ProductTotal]
    public var operations: OperationsSummary

    public init(date: BusinessDate, statement: StatementState, statementSource: String, statementLines: Int,
                matched: [Match], matchedCount: Int? = nil, discrepancies: [Discrepancy], productTotals: [ProductTotal],
                operations: OperationsSummary) {
        self.date = date
        self.statement = statement
        self.statementSource = statementSource
        self.statementLines = statementLines
        self.matched = matched
        self.matchedCount = matchedCount ?? matched.count
        self.discrepancies = discrepancies
        self.productTotals = productTotals
        self.operations = operations
    }

    /// Discrepancies of one kind.
    public func count(_ kind: Discrepancy.Kind) -> Int { discrepancies.filter { $0.kind == kind }.count }
}

/// A statement line and our payment that agree.
public struct Match: Hashable, Sendable {
    public var idempotencyKey: String
    public var transactionId: String
    public var orderId: String
    public var productCode: String
    /// `charge` or `cancel`.
    public var type: String
    public var status: String
    public var amount: Int64
    public var fee: Int64
    /// Set when the two sides recorded it on different dates.
    public var timingNote: String?

    public init(idempotencyKey: String, transactionId: String, orderId: String, productCode: String, type: String,
                status: String, amount: Int64, fee: Int64, timingNote: String? = nil) {
        self.idempotencyKey = idempotencyKey
        self.transactionId = transactionId
        self.orderId = orderId
        self.productCode = productCode
        self.type = type
        self.status = status
        self.amount = amount
        self.fee = fee
        self.timingNote = timingNote
    }
}

/// One thing finance must look at.
public struct Discrepancy: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case statementMissing = "STATEMENT_MISSING"
        case statementUnreadableLine = "STATEMENT_UNREADABLE_LINE"
        /// On the PG's statement, not in our ledger (or ours is still pending).
        case missingOnOurSide = "MISSING_ON_OUR_SIDE"
        /// In our ledger for the date, not on the PG's statement.
        case missingOnTheirSide = "MISSING_ON_THEIR_SIDE"
        case amountMismatch = "AMOUNT_MISMATCH"
        /// Approved on one side, declined on the other, or charge vs cancel.
        case statusMismatch = "STATUS_MISMATCH"
        case refundOverdue = "REFUND_OVERDUE"
        case activeWithoutCharge = "ACTIVE_WITHOUT_CHARGE"
        case chargeWithoutPolicy = "CHARGE_WITHOUT_POLICY"

        /// Heading for reports.
        public var title: String {
            switch self {
            case .statementMissing: "Statement missing"
            case .statementUnreadableLine: "Unreadable statement lines"
            case .missingOnOurSide: "Missing on our side"
            case .missingOnTheirSide: "Missing on their side"
            case .amountMismatch: "Amount mismatches"
            case .statusMismatch: "Status mismatches"
            case .refundOverdue: "Refunds overdue"
            case .activeWithoutCharge: "ACTIVE policies without a settled charge"
            case .chargeWithoutPolicy: "Charges without a policy"
            }
        }
    }

    public var kind: Kind
    /// The idempotency key, withdrawal or policy number it is about.
    public var reference: String
    public var orderId: String
    public var productCode: String
    public var ourAmount: Int64?
    public var theirAmount: Int64?
    public var detail: String

    public init(kind: Kind, reference: String, orderId: String, productCode: String, ourAmount: Int64?,
                theirAmount: Int64?, detail: String) {
        self.kind = kind
        self.reference = reference
        self.orderId = orderId
        self.productCode = productCode
        self.ourAmount = ourAmount
        self.theirAmount = theirAmount
        self.detail = detail
    }
}

/// Money of one product on the date (approved payments on our side; fees from the statement).
public struct ProductTotal: Hashable, Sendable {
    public var productCode: String
    public var charges = 0
    public var chargeAmount: Int64 = 0
    public var refunds = 0
    public var refundAmount: Int64 = 0
    /// Fees on matched lines: charge fees minus fees given back by cancels.
    public var fees: Int64 = 0
    public var net: Int64 { chargeAmount - refundAmount }

    public init(productCode: String) { self.productCode = productCode }
}
