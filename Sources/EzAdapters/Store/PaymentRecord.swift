import EzCore

/// One row of our payment ledger: a charge or refund with the idempotency key fixed before
/// the gateway is called.
public struct PaymentRecord: Hashable, Sendable {
    public enum Kind: String, Sendable { case charge = "CHARGE", refund = "REFUND" }
    public enum Status: String, Sendable { case pending = "PENDING", approved = "APPROVED", declined = "DECLINED" }

    public var paymentId: Int64
    public var idempotencyKey: String
    public var proposalNo: String
    public var kind: Kind
    public var amount: Int64
    public var status: Status
    public var requestedOn: BusinessDate
    public var settledOn: BusinessDate?
    public var gatewayTxId: String?
    public var originalTxId: String?
    public var declineCode: String?
    public var declineMessage: String?
    public var lastError: String?
    /// Times the gateway was unavailable for this payment.
    public var deferrals: Int
    /// Wall-clock time (ISO 8601) before which a deferred payment is not retried (backoff).
    public var nextAttemptAt: String?
}
