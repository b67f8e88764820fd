import EzCore
import Foundation
import Testing

/// A clock the test moves by hand.
private final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var t: Double = 1000
    var now: Double { lock.withLock { t } }
    func advance(_ seconds: Double) { lock.withLock { t += seconds } }
}

/// A gateway whose next answers the test scripts; counts the calls that reach it.
private final class ScriptedGateway: PaymentGateway, @unchecked Sendable {
    private let lock = NSLock()
    private var failures: [GatewayError?] = []
    private var fallback: GatewayError?
    private(set) var calls = 0

    func failNext(_ errors: GatewayError?...) { lock.withLock { failures.append(contentsOf: errors) } }
    func failAlways(_ error: GatewayError?) { lock.withLock { fallback = error } }
    var callCount: Int { lock.withLock { calls } }

    private func answer() throws {
        let error: GatewayError? = lock.withLock {
            calls += 1
            return failures.isEmpty ? fallback : failures.removeFirst()
        }
        if let error { throw error }
    }

    func charge(_ request: ChargeRequest) throws -> GatewayTransaction {
        try answer()
        return GatewayTransaction(transactionId: "T1", idempotencyKey: request.idempotencyKey,
                                  orderId: request.orderId, type: .charge, amount: request.amount,
                                  fee: 0, status: .approved, businessDate: request.businessDate)
    }

    func refund(_ request: RefundRequest) throws -> GatewayTransaction {
        try answer()
        return GatewayTransaction(transactionId: "T2", idempotencyKey: request.idempotencyKey,
                                  orderId: request.orderId, type: .cancel, amount: request.amount,
                                  fee: 0, status: .approved, businessDate: request.businessDate,
                                  originalTransactionId: request.originalTransactionId)
    }

    func lookup(idempotencyKey: String) throws -> GatewayTransaction? {
        try answer()
        return nil
    }
}

/// The scripted gateway taking each `chargeAll` as one call (one `batchCalls` count).
private final class BatchingGateway: PaymentGateway, @unchecked Sendable {
    let inner = ScriptedGateway()
    private let lock = NSLock()
    private var batches = 0
    var batchCalls: Int { lock.withLock { batches } }
    var takesBatches: Bool { true }

    func chargeAll(_ requests: [ChargeRequest]) throws -> [Result<GatewayTransaction, GatewayError>] {
        lock.withLock { batches += 1 }
        return requests.map { r in Result { try inner.charge(r) }.mapError { $0 as! GatewayError } }
    }
    func refundAll(_ requests: [RefundRequest]) throws -> [Result<GatewayTransaction, GatewayError>] {
        lock.withLock { batches += 1 }
        return requests.map { r in Result { try inner.refund(r) }.mapError { $0 as! GatewayError } }
    }
    func charge(_ request: ChargeRequest) throws -> GatewayTransaction { try inner.charge(request) }
    func refund(_ request: RefundRequest) throws -> GatewayTransaction { try inner.refund(request) }
    func lookup(idempotencyKey: String) throws -> GatewayTransaction? { try inner.lookup(idempotencyKey: idempotencyKey) }
}

private let day = BusinessDate("2025-03-10")!

private func chargeRequest(_ n: Int = 1) -> ChargeRequest {
    ChargeRequest(idempotencyKey: "charge:P\(n):1", orderId: "P\(n)", amount: 50_000,
                  instrument: .card(token: "tok_visa_4242"), holderName: "홍길동", businessDate: day)
}

@Suite struct CircuitBreakerTests {
    @Test func opensAfterThresholdConsecutiveFailures() {
        var b = CircuitBreaker(failureThreshold: 3, coolDown: 30)
        #expect(b.acquire(now: 0) == true)
        b.recordFailure(now: 0)
        #expect(b.acquire(now: 1) == true)
        b.recordFailure(now: 1)
        #expect(b.state == .closed)
        #expect(b.acquire(now: 2) == true)
        b.recordFailure(now: 2)
        #expect(b.state == .open(since: 2))
        #expect(b.isOpen(at: 3))
        #expect(b.acquire(now: 3) == false)
        #expect(b.acquire(now: 31.9) == false)
    }

    @Test func successResetsTheFailureCount() {
        var b = CircuitBreaker(failureThreshold: 2, coolDown: 10)
        #expect(b.acquire(now: 0) == true); b.recordFailure(now: 0)
        #expect(b.acquire(now: 0) == true); b.recordSuccess()
        #expect(b.consecutiveFailures == 0)
        #expect(b.acquire(now: 0) == true); b.recordFailure(now: 0)
        #expect(b.state == .closed)
    }

    @Test func halfOpenAdmitsOneProbeThenSuccessCloses() {
        var b = CircuitBreaker(failureThreshold: 1, coolDown: 10)
        #expect(b.acquire(now: 0) == true); b.recordFailure(now: 0)
        #expect(b.state == .open(since: 0))
        #expect(b.state(at: 10) == .halfOpen)
        #expect(b.acquire(now: 10) == true)        // the probe
        #expect(b.state == .halfOpen)
        #expect(b.acquire(now: 10.5) == false)     // a second call while the probe is out
        b.recordSuccess()
        #expect(b.state == .closed)
        #expect(b.acquire(now: 11) == true)
    }

    @Test func failedProbeReopensForAnotherCoolDown() {
        var b = CircuitBreaker(failureThreshold: 1, coolDown: .seconds(10))
        #expect(b.coolDown == 10)
        #expect(b.acquire(now: 0) == true); b.recordFailure(now: 0)
        #expect(b.acquire(now: 12) == true)
        b.recordFailure(now: 12)
        #expect(b.state == .open(since: 12))
        #expect(b.acquire(now: 21) == false)
        #expect(b.acquire(now: 22) == true)
    }

    @Test func onlyTransientErrorsCount() {
        #expect(CircuitBreaker.countsAsFailure(GatewayError.unavailable("down")))
        #expect(CircuitBreaker.countsAsFailure(GatewayError.timeout))
        #expect(!CircuitBreaker.countsAsFailure(GatewayError.idempotencyConflict(key: "k")))
        #expect(!CircuitBreaker.countsAsFailure(GatewayError.invalidRequest("x")))
        #expect(!CircuitBreaker.countsAsFailure(CocoaError(.fileNoSuchFile)))
    }

    @Test func breakerGatewayStopsCallingWhileOpen() throws {
        let clock = ManualClock()
        let inner = ScriptedGateway()
        let gateway = BreakerGateway(wrapping: inner, breaker: CircuitBreaker(failureThreshold: 2, coolDown: 60),
                                     now: { clock.now })
        inner.failAlways(.unavailable("connection refused"))

        #expect(throws: GatewayError.unavailable("connection refused")) { try gateway.charge(chargeRequest(1)) }
        #expect(throws: GatewayError.timeout) {
            inner.failNext(.timeout)
            _ = try gateway.charge(chargeRequest(2))
        }
        #expect(inner.callCount == 2)
        #expect(gateway.isOpen)

        // Open: refused without reaching the gateway, for every operation.
        #expect(throws: GatewayError.unavailable(BreakerGateway.circuitOpenReason)) { try gateway.charge(chargeRequest(3)) }
        #expect(throws: GatewayError.unavailable("circuit open")) { try gateway.lookup(idempotencyKey: "k") }
        #expect(throws: GatewayError.unavailable("circuit open")) {
            try gateway.refund(RefundRequest(idempotencyKey: "r", originalTransactionId: "T1", orderId: "P1",
                                             amount: 1, reason: "청약철회", businessDate: day))
        }
        #expect(inner.callCount == 2)
        #expect(gateway.refusedCalls == 3)

        // After the cool-down one probe goes out; it fails and the breaker reopens.
        clock.advance(60)
        #expect(!gateway.isOpen)
        #expect(throws: GatewayError.unavailable("connection refused")) { try gateway.charge(chargeRequest(4)) }
        #expect(inner.callCount == 3)
        #expect(throws: GatewayError.unavailable("circuit open")) { try gateway.charge(chargeRequest(5)) }
        #expect(inner.callCount == 3)

        // Gateway back: the next probe succeeds and closes the breaker.
        inner.failAlways(nil)
        clock.advance(60)
        let t = try gateway.charge(chargeRequest(6))
        #expect(t.isApproved)
        #expect(gateway.currentBreaker.state == .closed)
        _ = try gateway.lookup(idempotencyKey: "charge:P6:1")
        #expect(inner.callCount == 5)
    }

    @Test func aGatewayWithoutBatchesIsGuardedChargeByCharge() throws {
        let clock = ManualClock()
        let inner = ScriptedGateway()
        let gateway = BreakerGateway(wrapping: inner, breaker: CircuitBreaker(failureThreshold: 2, coolDown: 60),
                                     now: { clock.now })
        inner.failNext(nil, .unavailable("503"), .unavailable("503"))
        let results = try gateway.chargeAll((1...5).map { chargeRequest($0) })
        #expect(!gateway.takesBatches)
        #expect((try? results[0].get())?.isApproved == true)
        #expect(results[1...2].allSatisfy { if case .failure(.unavailable("503")) = $0 { true } else { false } })
        #expect(results[3...4].allSatisfy { if case .failure(.unavailable("circuit open")) = $0 { true } else { false } })
        #expect(inner.callCount == 3, "the open breaker stops calling in the middle of the batch")
    }

    @Test func aBatchIsAdmittedAsOneCallAndEachAnswerCounts() throws {
        let clock = ManualClock()
        let batching = BatchingGateway()
        let gateway = BreakerGateway(wrapping: batching, breaker: CircuitBreaker(failureThreshold: 2, coolDown: 60),
                                     now: { clock.now })
        #expect(gateway.takesBatches)
        #expect(try gateway.chargeAll((1...3).map { chargeRequest($0) }).allSatisfy { (try? $0.get()) != nil })
        #expect(batching.batchCalls == 1)
        batching.inner.failNext(nil, .unavailable("503"), .unavailable("503"))
        let second = try gateway.chargeAll((4...6).map { chargeRequest($0) })
        #expect((try? second[0].get()) != nil)
        #expect(gateway.isOpen, "two transient failures in the batch open the breaker")
        let refused = try gateway.chargeAll((7...8).map { chargeRequest($0) })
        #expect(refused.allSatisfy { if case .failure(.unavailable("circuit open")) = $0 { true } else { false } })
        #expect(batching.batchCalls == 2)
        #expect(gateway.refusedCalls == 1)
    }

    @Test func aBatchOfRefundsIsAdmittedAsOneCallAndEachAnswerCounts() throws {
        let clock = ManualClock()
        let batching = BatchingGateway()
        let gateway = BreakerGateway(wrapping: batching, breaker: CircuitBreaker(failureThreshold: 2, coolDown: 60),
                                     now: { clock.now })
        func refunds(_ range: ClosedRange<Int>) -> [RefundRequest] {
            range.map { RefundRequest(idempotencyKey: "refund:P\($0)", originalTransactionId: "T\($0)", orderId: "P\($0)",
                                      amount: 50_000, reason: "청약철회", businessDate: day) }
        }
        #expect(try gateway.refundAll(refunds(1...3)).allSatisfy { (try? $0.get()) != nil })
        #expect(batching.batchCalls == 1)
        batching.inner.failNext(.unavailable("503"), .unavailable("503"))
        _ = try gateway.refundAll(refunds(4...5))
        #expect(gateway.isOpen, "two transient failures in the batch open the breaker")
        let refused = try gateway.refundAll(refunds(6...7))
        #expect(refused.allSatisfy { if case .failure(.unavailable("circuit open")) = $0 { true } else { false } })
        #expect(batching.batchCalls == 2)
    }

    @Test func businessErrorsDoNotOpenTheBreaker() {
        let clock = ManualClock()
        let inner = ScriptedGateway()
        let gateway = BreakerGateway(wrapping: inner, breaker: CircuitBreaker(failureThreshold: 1, coolDown: 60),
                                     now: { clock.now })
        inner.failAlways(.invalidRequest("over-refund"))
        for n in 1...3 {
            #expect(throws: GatewayError.invalidRequest("over-refund")) { try gateway.charge(chargeRequest(n)) }
        }
        #expect(!gateway.isOpen)
        #expect(inner.callCount == 3)
    }
}
