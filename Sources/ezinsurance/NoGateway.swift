import EzCore

/// For commands that must never reach the gateway.
struct NoGateway: PaymentGateway {
    func charge(_ request: ChargeRequest) throws -> GatewayTransaction { throw GatewayError.unavailable("no gateway in this command") }
    func refund(_ request: RefundRequest) throws -> GatewayTransaction { throw GatewayError.unavailable("no gateway in this command") }
    func lookup(idempotencyKey: String) throws -> GatewayTransaction? { throw GatewayError.unavailable("no gateway in this command") }
}
