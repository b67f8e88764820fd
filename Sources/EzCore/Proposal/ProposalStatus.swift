/// Lifecycle of a proposal (청약) up to the contract and its end (SPEC section 6).
public enum ProposalStatus: String, LifecycleStatus, Codable {
    case submitted = "SUBMITTED"
    case paymentPending = "PAYMENT_PENDING"
    case paymentDeferred = "PAYMENT_DEFERRED"
    case paymentFailed = "PAYMENT_FAILED"
    case paid = "PAID"
    case active = "ACTIVE"
    case notConcluded = "NOT_CONCLUDED"
    case cancelled = "CANCELLED"
    case withdrawn = "WITHDRAWN"

    public var successors: Set<ProposalStatus> {
        switch self {
        case .submitted: [.paymentPending, .cancelled]
        case .paymentPending: [.paid, .paymentDeferred, .paymentFailed, .cancelled]
        case .paymentDeferred: [.paymentPending, .cancelled]
        case .paymentFailed: [.paymentPending, .notConcluded, .cancelled]
        case .paid: [.active]
        case .active: [.withdrawn]
        case .notConcluded, .cancelled, .withdrawn: []
        }
    }

    /// No premium has been taken: a withdrawal cancels instead of refunding.
    public var isUnpaid: Bool {
        [.submitted, .paymentPending, .paymentDeferred, .paymentFailed].contains(self)
    }

    /// Counts toward the customer's aggregate sum insured (pending or in force).
    public var holdsCover: Bool {
        [.submitted, .paymentPending, .paymentDeferred, .paymentFailed, .paid, .active].contains(self)
    }
}
