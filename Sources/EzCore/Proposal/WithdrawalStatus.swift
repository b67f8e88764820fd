/// Lifecycle of a withdrawal (청약철회):
/// REQUESTED -> REFUND_PENDING -> WITHDRAWN | CANCELLED (before payment) | WITHDRAWAL_REJECTED.
public enum WithdrawalStatus: String, LifecycleStatus, Codable {
    case requested = "REQUESTED"
    case refundPending = "REFUND_PENDING"
    case withdrawn = "WITHDRAWN"
    case cancelled = "CANCELLED"
    case rejected = "WITHDRAWAL_REJECTED"

    public var successors: Set<WithdrawalStatus> {
        switch self {
        case .requested: [.refundPending, .cancelled, .rejected]
        case .refundPending: [.withdrawn]
        case .withdrawn, .cancelled, .rejected: []
        }
    }
}
