import EzAdapters
import EzCore
import Foundation
import Testing

private let day = BusinessDate("2026-12-01")!

/// An in-process `pg-sandbox serve`: the sandbox HTTP service on a free loopback port, served
/// from a background thread until the value goes away.
final class SandboxServerHarness: @unchecked Sendable {
    let home: URL
    let sandbox: SandboxGateway
    let server: HTTPServer
    private let lock = NSLock()
    private var stop = false
    private let finished = DispatchSemaphore(value: 0)

    /// - Parameter connections: connections the server answers at once (`pg-sandbox serve
    ///   --connections`; 1: one after another).
    init(secret: PGSecret? = nil, connections: Int = 1) throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("ez-http-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        sandbox = try SandboxGateway(home: home)
        server = HTTPServer(host: "127.0.0.1", port: 0)
        server.tickMs = 10
        server.maxConnections = connections
        try server.open()
        let service = SandboxHTTPService(gateway: sandbox, secret: secret)
        let thread = Thread { [self] in
            try? server.serve(shouldStop: { self.lock.withLock { self.stop } }, listening: service.listening,
                              handler: service.handle)
            finished.signal()
        }
        thread.start()
    }

    var url: URL { URL(string: "http://127.0.0.1:\(server.port)")! }

    func client(secret: PGSecret? = nil, connectTimeoutMs: Int = 1_000, requestTimeoutMs: Int = 2_000,
                callsInFlight: Int = 1) throws -> HTTPPaymentGateway {
        try HTTPPaymentGateway(baseURL: url, secret: secret, connectTimeoutMs: connectTimeoutMs, requestTimeoutMs: requestTimeoutMs,
                               callsInFlight: callsInFlight)
    }

    deinit {
        lock.withLock { stop = true }
        finished.wait()
        try? FileManager.default.removeItem(at: home)
    }
}

private func charge(_ key: String, order: String = "PR0001", amount: Int64 = 100_000,
                    token: String = "tok_visa_4242") -> ChargeRequest {
    ChargeRequest(idempotencyKey: key, orderId: order, amount: amount, instrument: .card(token: token),
                  holderName: "홍길동", businessDate: day)
}

private func cancel(_ key: String, of original: String, order: String = "PR0001", amount: Int64) -> RefundRequest {
    RefundRequest(idempotencyKey: key, originalTransactionId: original, orderId: order, amount: amount,
                  reason: "청약철회", businessDate: day)
}

/// A loopback port nobody listens on.
private func deadPort() throws -> Int {
    let s = HTTPServer(host: "127.0.0.1", port: 0)
    try s.open()
    let port = s.port
    s.closeListener()
    return port
}

@Suite("HTTP payment gateway against pg-sandbox serve", .serialized)
struct HTTPGatewayTests {
    @Test func approvedChargeIsRecordedInTheSandboxLedgerAndReplayedUnderItsKey() throws {
        let h = try SandboxServerHarness()
        let pg = try h.client()
        let t = try pg.charge(charge("chg-PR0001-1", amount: 45_678))
        #expect(t.isApproved && t.type == .charge && t.transactionId == "T0000000001")
        #expect(t.fee == 1004)
        #expect(try pg.charge(charge("chg-PR0001-1", amount: 45_678)) == t)
        #expect(try h.sandbox.ledger() == [t])
        #expect(try pg.lookup(idempotencyKey: "chg-PR0001-1") == t)
        #expect(try pg.lookup(idempotencyKey: "never sent/with slash") == nil)
    }

    @Test func aDeclineIsATransactionNotAnError() throws {
        let h = try SandboxServerHarness()
        let t = try h.client().charge(charge("chg-PR0002-1", order: "PR0002", token: "tok_nofunds_1"))
        #expect(t.status == .declined)
        #expect(t.declineCode == "INSUFFICIENT_FUNDS")
        #expect(t.declineMessage == "잔액이 부족합니다.")
        #expect(t.fee == 0)
    }

    @Test func partialCancelsNeverExceedTheCharge() throws {
        let h = try SandboxServerHarness()
        let pg = try h.client()
        let c = try pg.charge(charge("chg-PR0001-1", amount: 10_000))
        let first = try pg.refund(cancel("rfd-1", of: c.transactionId, amount: 3_000))
        #expect(first.type == .cancel && first.isApproved && first.amount == 3_000)
        #expect(first.originalTransactionId == c.transactionId)
        #expect(first.fee == 66)
        let second = try pg.refund(cancel("rfd-2", of: c.transactionId, amount: 7_000))
        #expect(second.fee == c.fee - first.fee)
        #expect(throws: GatewayError.self) { try pg.refund(cancel("rfd-3", of: c.transactionId, amount: 1)) }
        #expect(try pg.lookup(idempotencyKey: "rfd-2") == second)
    }

    @Test func reusingAKeyForAnotherAmountIsAConflict() throws {
        let h = try SandboxServerHarness()
        let pg = try h.client()
        _ = try pg.charge(charge("chg-PR0001-1", amount: 10_000))
        #expect(throws: GatewayError.idempotencyConflict(key: "chg-PR0001-1")) {
            try pg.charge(charge("chg-PR0001-1", amount: 20_000))
        }
    }

    @Test func connectionRefusedIsUnavailable() throws {
        let pg = try HTTPPaymentGateway(baseURL: URL(string: "http://127.0.0.1:\(try deadPort())")!, secret: nil,
                                        connectTimeoutMs: 500, requestTimeoutMs: 1_000)
        do {
            _ = try pg.charge(charge("k"))
            Issue.record("expected unavailable")
        } catch let e as GatewayError {
            guard case .unavailable = e else { Issue.record("got \(e)"); return }
        }
    }

    @Test func outageClosesTheListenerSoConnectionsAreRefused() throws {
        let h = try SandboxServerHarness()
        try h.sandbox.updateFaults(outage: true)
        Thread.sleep(forTimeInterval: 0.2)
        do {
            _ = try h.client().charge(charge("k"))
            Issue.record("expected unavailable")
        } catch let e as GatewayError {
            guard case .unavailable(let why) = e else { Issue.record("got \(e)"); return }
            #expect(why.contains("refused"))
        }
        try h.sandbox.updateFaults(outage: false)
        Thread.sleep(forTimeInterval: 0.2)
        #expect(try h.client().charge(charge("k")).isApproved)
    }

    @Test func failEveryAnswers503WhichIsUnavailableAndRecordsNothing() throws {
        let h = try SandboxServerHarness()
        try h.sandbox.updateFaults(failEvery: 2)
        let pg = try h.client()
        _ = try pg.charge(charge("a", order: "A"))
        #expect(throws: GatewayError.self) { try pg.charge(charge("b", order: "B")) }
        #expect(try h.sandbox.ledger().map(\.idempotencyKey) == ["a"])
    }

    @Test("several charges in flight against a server answering several connections: each recorded once, answers in order")
    func chargesInFlight() throws {
        let h = try SandboxServerHarness(connections: 8)
        try h.sandbox.updateFaults(latencyMs: 30)
        let pg = BreakerGateway(wrapping: try h.client(callsInFlight: 4), now: { 0 })
        let requests = (1...12).map { charge("chg-PR\($0)-1", order: "PR\($0)", amount: Int64(10_000 * $0)) }
        let answers = try pg.chargeAll(requests)
        #expect(answers.map { try? $0.get().orderId } == requests.map(\.orderId))
        #expect(answers.allSatisfy { (try? $0.get().isApproved) == true })
        let ledger = try h.sandbox.ledger()
        #expect(ledger.count == 12 && Set(ledger.map(\.idempotencyKey)) == Set(requests.map(\.idempotencyKey)))
        #expect(Set(ledger.map(\.transactionId)).count == 12)
        // The same keys again: the stored answers, nothing charged twice.
        #expect(try pg.chargeAll(requests).map { try? $0.get() } == answers.map { try? $0.get() })
        #expect(try h.sandbox.ledger().count == 12)
    }

    @Test("the server answers up to its connections at once")
    func serverAnswersConnectionsAtOnce() throws {
        /// Handlers running now, the most at once, and whether the server is to stop.
        final class Tally: @unchecked Sendable {
            let lock = NSLock()
            var running = 0, most = 0, stop = false
            let server: HTTPServer
            init(_ server: HTTPServer) { self.server = server }
        }
        let server = HTTPServer(host: "127.0.0.1", port: 0)
        server.tickMs = 10
        server.maxConnections = 3
        try server.open()
        let tally = Tally(server)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? tally.server.serve(shouldStop: { tally.lock.withLock { tally.stop } }) { _ in
                tally.lock.withLock { tally.running += 1; tally.most = max(tally.most, tally.running) }
                usleep(40_000)
                tally.lock.withLock { tally.running -= 1 }
                return .respond(.text(200, "ok\n"))
            }
            done.signal()
        }
        let client = HTTPClient(connectTimeoutMs: 1_000, requestTimeoutMs: 5_000)
        let endpoint = try HTTPClient.Endpoint(url: URL(string: "http://127.0.0.1:\(server.port)")!)
        // Six clients at once.
        let statuses = try InFlight.map(Array(1...6), atOnce: 6) { _ in
            try client.send(HTTPRequest(method: "GET", target: "/"), to: endpoint).status
        }
        tally.lock.withLock { tally.stop = true }
        done.wait()
        #expect(statuses == Array(repeating: 200, count: 6))
        #expect(tally.most <= 3, "more connections answered at once than allowed: \(tally.most)")
        #expect(tally.most >= 2, "the connections were answered one after another")
    }

    @Test func aLateAnswerIsATimeoutAndTheLookupFindsWhatWasCommitted() throws {
        let h = try SandboxServerHarness()
        try h.sandbox.updateFaults(lateAnswerMs: 800)
        let pg = try h.client(requestTimeoutMs: 300)
        #expect(throws: GatewayError.timeout) { try pg.charge(charge("chg-PR0009-1", order: "PR0009")) }
        Thread.sleep(forTimeInterval: 0.7)
        try h.sandbox.updateFaults(lateAnswerMs: 0)
        let found = try #require(try h.client().lookup(idempotencyKey: "chg-PR0009-1"))
        #expect(found.isApproved)
        #expect(try h.sandbox.ledger().count == 1)
    }

    @Test func aLostAnswerAfterCommitIsATimeout() throws {
        let h = try SandboxServerHarness()
        try h.sandbox.updateFaults(timeoutAfterCommit: true)
        #expect(throws: GatewayError.timeout) { try h.client().charge(charge("k1")) }
        #expect(try h.sandbox.ledger().count == 1)
    }

    @Test func theSecretKeyIsRequiredWhenConfigured() throws {
        let h = try SandboxServerHarness(secret: PGSecret("test_sk_abc"))
        #expect(throws: GatewayError.self) { try h.client().charge(charge("k1")) }
        #expect(throws: GatewayError.self) { try h.client(secret: PGSecret("wrong")).lookup(idempotencyKey: "x") }
    }

    @Test func theRightSecretKeyIsAccepted() throws {
        let h = try SandboxServerHarness(secret: PGSecret("test_sk_abc"))
        #expect(try h.client(secret: PGSecret("test_sk_abc")).charge(charge("k1")).isApproved)
        #expect("\(PGSecret("test_sk_abc"))" == "PGSecret(****)")
    }

    @Test func settlementStatementIsDownloadedIntoAFile() throws {
        let h = try SandboxServerHarness()
        let pg = try h.client()
        _ = try pg.charge(charge("a", order: "A", amount: 10_000))
        _ = try pg.charge(charge("b,with,commas", order: "B", amount: 20_000))
        let url = h.home.appendingPathComponent("settlement-\(day).csv")
        try pg.downloadSettlementStatement(date: day, to: url)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text == (try h.sandbox.settlementCSV(date: day)))
        #expect(text.hasPrefix(SandboxGateway.settlementHeader + "\n"))
        #expect(text.contains("T0000000001,a,A,charge,10000,220,2026-12-01,approved"))
        // Downloading again replaces it; no hidden file is left beside it.
        try pg.downloadSettlementStatement(date: day, to: url)
        #expect(try FileManager.default.contentsOfDirectory(atPath: h.home.path).filter { $0.hasPrefix(".settlement") }.isEmpty)
        // Nothing listening: unavailable, and the statement already there is kept.
        let gone = try HTTPPaymentGateway(baseURL: URL(string: "http://127.0.0.1:9")!, secret: nil, connectTimeoutMs: 300)
        #expect(throws: GatewayError.self) { try gone.downloadSettlementStatement(date: day, to: url) }
        #expect(try String(contentsOf: url, encoding: .utf8) == text)
    }

    /// An answer larger than the client's limit for payments is refused by `send`, and read
    /// whole, a piece at a time, by `download` (a statement of a large night is 65 MB).
    @Test func aDownloadReadsTheBodyInPiecesBeyondTheAnswerLimit() throws {
        let h = try SandboxServerHarness()
        for n in 0..<30 { _ = try h.sandbox.charge(charge("k\(n)", order: "O\(n)", amount: 1_000 + Int64(n))) }
        let expected = try h.sandbox.settlementCSV(date: day)
        let client = HTTPClient(connectTimeoutMs: 500, requestTimeoutMs: 2_000, maxResponseBytes: 200)
        let endpoint = try HTTPClient.Endpoint(url: h.url)
        let request = HTTPRequest(method: "GET", target: PGWire.settlementsPath(date: day), headers: [:], body: Data())
        #expect(throws: SocketError.tooLarge(200)) { try client.send(request, to: endpoint) }
        var pieces: [Data] = []
        let response = try client.download(request, to: endpoint, timeoutMs: 2_000, maxBytes: 1 << 20) { pieces.append($0) }
        #expect(response.status == 200 && response.body.isEmpty)
        #expect(String(decoding: pieces.reduce(Data(), +), as: UTF8.self) == expected)
        #expect(throws: SocketError.tooLarge(100)) {
            try client.download(request, to: endpoint, timeoutMs: 2_000, maxBytes: 100) { _ in }
        }
    }
}

@Suite struct HTTPMessageTests {
    @Test func oversizedRequestsAreRefusedWith413() throws {
        let h = try SandboxServerHarness()
        h.server.maxBodyBytes = 100
        let client = HTTPClient(connectTimeoutMs: 500, requestTimeoutMs: 2_000)
        let response = try client.send(HTTPRequest(method: "POST", target: PGWire.confirmPath,
                                                   headers: ["Idempotency-Key": "k"], body: Data(repeating: 65, count: 1000)),
                                       to: try HTTPClient.Endpoint(url: h.url))
        #expect(response.status == 413)
    }

    @Test func aMissingIdempotencyKeyIsABadRequest() throws {
        let h = try SandboxServerHarness()
        let client = HTTPClient(connectTimeoutMs: 500, requestTimeoutMs: 2_000)
        let body = try JSONEncoder().encode(PGConfirmRequest(charge("ignored")))
        let response = try client.send(HTTPRequest(method: "POST", target: PGWire.confirmPath, body: body),
                                       to: try HTTPClient.Endpoint(url: h.url))
        #expect(response.status == 400)
        #expect(response.bodyText.contains("Idempotency-Key"))
    }

    @Test func adminEndpointSetsTheLedgerFaults() throws {
        let h = try SandboxServerHarness()
        let client = HTTPClient(connectTimeoutMs: 500, requestTimeoutMs: 2_000)
        let response = try client.send(HTTPRequest(method: "POST", target: PGWire.faultsPath,
                                                   body: Data(#"{"fail_every":4,"late_answer_ms":10}"#.utf8)),
                                       to: try HTTPClient.Endpoint(url: h.url))
        #expect(response.status == 200)
        #expect(try h.sandbox.faults() == SandboxFaults(failEvery: 4, lateAnswerMs: 10))
    }

    @Test func onlyPlainHTTPBaseURLsAreAccepted() {
        #expect(throws: GatewayConfigError.self) {
            try HTTPPaymentGateway(baseURL: URL(string: "https://api.tosspayments.com")!, secret: nil)
        }
    }
}
