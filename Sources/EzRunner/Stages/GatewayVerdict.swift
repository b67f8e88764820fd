import EzCore

/// What the gateway said to one charge or refund, as the stages act on it.
enum GatewayVerdict {
    /// Approved or declined: a business result, recorded.
    case answered(GatewayTransaction)
    /// Nothing happened or the outcome is unknown: the key waits for a later attempt.
    case unavailable(GatewayError)
    /// A bug on our side (conflicting key, invalid request): noted, never retried.
    case refused(GatewayError)

    init(_ answer: Result<GatewayTransaction, GatewayError>) {
        switch answer {
        case .success(let transaction): self = .answered(transaction)
        case .failure(let error) where error.isTransient: self = .unavailable(error)
        case .failure(let error): self = .refused(error)
        }
    }

    /// Asks the gateway what it recorded under `key` (an earlier attempt may have reached it)
    /// and makes the call only when it recorded nothing.
    static func lookingUp(_ key: String, gateway: any PaymentGateway,
                          call: () throws -> GatewayTransaction) throws -> GatewayVerdict {
        do {
            if let earlier = try gateway.lookup(idempotencyKey: key) { return .answered(earlier) }
            return .answered(try call())
        } catch let error as GatewayError {
            return GatewayVerdict(.failure(error))
        }
    }
}

extension GatewayVerdict {
    /// `lookingUp` for each key with its request, up to the gateway's `callsInFlight` keys at
    /// once (keys known from an earlier attempt after an outage can be many); verdicts in the
    /// order of `keys`. `after` runs after each key's calls (a crash point).
    static func lookingUp<Request: Sendable>(_ keys: [(key: String, request: Request)], gateway: any PaymentGateway,
                                             call: @escaping @Sendable (any PaymentGateway, Request) throws -> GatewayTransaction,
                                             after: @escaping @Sendable () -> Void = {}) throws -> [GatewayVerdict] {
        try InFlight.map(keys, atOnce: gateway.callsInFlight) { item in
            let verdict = try lookingUp(item.key, gateway: gateway) { try call(gateway, item.request) }
            after()
            return verdict
        }
    }
}
