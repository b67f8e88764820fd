import EzCore
import Foundation

/// The sandbox PG's HTTP API, shaped like Korean PG APIs (Toss Payments style): JSON bodies
/// in camelCase, HTTP Basic auth with the secret key as user name and an empty password,
/// an `Idempotency-Key` header on every mutating call.
///
/// | call | answer |
/// |---|---|
/// | `POST /v1/payments/confirm` (`PGConfirmRequest`) | 200 `PGPayment`, status DONE or ABORTED (declined, with `failure`) |
/// | `POST /v1/payments/{paymentKey}/cancel` (`PGCancelRequest`, `cancelAmount` for a partial cancel) | 200 `PGPayment` of type CANCEL |
/// | `GET /v1/payments/idempotency-keys/{key}` | 200 `PGPayment`, or 404 `NOT_FOUND_PAYMENT` |
/// | `GET /v1/settlements?date=YYYY-MM-DD` | 200 `text/csv`: the settlement statement |
/// | `GET` / `POST /admin/faults` (`PGFaultsUpdate`) | 200 `PGFaults` in force |
///
/// Errors are `PGErrorBody` (`{"code": ..., "message": ...}`): 400 INVALID_REQUEST,
/// 401 UNAUTHORIZED_KEY, 404 NOT_FOUND_PAYMENT, 409 IDEMPOTENCY_CONFLICT,
/// 503 PROVIDER_ERROR (retry later).
public enum PGWire {
    public static let confirmPath = "/v1/payments/confirm"
    public static func cancelPath(paymentKey: String) -> String { "/v1/payments/\(escape(paymentKey))/cancel" }
    public static func lookupPath(idempotencyKey: String) -> String { "/v1/payments/idempotency-keys/\(escape(idempotencyKey))" }
    public static func settlementsPath(date: BusinessDate) -> String { "/v1/settlements?date=\(date)" }
    public static let faultsPath = "/admin/faults"
    public static let idempotencyHeader = "Idempotency-Key"

    /// Percent-encodes one path segment.
    public static func escape(_ segment: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return segment.addingPercentEncoding(withAllowedCharacters: allowed) ?? segment
    }

    /// `Basic base64(secret + ":")`, as Toss expects the secret key.
    public static func basicAuthorization(secret: String) -> String {
        "Basic " + Data((secret + ":").utf8).base64EncodedString()
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    static func encode<T: Encodable>(_ value: T) -> Data {
        (try? encoder.encode(value)) ?? Data("{}".utf8)
    }
}

/// `POST /v1/payments/confirm`: charge an instrument for an order.
public struct PGConfirmRequest: Codable, Hashable, Sendable {
    public var orderId: String
    public var amount: Int64
    /// `CARD` or `TRANSFER` (account).
    public var method: String
    public var cardToken: String?
    public var bankCode: String?
    public var accountNumber: String?
    public var customerName: String
    /// The merchant's business date (YYYY-MM-DD), used as the settlement date.
    public var businessDate: String

    public init(_ r: ChargeRequest) {
        orderId = r.orderId
        amount = r.amount
        customerName = r.holderName
        businessDate = r.businessDate.description
        switch r.instrument {
        case .card(let token):
            method = "CARD"
            cardToken = token
        case .account(let bank, let number):
            method = "TRANSFER"
            bankCode = bank
            accountNumber = number
        }
    }

    /// The charge this asks for, with the header's key.
    public func charge(idempotencyKey: String) throws(GatewayError) -> ChargeRequest {
        guard let date = BusinessDate(businessDate) else { throw .invalidRequest("businessDate: not a date: \(businessDate)") }
        let instrument: PaymentInstrument
        switch method {
        case "CARD":
            guard let cardToken, !cardToken.isEmpty else { throw .invalidRequest("cardToken is required for CARD") }
            instrument = .card(token: cardToken)
        case "TRANSFER":
            guard let bankCode, let accountNumber else { throw .invalidRequest("bankCode and accountNumber are required for TRANSFER") }
            instrument = .account(bankCode: bankCode, accountNo: accountNumber)
        default:
            throw .invalidRequest("method must be CARD or TRANSFER: \(method)")
        }
        return ChargeRequest(idempotencyKey: idempotencyKey, orderId: orderId, amount: amount,
                             instrument: instrument, holderName: customerName, businessDate: date)
    }
}

/// `POST /v1/payments/{paymentKey}/cancel`: cancel all or part (`cancelAmount`) of a payment.
public struct PGCancelRequest: Codable, Hashable, Sendable {
    public var cancelReason: String
    public var cancelAmount: Int64
    public var orderId: String
    public var businessDate: String

    public init(_ r: RefundRequest) {
        cancelReason = r.reason
        cancelAmount = r.amount
        orderId = r.orderId
        businessDate = r.businessDate.description
    }

    public func refund(paymentKey: String, idempotencyKey: String) throws(GatewayError) -> RefundRequest {
        guard let date = BusinessDate(businessDate) else { throw .invalidRequest("businessDate: not a date: \(businessDate)") }
        return RefundRequest(idempotencyKey: idempotencyKey, originalTransactionId: paymentKey, orderId: orderId,
                             amount: cancelAmount, reason: cancelReason, businessDate: date)
    }
}

/// A payment or cancel as the PG answers it.
public struct PGPayment: Codable, Hashable, Sendable {
    /// This transaction's id.
    public var transactionKey: String
    /// The payment (charge) it belongs to: itself for a charge, the original for a cancel.
    public var paymentKey: String
    public var orderId: String
    public var idempotencyKey: String
    /// `CHARGE` or `CANCEL`.
    public var type: String
    /// `DONE` (approved charge), `CANCELED` (approved cancel) or `ABORTED` (declined).
    public var status: String
    public var amount: Int64
    public var fee: Int64
    /// Settlement date (the business date the PG recorded).
    public var approvedAt: String
    public var failure: PGErrorBody?

    public init(_ t: GatewayTransaction) {
        transactionKey = t.transactionId
        paymentKey = t.originalTransactionId ?? t.transactionId
        orderId = t.orderId
        idempotencyKey = t.idempotencyKey
        type = t.type == .charge ? "CHARGE" : "CANCEL"
        status = t.isApproved ? (t.type == .charge ? "DONE" : "CANCELED") : "ABORTED"
        amount = t.amount
        fee = t.fee
        approvedAt = t.businessDate.description
        failure = t.declineCode.map { PGErrorBody(code: $0, message: t.declineMessage ?? $0) }
    }

    public func transaction() throws(GatewayError) -> GatewayTransaction {
        guard let date = BusinessDate(approvedAt) else { throw .invalidRequest("approvedAt: not a date: \(approvedAt)") }
        let kind: GatewayTransactionType = type == "CANCEL" ? .cancel : .charge
        let approved = status != "ABORTED"
        return GatewayTransaction(
            transactionId: transactionKey, idempotencyKey: idempotencyKey, orderId: orderId, type: kind,
            amount: amount, fee: fee, status: approved ? .approved : .declined,
            declineCode: approved ? nil : (failure?.code ?? "DECLINED"),
            declineMessage: approved ? nil : failure?.message,
            businessDate: date, originalTransactionId: kind == .cancel ? paymentKey : nil)
    }
}

/// `{"code": ..., "message": ...}`: an error, or the reason of a decline.
public struct PGErrorBody: Codable, Hashable, Sendable {
    public var code: String
    public var message: String
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}

/// The sandbox's faults as the admin endpoint shows and takes them (absent fields unchanged).
public struct PGFaultsUpdate: Codable, Hashable, Sendable {
    public var outage: Bool?
    public var latencyMs: Int?
    public var failEvery: Int?
    public var timeoutAfterCommit: Bool?
    public var lateAnswerMs: Int?

    public init(outage: Bool? = nil, latencyMs: Int? = nil, failEvery: Int? = nil,
                timeoutAfterCommit: Bool? = nil, lateAnswerMs: Int? = nil) {
        self.outage = outage
        self.latencyMs = latencyMs
        self.failEvery = failEvery
        self.timeoutAfterCommit = timeoutAfterCommit
        self.lateAnswerMs = lateAnswerMs
    }

    enum CodingKeys: String, CodingKey {
        case outage, latencyMs = "latency_ms", failEvery = "fail_every"
        case timeoutAfterCommit = "timeout_after_commit", lateAnswerMs = "late_answer_ms"
    }
}
