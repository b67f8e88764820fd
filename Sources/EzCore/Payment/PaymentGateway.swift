/// The payment bounded context's port to a payment gateway (PG, 결제대행사).
///
/// Every call carries an idempotency key derived from our record (the same key on every
/// retry of the same business operation). A gateway must answer a repeated key with the
/// answer it stored the first time, and must refuse the key with another amount or order.
///
/// Outcomes:
/// - an approved or declined `GatewayTransaction` is a business result, returned normally;
/// - `GatewayError.unavailable`: nothing happened, try again later (the caller defers);
/// - `GatewayError.timeout`: the outcome is unknown; `lookup(idempotencyKey:)` before retrying;
/// - `GatewayError.idempotencyConflict` / `.invalidRequest`: a bug on our side, never retried.
///
/// Calls are synchronous: the runner is a batch process.
public protocol PaymentGateway: Sendable {
    /// Charges an instrument (초회보험료 결제). A decline comes back as a declined transaction.
    func charge(_ request: ChargeRequest) throws -> GatewayTransaction
    /// Cancels (refunds) all or part of an approved charge (결제 취소 / 환불).
    func refund(_ request: RefundRequest) throws -> GatewayTransaction
    /// The transaction stored under a key, or nil when the gateway never recorded it.
    func lookup(idempotencyKey: String) throws -> GatewayTransaction?
    /// Charges several instruments, answering each in request order: a transaction, or the
    /// `GatewayError` that call would have thrown. Other errors abort the whole call.
    /// The default charges them one by one.
    func chargeAll(_ requests: [ChargeRequest]) throws -> [Result<GatewayTransaction, GatewayError>]
    /// Refunds several charges, answered as `chargeAll` answers. The default refunds them one
    /// by one.
    func refundAll(_ requests: [RefundRequest]) throws -> [Result<GatewayTransaction, GatewayError>]
    /// Whether `chargeAll` and `refundAll` are each one call to the gateway (one round trip,
    /// one commit on its side), so a decorator such as the circuit breaker admits a batch as
    /// one call.
    var takesBatches: Bool { get }
    /// For a gateway that takes no batches: how many of a batch's separate calls may be in
    /// flight at once (each on its own connection). 1: one after another.
    var callsInFlight: Int { get }
}

extension PaymentGateway {
    public var takesBatches: Bool { false }
    public var callsInFlight: Int { 1 }

    public func chargeAll(_ requests: [ChargeRequest]) throws -> [Result<GatewayTransaction, GatewayError>] {
        try chargeOneByOne(requests)
    }

    public func refundAll(_ requests: [RefundRequest]) throws -> [Result<GatewayTransaction, GatewayError>] {
        try refundOneByOne(requests)
    }

    /// `chargeAll` as separate `charge` calls: each answer, or the `GatewayError` its call threw.
    public func chargeOneByOne(_ requests: [ChargeRequest]) throws -> [Result<GatewayTransaction, GatewayError>] {
        try requests.map { request in try Self.answer { try charge(request) } }
    }

    /// `refundAll` as separate `refund` calls.
    public func refundOneByOne(_ requests: [RefundRequest]) throws -> [Result<GatewayTransaction, GatewayError>] {
        try requests.map { request in try Self.answer { try refund(request) } }
    }

    /// The answer of one call: its transaction, or the `GatewayError` it threw (other errors
    /// are thrown on).
    static func answer(_ call: () throws -> GatewayTransaction) throws -> Result<GatewayTransaction, GatewayError> {
        do { return .success(try call()) } catch let error as GatewayError { return .failure(error) }
    }
}

/// A charge of `amount` KRW for one of our orders (the proposal number).
public struct ChargeRequest: Hashable, Sendable, Codable {
    public var idempotencyKey: String
    /// Our order reference: the proposal number.
    public var orderId: String
    /// Integer KRW, > 0.
    public var amount: Int64
    public var instrument: PaymentInstrument
    public var holderName: String
    public var businessDate: BusinessDate

    public init(idempotencyKey: String, orderId: String, amount: Int64,
                instrument: PaymentInstrument, holderName: String, businessDate: BusinessDate) {
        self.idempotencyKey = idempotencyKey
        self.orderId = orderId
        self.amount = amount
        self.instrument = instrument
        self.holderName = holderName
        self.businessDate = businessDate
    }

    enum CodingKeys: String, CodingKey {
        case idempotencyKey = "idempotency_key", orderId = "order_id", amount, instrument
        case holderName = "holder_name", businessDate = "business_date"
    }
}

/// A cancel of all or part of an approved charge.
public struct RefundRequest: Hashable, Sendable, Codable {
    public var idempotencyKey: String
    /// The gateway's id of the approved charge being cancelled.
    public var originalTransactionId: String
    /// Our order reference; must be the charge's order.
    public var orderId: String
    /// Integer KRW, > 0; all refunds of a charge together never exceed the charged amount.
    public var amount: Int64
    public var reason: String
    public var businessDate: BusinessDate

    public init(idempotencyKey: String, originalTransactionId: String, orderId: String,
                amount: Int64, reason: String, businessDate: BusinessDate) {
        self.idempotencyKey = idempotencyKey
        self.originalTransactionId = originalTransactionId
        self.orderId = orderId
        self.amount = amount
        self.reason = reason
        self.businessDate = businessDate
    }

    enum CodingKeys: String, CodingKey {
        case idempotencyKey = "idempotency_key", originalTransactionId = "original_transaction_id"
        case orderId = "order_id", amount, reason, businessDate = "business_date"
    }
}

public enum GatewayTransactionType: String, Hashable, Sendable, Codable, CaseIterable {
    case charge
    /// A cancel (refund) of an earlier charge.
    case cancel
}

public enum GatewayTransactionStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case approved
    case declined
}

/// What the gateway recorded for one call: approved or declined.
public struct GatewayTransaction: Hashable, Sendable, Codable {
    public var transactionId: String
    public var idempotencyKey: String
    public var orderId: String
    public var type: GatewayTransactionType
    /// Integer KRW, always positive; `type` says the direction.
    public var amount: Int64
    /// The gateway's fee in KRW, never negative. On a charge: what the merchant pays; on a
    /// cancel: the part of the charge's fee given back.
    public var fee: Int64
    public var status: GatewayTransactionStatus
    /// Set on a decline (e.g. `CARD_DECLINED`).
    public var declineCode: String?
    /// Korean message for a decline, fit for a customer notice.
    public var declineMessage: String?
    public var businessDate: BusinessDate
    /// On a cancel: the charge it cancels.
    public var originalTransactionId: String?

    public init(transactionId: String, idempotencyKey: String, orderId: String,
                type: GatewayTransactionType, amount: Int64, fee: Int64,
                status: GatewayTransactionStatus, declineCode: String? = nil,
                declineMessage: String? = nil, businessDate: BusinessDate,
                originalTransactionId: String? = nil) {
        self.transactionId = transactionId
        self.idempotencyKey = idempotencyKey
        self.orderId = orderId
        self.type = type
        self.amount = amount
        self.fee = fee
        self.status = status
        self.declineCode = declineCode
        self.declineMessage = declineMessage
        self.businessDate = businessDate
        self.originalTransactionId = originalTransactionId
    }

    public var isApproved: Bool { status == .approved }

    enum CodingKeys: String, CodingKey {
        case transactionId = "transaction_id", idempotencyKey = "idempotency_key"
        case orderId = "order_id", type, amount, fee, status
        case declineCode = "decline_code", declineMessage = "decline_message"
        case businessDate = "business_date", originalTransactionId = "original_transaction_id"
    }
}

/// Why a gateway call produced no business result. A decline is not an error.
public enum GatewayError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Outage, connection refused, circuit open: nothing happened; retry in a later run.
    case unavailable(String)
    /// No answer: the gateway may or may not have recorded the call. Look up the key first.
    case timeout
    /// The key was used before for another amount, order or operation. A bug; never retried.
    case idempotencyConflict(key: String)
    /// The gateway refuses the request (unknown or declined original, over-refund, bad amount).
    case invalidRequest(String)

    /// True for the failures a later retry can cure (and that a circuit breaker counts).
    public var isTransient: Bool {
        switch self {
        case .unavailable, .timeout: true
        case .idempotencyConflict, .invalidRequest: false
        }
    }

    public var description: String {
        switch self {
        case .unavailable(let why): "payment gateway unavailable: \(why)"
        case .timeout: "payment gateway timeout: outcome unknown"
        case .idempotencyConflict(let key): "idempotency key reused with another request: \(key)"
        case .invalidRequest(let why): "invalid payment request: \(why)"
        }
    }
}
