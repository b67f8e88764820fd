/// Every kind of state change the event log records.
public enum EventType: String, Sendable, Codable, CaseIterable, CaseTagged {
    case requestAccepted = "request.accepted"
    case requestRejected = "request.rejected"
    case requestProcessed = "request.processed"
    case requestFailed = "request.failed"
    case customerRegistered = "customer.registered"
    case customerUpdated = "customer.updated"
    case planQuoted = "plan.quoted"
    case planDeclined = "plan.declined"
    case planExpired = "plan.expired"
    case documentIssued = "document.issued"
    case proposalSubmitted = "proposal.submitted"
    case paymentRequested = "payment.requested"
    case paymentDeferred = "payment.deferred"
    case paymentFailed = "payment.failed"
    case paymentSettled = "payment.settled"
    case policyEstablished = "policy.established"
    case proposalNotConcluded = "proposal.not_concluded"
    case proposalCancelled = "proposal.cancelled"
    case proposalWithdrawn = "proposal.withdrawn"
    case withdrawalRequested = "withdrawal.requested"
    case withdrawalRejected = "withdrawal.rejected"
    case withdrawalCancelled = "withdrawal.cancelled"
    case refundPending = "refund.pending"
    case withdrawalCompleted = "withdrawal.completed"
}

extension EventType {
    /// The events whose payload is a request's outcome (`EventPayload.request`); every other
    /// event carries a customer, plan, proposal or withdrawal.
    public var isRequestOutcome: Bool {
        switch self {
        case .requestAccepted, .requestRejected, .requestProcessed, .requestFailed: true
        default: false
        }
    }
}
