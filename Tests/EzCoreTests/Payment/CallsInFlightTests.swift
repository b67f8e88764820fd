import EzCore
import Foundation
import Testing

/// A gateway without batches that answers each charge after a pause, counting the calls in
/// flight at once; fails (unavailable) from call `failFrom` on, or throws a non-gateway error
/// for one order.
private final class SlowGateway: PaymentGateway, @unchecked Sendable {
    let callsInFlight: Int
    private let lock = NSLock()
    private var running = 0
    private(set) var mostAtOnce = 0
    private(set) var calls = 0
    private let pauseMs: UInt32
    private let failFrom: Int?
    private let brokenOrder: String?

    init(callsInFlight: Int, pauseMs: UInt32 = 20, failFrom: Int? = nil, brokenOrder: String? = nil) {
        self.callsInFlight = callsInFlight
        self.pauseMs = pauseMs
        self.failFrom = failFrom
        self.brokenOrder = brokenOrder
    }

    struct Broken: Error {}

    var stats: (calls: Int, mostAtOnce: Int) { lock.withLock { (calls, mostAtOnce) } }

    func charge(_ request: ChargeRequest) throws -> GatewayTransaction {
        let call: Int = lock.withLock {
            calls += 1
            running += 1
            mostAtOnce = max(mostAtOnce, running)
            return calls
        }
        usleep(pauseMs * 1000)
        lock.withLock { running -= 1 }
        if request.orderId == brokenOrder { throw Broken() }
        if let failFrom, call >= failFrom { throw GatewayError.unavailable("down") }
        return GatewayTransaction(transactionId: "T-\(request.orderId)", idempotencyKey: request.idempotencyKey,
                                  orderId: request.orderId, type: .charge, amount: request.amount,
                                  fee: 0, status: .approved, businessDate: request.businessDate)
    }

    func refund(_ request: RefundRequest) throws -> GatewayTransaction { throw GatewayError.invalidRequest("no refunds") }
    func lookup(idempotencyKey: String) throws -> GatewayTransaction? { nil }
}

private func charges(_ n: Int) -> [ChargeRequest] {
    (1...n).map {
        ChargeRequest(idempotencyKey: "chg-PR\($0)-1", orderId: "PR\($0)", amount: Int64(1_000 * $0),
                      instrument: .card(token: "tok_visa_4242"), holderName: "홍길동",
                      businessDate: BusinessDate("2026-12-01")!)
    }
}

@Suite struct CallsInFlightTests {
    @Test("a batch's charges go out several at once, never more than the gateway allows, answers in request order")
    func severalAtOnceInOrder() throws {
        let slow = SlowGateway(callsInFlight: 4)
        let gateway = BreakerGateway(wrapping: slow, now: { 0 })
        #expect(gateway.callsInFlight == 4)
        let answers = try gateway.chargeAll(charges(12))
        #expect(answers.map { try? $0.get().orderId } == (1...12).map { "PR\($0)" })
        let stats = slow.stats
        #expect(stats.calls == 12)
        #expect(stats.mostAtOnce <= 4, "more calls in flight than allowed: \(stats.mostAtOnce)")
        #expect(stats.mostAtOnce >= 2, "the calls went out one after another")
    }

    @Test("one call in flight: one after another, as before")
    func oneAtATime() throws {
        let slow = SlowGateway(callsInFlight: 1, pauseMs: 2)
        let answers = try BreakerGateway(wrapping: slow, now: { 0 }).chargeAll(charges(5))
        #expect(answers.count == 5 && slow.stats.mostAtOnce == 1)
    }

    @Test("the breaker opens mid-batch: the calls in flight end, no call starts after it, the rest answer circuit open")
    func breakerStopsNewCalls() throws {
        let slow = SlowGateway(callsInFlight: 4, failFrom: 1)
        let gateway = BreakerGateway(wrapping: slow, breaker: CircuitBreaker(failureThreshold: 1, coolDown: 600), now: { 0 })
        let answers = try gateway.chargeAll(charges(20))
        #expect(answers.count == 20)
        #expect(answers.allSatisfy { if case .failure(.unavailable) = $0 { true } else { false } }, "\(answers)")
        // At most the four calls in flight when the first failure opened the breaker reached it.
        #expect(slow.stats.calls <= 4, "\(slow.stats)")
        #expect(gateway.refusedCalls == 20 - slow.stats.calls)
    }

    @Test("an error that is not the gateway's answer stops the batch and is raised")
    func otherErrorsAbort() throws {
        let slow = SlowGateway(callsInFlight: 3, brokenOrder: "PR5")
        #expect(throws: SlowGateway.Broken.self) { try BreakerGateway(wrapping: slow, now: { 0 }).chargeAll(charges(30)) }
        // Calls already taken end; none starts once the error is known.
        #expect(slow.stats.calls < 30, "\(slow.stats)")
    }
}
