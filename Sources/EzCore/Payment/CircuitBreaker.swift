import Foundation

/// A circuit breaker for one run, with time handed in by the caller (seconds, any origin).
///
/// - closed: calls go out; `failureThreshold` consecutive transient failures (unavailable,
///   timeout) open it.
/// - open: calls are refused until `coolDown` seconds have passed since it opened.
/// - half-open: exactly one probe goes out; its success closes the breaker, its failure
///   reopens it for another `coolDown`.
///
/// Any answer from the gateway (approved, declined, conflict, invalid request) is a success:
/// the gateway is reachable.
public struct CircuitBreaker: Hashable, Sendable {
    public enum State: Hashable, Sendable {
        case closed
        case open(since: Double)
        case halfOpen
    }

    public let failureThreshold: Int
    /// Seconds the breaker stays open before it lets one probe through.
    public let coolDown: Double
    public private(set) var state: State = .closed
    public private(set) var consecutiveFailures = 0
    private var probeInFlight = false

    public init(failureThreshold: Int = 3, coolDown: Double = 30) {
        precondition(failureThreshold >= 1, "failureThreshold must be at least 1")
        precondition(coolDown >= 0, "coolDown must not be negative")
        self.failureThreshold = failureThreshold
        self.coolDown = coolDown
    }

    public init(failureThreshold: Int = 3, coolDown: Duration) {
        let (s, atto) = coolDown.components
        self.init(failureThreshold: failureThreshold, coolDown: Double(s) + Double(atto) / 1e18)
    }

    /// The state as seen at `now`: an open breaker whose cool-down has passed reads half-open.
    public func state(at now: Double) -> State {
        if case .open(let since) = state, now - since >= coolDown { return .halfOpen }
        return state
    }

    /// True when a call at `now` would be refused.
    public func isOpen(at now: Double) -> Bool {
        switch state(at: now) {
        case .open: true
        case .halfOpen: probeInFlight
        case .closed: false
        }
    }

    /// Asks to place a call at `now`. Returns false when the call must not go out. In
    /// half-open state, admits one probe and refuses others until that probe is recorded.
    public mutating func acquire(now: Double) -> Bool {
        switch state {
        case .closed:
            return true
        case .open(let since):
            guard now - since >= coolDown else { return false }
            state = .halfOpen
            probeInFlight = true
            return true
        case .halfOpen:
            if probeInFlight { return false }
            probeInFlight = true
            return true
        }
    }

    /// The gateway answered: close and forget past failures.
    public mutating func recordSuccess() {
        state = .closed
        consecutiveFailures = 0
        probeInFlight = false
    }

    /// The gateway failed transiently at `now`.
    public mutating func recordFailure(now: Double) {
        consecutiveFailures += 1
        switch state {
        case .closed:
            if consecutiveFailures >= failureThreshold { state = .open(since: now) }
        case .halfOpen:
            state = .open(since: now)
            probeInFlight = false
        case .open:
            break // a straggler from before it opened; keep the original cool-down
        }
    }

    /// Whether an error counts against the breaker (only unavailable and timeout do).
    public static func countsAsFailure(_ error: any Error) -> Bool {
        (error as? GatewayError)?.isTransient ?? false
    }
}

/// Applies a `CircuitBreaker` to any gateway: while open, calls throw
/// `GatewayError.unavailable("circuit open")` without reaching the wrapped gateway.
///
/// Safe to share between threads; the lock is not held during the wrapped call.
public final class BreakerGateway: PaymentGateway, @unchecked Sendable {
    public static let circuitOpenReason = "circuit open"

    private let wrapped: any PaymentGateway
    private let now: @Sendable () -> Double
    private let lock = NSLock()
    private var breaker: CircuitBreaker
    private var refused = 0

    /// - Parameters:
    ///   - now: the caller's clock in seconds (a manual clock in tests).
    public init(wrapping gateway: any PaymentGateway, breaker: CircuitBreaker = CircuitBreaker(),
                now: @escaping @Sendable () -> Double) {
        self.wrapped = gateway
        self.breaker = breaker
        self.now = now
    }

    /// A snapshot of the breaker.
    public var currentBreaker: CircuitBreaker { lock.withLock { breaker } }

    /// True when a call now would be refused without calling the gateway.
    public var isOpen: Bool {
        let t = now()
        return lock.withLock { breaker.isOpen(at: t) }
    }

    /// How many calls the open breaker refused so far.
    public var refusedCalls: Int { lock.withLock { refused } }

    public func charge(_ request: ChargeRequest) throws -> GatewayTransaction {
        try guarded { try wrapped.charge(request) }
    }

    public func refund(_ request: RefundRequest) throws -> GatewayTransaction {
        try guarded { try wrapped.refund(request) }
    }

    public func lookup(idempotencyKey: String) throws -> GatewayTransaction? {
        try guarded { try wrapped.lookup(idempotencyKey: idempotencyKey) }
    }

    public var takesBatches: Bool { wrapped.takesBatches }
    public var callsInFlight: Int { wrapped.callsInFlight }

    public func chargeAll(_ requests: [ChargeRequest]) throws -> [Result<GatewayTransaction, GatewayError>] {
        try batch(requests, one: { [wrapped] in try wrapped.charge($0) }, all: wrapped.chargeAll)
    }

    public func refundAll(_ requests: [RefundRequest]) throws -> [Result<GatewayTransaction, GatewayError>] {
        try batch(requests, one: { [wrapped] in try wrapped.refund($0) }, all: wrapped.refundAll)
    }

    /// A batch the wrapped gateway takes in one call is admitted as one call, and each answer
    /// counts as a success or failure in order; otherwise every call is guarded on its own,
    /// so a failing gateway stops being called in the middle of a batch: one after another,
    /// or up to `callsInFlight` at once (the calls already in flight when the breaker opens
    /// still get their answers; no call starts after it).
    private func batch<Request: Sendable>(_ requests: [Request],
                                          one: @escaping @Sendable (Request) throws -> GatewayTransaction,
                                          all: ([Request]) throws -> [Result<GatewayTransaction, GatewayError>]) throws -> [Result<GatewayTransaction, GatewayError>] {
        guard wrapped.takesBatches else {
            return try InFlight.map(requests, atOnce: wrapped.callsInFlight) { request in
                try Self.answer { try self.guarded { try one(request) } }
            }
        }
        guard admit() else { return requests.map { _ in .failure(.unavailable(Self.circuitOpenReason)) } }
        let results: [Result<GatewayTransaction, GatewayError>]
        do { results = try all(requests) } catch {
            record(error)
            throw error
        }
        for result in results {
            switch result {
            case .success: lock.withLock { breaker.recordSuccess() }
            case .failure(let error): record(error)
            }
        }
        return results
    }

    /// Whether the breaker lets a call through now; counts the calls it refuses.
    private func admit() -> Bool {
        lock.withLock {
            let ok = breaker.acquire(now: now())
            if !ok { refused += 1 }
            return ok
        }
    }

    private func record(_ error: any Error) {
        if CircuitBreaker.countsAsFailure(error) {
            let t = now()
            lock.withLock { breaker.recordFailure(now: t) }
        } else {
            lock.withLock { breaker.recordSuccess() }
        }
    }

    private func guarded<T>(_ call: () throws -> T) throws -> T {
        guard admit() else { throw GatewayError.unavailable(Self.circuitOpenReason) }
        do {
            let result = try call()
            lock.withLock { breaker.recordSuccess() }
            return result
        } catch {
            record(error)
            throw error
        }
    }
}
