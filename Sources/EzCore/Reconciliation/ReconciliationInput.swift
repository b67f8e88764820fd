/// One of our payment ledger rows as reconciliation sees it.
public struct LedgerPayment: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable { case charge = "CHARGE", refund = "REFUND" }
    public enum Status: String, Hashable, Sendable { case pending = "PENDING", approved = "APPROVED", declined = "DECLINED" }

    public var idempotencyKey: String
    public var proposalNo: String
    public var productCode: String
    public var kind: Kind
    public var amount: Int64
    public var status: Status
    public var settledOn: BusinessDate?
    public var gatewayTxId: String?

    public init(idempotencyKey: String, proposalNo: String, productCode: String, kind: Kind, amount: Int64,
                status: Status, settledOn: BusinessDate?, gatewayTxId: String?) {
        self.idempotencyKey = idempotencyKey
        self.proposalNo = proposalNo
        self.productCode = productCode
        self.kind = kind
        self.amount = amount
        self.status = status
        self.settledOn = settledOn
        self.gatewayTxId = gatewayTxId
    }
}

/// A refund still pending after its due date.
public struct OverdueRefund: Hashable, Sendable {
    public var withdrawalNo: String
    public var proposalNo: String
    public var productCode: String
    public var amount: Int64
    public var dueOn: BusinessDate
    public var lastError: String?

    public init(withdrawalNo: String, proposalNo: String, productCode: String, amount: Int64, dueOn: BusinessDate,
                lastError: String?) {
        self.withdrawalNo = withdrawalNo
        self.proposalNo = proposalNo
        self.productCode = productCode
        self.amount = amount
        self.dueOn = dueOn
        self.lastError = lastError
    }
}

/// An ACTIVE policy and the proposal it came from.
public struct PolicyRef: Hashable, Sendable {
    public var policyNo: String
    public var proposalNo: String
    public var productCode: String
    public var establishedOn: BusinessDate

    public init(policyNo: String, proposalNo: String, productCode: String, establishedOn: BusinessDate) {
        self.policyNo = policyNo
        self.proposalNo = proposalNo
        self.productCode = productCode
        self.establishedOn = establishedOn
    }
}

/// Everything the matching needs for one business date, read by the caller.
public struct ReconciliationInput: Hashable, Sendable {
    public var date: BusinessDate
    /// The statement's lines; nil when there is no statement for the date.
    public var statement: [SettlementRecord]?
    /// Lines of the statement that could not be read.
    public var statementErrors: [SettlementParseError]
    /// Our payments with a verdict on `date` (approved or declined).
    public var settledOnDate: [LedgerPayment]
    /// Our payments whose key appears on the statement, whatever their date (by key).
    public var byStatementKey: [String: LedgerPayment]
    /// Keys of `settledOnDate` found on another date's statement (timing differences).
    public var onOtherStatements: [String: BusinessDate]
    public var overdueRefunds: [OverdueRefund]
    public var activeWithoutCharge: [PolicyRef]
    /// Approved charges (settled on or before `date`) whose proposal has no policy.
    public var chargesWithoutPolicy: [LedgerPayment]
    public var operations: OperationsSummary

    public init(date: BusinessDate, statement: [SettlementRecord]?, statementErrors: [SettlementParseError] = [],
                settledOnDate: [LedgerPayment], byStatementKey: [String: LedgerPayment],
                onOtherStatements: [String: BusinessDate] = [:], overdueRefunds: [OverdueRefund] = [],
                activeWithoutCharge: [PolicyRef] = [], chargesWithoutPolicy: [LedgerPayment] = [],
                operations: OperationsSummary = OperationsSummary()) {
        self.date = date
        self.statement = statement
        self.statementErrors = statementErrors
        self.settledOnDate = settledOnDate
        self.byStatementKey = byStatementKey
        self.onOtherStatements = onOtherStatements
        self.overdueRefunds = overdueRefunds
        self.activeWithoutCharge = activeWithoutCharge
        self.chargesWithoutPolicy = chargesWithoutPolicy
        self.operations = operations
    }
}
