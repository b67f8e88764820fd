/// A proposal (청약) for a quoted plan, carried through first-premium payment to the contract.
public struct Proposal: Hashable, Sendable, Codable {
    public var proposalNo: String
    public var requestId: String
    public var planNo: String
    public var customerNo: String
    public var productCode: String
    public var productName: String
    public var versionId: String
    public var sumInsured: Int64
    /// First premium to charge (one payment at the plan's frequency).
    public var premium: Int64
    public var submittedOn: BusinessDate
    /// Masked payment instrument (`card ****1234`); the full instrument stays in the payment module.
    public var paymentMethod: String
    public var status: ProposalStatus
    /// Charge attempts that reached a verdict (declines count; gateway outages do not).
    public var attempts: Int
    public var nextAttemptOn: BusinessDate?
    public var lastDecline: String?
    public var policyNo: String?
    public var establishedOn: BusinessDate?

    public init(proposalNo: String, requestId: String, planNo: String, customerNo: String,
                productCode: String, productName: String, versionId: String, sumInsured: Int64,
                premium: Int64, submittedOn: BusinessDate, paymentMethod: String,
                status: ProposalStatus = .submitted) {
        self.proposalNo = proposalNo
        self.requestId = requestId
        self.planNo = planNo
        self.customerNo = customerNo
        self.productCode = productCode
        self.productName = productName
        self.versionId = versionId
        self.sumInsured = sumInsured
        self.premium = premium
        self.submittedOn = submittedOn
        self.paymentMethod = paymentMethod
        self.status = status
        self.attempts = 0
    }

    enum CodingKeys: String, CodingKey {
        case proposalNo = "proposal_no", requestId = "request_id", planNo = "plan_no"
        case customerNo = "customer_no", productCode = "product_code", productName = "product_name"
        case versionId = "version_id", sumInsured = "sum_insured", premium
        case submittedOn = "submitted_on", paymentMethod = "payment_method", status, attempts
        case nextAttemptOn = "next_attempt_on", lastDecline = "last_decline", policyNo = "policy_no"
        case establishedOn = "established_on"
    }
}

/// A withdrawal (청약철회) of a proposal or of the contract it became.
public struct Withdrawal: Hashable, Sendable, Codable {
    public var withdrawalNo: String
    public var requestId: String
    public var proposalNo: String
    public var customerNo: String
    public var policyNo: String?
    public var requestedOn: BusinessDate
    public var reason: String?
    public var status: WithdrawalStatus
    public var refundAmount: Int64
    public var refundDueOn: BusinessDate?
    public var decidedOn: BusinessDate?
    public var rejectionReasons: [String]

    public init(withdrawalNo: String, requestId: String, proposalNo: String, customerNo: String,
                requestedOn: BusinessDate, reason: String?) {
        self.withdrawalNo = withdrawalNo
        self.requestId = requestId
        self.proposalNo = proposalNo
        self.customerNo = customerNo
        self.requestedOn = requestedOn
        self.reason = reason
        self.status = .requested
        self.refundAmount = 0
        self.rejectionReasons = []
    }

    enum CodingKeys: String, CodingKey {
        case withdrawalNo = "withdrawal_no", requestId = "request_id", proposalNo = "proposal_no"
        case customerNo = "customer_no", policyNo = "policy_no", requestedOn = "requested_on", reason
        case status, refundAmount = "refund_amount", refundDueOn = "refund_due_on"
        case decidedOn = "decided_on", rejectionReasons = "rejection_reasons"
    }
}
