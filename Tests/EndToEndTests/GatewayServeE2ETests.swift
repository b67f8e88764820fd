// End-to-end: the runner charging through the HTTP gateway adapter against
// `pg-sandbox serve` on a free loopback port (see GatewayE2ESupport.swift).

import Foundation
import Testing

@Suite("Gateway over HTTP (end to end)", .serialized, .enabled(if: GatewayWiring.ready,
       "needs GatewayFactory.make -> GatewayConfig.makeGateway and ReportCommand registered"))
struct GatewayServeE2ETests {
    private func enroll(_ home: TestHome, _ numbers: ClosedRange<Int>, prefix: String, card: String = "tok_e2e_ok") throws {
        try home.drop("\(prefix).jsonl", lines: numbers.map {
            Requests.enrollment(id: "\(prefix)-\($0)", customer: gatewayApplicant($0), cardToken: card)
        })
    }

    private func approvedCharges(_ ledger: [JSONObject]) -> [String] {
        ledger.filter { $0.string("type") == "charge" && $0.string("status") == "approved" }.compactMap { $0.string("order_id") }
    }

    @Test("5xx mid-batch: the breaker opens, the rest is deferred, the next run settles it, nothing is charged twice")
    func failuresMidBatch() throws {
        let home = try TestHome()
        _ = try home.run(["history"])
        let server = try ServedSandbox(home: home)
        try home.useHTTPGateway(server.url, failureThreshold: 1)
        try home.setFaults(["--fail-every", "3"])
        try enroll(home, 1...5, prefix: "E2E-GW-MID")

        let first = try home.runIntake(asOf: day1)
        #expect(first.status == 0, "\(first)\n\(server.log)")
        #expect(first.stdout.contains("deferred"), "\(first)")
        #expect(approvedCharges(try home.ledger()).count == 2, "\(server.log)")
        let statuses = try (1...5).map { try home.proposalStatus(gatewayApplicant($0).string("customer_no")!) }
        #expect(statuses.filter { $0 == "ACTIVE" }.count == 2, "\(statuses)")
        #expect(statuses.filter { $0 == "PAYMENT_DEFERRED" }.count == 3, "\(statuses)")
        // The breaker refused the last two without calling: only three charge calls reached the PG.
        #expect(server.requests.filter { $0.contains("POST /v1/payments/confirm") }.count == 3, "\(server.log)")
        let history = try home.run(["history"])
        #expect(history.stdout.contains("DEFERRED"), "\(history)")

        try home.setFaults(["--fail-every", "0"])
        let second = try home.run(["run", "retry-payments"], asOf: day1)
        #expect(second.status == 0, "\(second)")
        let ledger = try home.ledger()
        let orders = approvedCharges(ledger)
        #expect(orders.count == 5, "\(ledger)")
        #expect(Set(orders).count == 5, "an order was charged twice: \(orders)")
        for n in 1...5 {
            #expect(try home.proposalStatus(gatewayApplicant(n).string("customer_no")!) == "ACTIVE")
        }
    }

    @Test("max_in_flight 4: charges and refunds go out several at once; each proposal charged once, each withdrawal refunded once")
    func callsInFlight() throws {
        let home = try TestHome()
        _ = try home.run(["history"])
        let server = try ServedSandbox(home: home)
        try home.useHTTPGateway(server.url, failureThreshold: 3, maxInFlight: 4)
        try home.setFaults(["--latency-ms", "20"])
        try enroll(home, 41...52, prefix: "E2E-GW-FLIGHT")

        let first = try home.runIntake(asOf: day1)
        #expect(first.status == 0, "\(first)\n\(server.log)")
        #expect(!first.stdout.contains("deferred"), "\(first)")
        let orders = approvedCharges(try home.ledger())
        #expect(orders.count == 12 && Set(orders).count == 12, "\(orders)")
        for n in 41...52 {
            #expect(try home.proposalStatus(gatewayApplicant(n).string("customer_no")!) == "ACTIVE")
        }
        #expect(server.requests.filter { $0.contains("POST /v1/payments/confirm") }.count == 12, "\(server.log)")

        try home.drop("flight-withdraw.jsonl", lines: (41...44).map {
            Requests.withdraw(id: "E2E-GW-FLIGHT-W\($0)", proposalRequestId: "E2E-GW-FLIGHT-\($0)", requestedOn: day1)
        })
        let second = try home.runIntake(asOf: day1)
        #expect(second.status == 0, "\(second)\n\(server.log)")
        let cancels = try home.ledger().filter { $0.string("type") == "cancel" }
        #expect(cancels.count == 4 && Set(cancels.compactMap { $0.string("order_id") }).count == 4, "\(cancels)")
        for n in 41...44 {
            #expect(try home.proposalStatus(gatewayApplicant(n).string("customer_no")!) == "WITHDRAWN")
        }
    }

    @Test("reconciliation downloads the night's statement from the HTTP PG into settlements/ and matches it")
    func reconcileDownloadsTheStatement() throws {
        let home = try TestHome()
        _ = try home.run(["history"])
        let server = try ServedSandbox(home: home)
        try home.useHTTPGateway(server.url, failureThreshold: 2)
        try enroll(home, 21...23, prefix: "E2E-GW-REC")
        #expect(try home.runIntake(asOf: day1).status == 0)
        let report = try home.run(["report", "reconcile", "--date", day1])
        #expect(report.status == 0, "\(report)\n\(server.log)")
        #expect(report.stdout.contains("matched 3, discrepancies 0"), "\(report)")
        #expect(server.requests.contains { $0.contains("GET /v1/settlements -> 200") }, "\(server.log)")
        let statement = try String(contentsOf: home.path("settlements/settlement-\(day1).csv"), encoding: .utf8)
        #expect(statement.split(separator: "\n").count == 4, "\(statement)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.path("settlements").path) == ["settlement-\(day1).csv"])
    }

    @Test("outage (connection refused): every proposal waits as PAYMENT_DEFERRED, exit 0; after it, one charge each")
    func connectionRefused() throws {
        let home = try TestHome()
        _ = try home.run(["history"])
        let server = try ServedSandbox(home: home)
        try home.useHTTPGateway(server.url, failureThreshold: 2)
        try enroll(home, 11...13, prefix: "E2E-GW-OUT")
        try home.setFaults(["--outage", "on"])
        usleep(300_000)

        let first = try home.runIntake(asOf: day1)
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout.contains("deferred"), "\(first)")
        #expect(try home.ledger().isEmpty)
        #expect(server.requests.filter { $0.contains("/v1/payments") }.isEmpty, "refused connections never reach the server: \(server.log)")
        for n in 11...13 {
            #expect(try home.proposalStatus(gatewayApplicant(n).string("customer_no")!) == "PAYMENT_DEFERRED")
        }

        try home.setFaults(["--outage", "off"])
        usleep(300_000)
        let second = try home.run(["run", "retry-payments"], asOf: day1)
        #expect(second.status == 0, "\(second)")
        let orders = approvedCharges(try home.ledger())
        #expect(orders.count == 3 && Set(orders).count == 3, "\(orders)")
        #expect(server.stop() == 0, "serve must stop cleanly on SIGTERM: \(server.log)")
        #expect(server.log.contains("pg-sandbox stopped"))
    }

    @Test("after an outage, max_in_flight 4: the keys known from the failed attempt are looked up several at once, each charged once")
    func outageThenLookupsInFlight() throws {
        let home = try TestHome()
        _ = try home.run(["history"])
        let server = try ServedSandbox(home: home)
        try home.useHTTPGateway(server.url, failureThreshold: 2, maxInFlight: 4)
        try enroll(home, 61...70, prefix: "E2E-GW-OUTF")
        try home.setFaults(["--outage", "on"])
        usleep(300_000)
        let first = try home.runIntake(asOf: day1)
        #expect(first.status == 0 && first.stdout.contains("deferred"), "\(first)")
        #expect(try home.ledger().isEmpty)

        try home.setFaults(["--outage", "off", "--latency-ms", "20"])
        usleep(300_000)
        let second = try home.run(["run", "retry-payments"], asOf: day1)
        #expect(second.status == 0, "\(second)\n\(server.log)")
        let orders = approvedCharges(try home.ledger())
        #expect(orders.count == 10 && Set(orders).count == 10, "\(orders)")
        let requests = server.requests
        #expect(requests.filter { $0.contains("GET /v1/payments/idempotency-keys/chg-") && $0.hasSuffix("-> 404") }.count == 10,
                "each known key is looked up first: \(server.log)")
        #expect(requests.filter { $0.contains("POST /v1/payments/confirm") }.count == 10, "\(server.log)")
        for n in 61...70 {
            #expect(try home.proposalStatus(gatewayApplicant(n).string("customer_no")!) == "ACTIVE")
        }
    }

    @Test("an answer past the client timeout: deferred, then the retry looks the key up instead of charging again")
    func lateAnswerThenLookup() throws {
        let home = try TestHome()
        _ = try home.run(["history"])
        let server = try ServedSandbox(home: home)
        try home.useHTTPGateway(server.url, requestTimeoutMs: 600, failureThreshold: 5)
        try home.setFaults(["--late-answer-ms", "1500"])
        try enroll(home, 21...21, prefix: "E2E-GW-LATE")

        let first = try home.runIntake(asOf: day1)
        #expect(first.status == 0, "\(first)")
        let customer = gatewayApplicant(21).string("customer_no")!
        #expect(try home.proposalStatus(customer) == "PAYMENT_DEFERRED", "\(first)")
        // The PG committed the charge although we gave up waiting; wait until its late answer is out.
        let committed = try home.waitForLedger { !$0.isEmpty }
        #expect(approvedCharges(committed).count == 1, "\(server.log)")
        let deadline = Date().addingTimeInterval(15)
        while !server.requests.contains(where: { $0.contains("POST /v1/payments/confirm") }) && Date() < deadline {
            usleep(50_000)
        }

        try home.setFaults(["--late-answer-ms", "0"])
        let second = try home.run(["run", "retry-payments"], asOf: day1)
        #expect(second.status == 0, "\(second)")
        #expect(try home.proposalStatus(customer) == "ACTIVE")
        #expect(try home.ledger().count == 1, "charged twice")
        let requests = server.requests
        #expect(requests.filter { $0.contains("POST /v1/payments/confirm") }.count == 1, "\(server.log)")
        #expect(requests.contains { $0.contains("GET /v1/payments/idempotency-keys/chg-") && $0.hasSuffix("-> 200") },
                "\(server.log)")
    }

    @Test("a declined card is a business answer: PAYMENT_FAILED, not deferred, breaker untouched")
    func declines() throws {
        let home = try TestHome()
        _ = try home.run(["history"])
        let server = try ServedSandbox(home: home)
        try home.useHTTPGateway(server.url, failureThreshold: 1)
        try enroll(home, 31...32, prefix: "E2E-GW-DECL", card: "tok_decline_e2e")
        try enroll(home, 33...33, prefix: "E2E-GW-OK")

        let run = try home.runIntake(asOf: day1)
        #expect(run.status == 0, "\(run)")
        #expect(!run.stdout.contains("deferred"), "\(run)")
        #expect(try home.proposalStatus(gatewayApplicant(31).string("customer_no")!) == "PAYMENT_FAILED")
        #expect(try home.proposalStatus(gatewayApplicant(32).string("customer_no")!) == "PAYMENT_FAILED")
        #expect(try home.proposalStatus(gatewayApplicant(33).string("customer_no")!) == "ACTIVE")
        let ledger = try home.ledger()
        #expect(ledger.filter { $0.string("decline_code") == "CARD_DECLINED" }.count == 2, "\(ledger)")
    }

    @Test("partial cancel through the HTTP client (pg-sandbox call)")
    func partialCancelViaClient() throws {
        let home = try TestHome()
        _ = try home.run(["history"])
        let server = try ServedSandbox(home: home)
        let url = ["--url", server.url]
        let charge = try Binary.run(["pg-sandbox", "call", "charge"] + url + ["--key", "chg-X-1", "--order", "X", "--amount", "10000",
                                                                              "--card", "tok_ok", "--date", day1])
        #expect(charge.status == 0, "\(charge)")
        let t = try TestHome.object(Data(charge.stdout.utf8), source: "charge")
        let paymentKey = try #require(t.string("transaction_id"))
        let part = try Binary.run(["pg-sandbox", "call", "cancel"] + url + ["--key", "rfd-X-1", "--payment", paymentKey,
                                                                            "--order", "X", "--amount", "3000", "--date", day1])
        #expect(part.status == 0, "\(part)")
        let cancel = try TestHome.object(Data(part.stdout.utf8), source: "cancel")
        #expect(cancel.string("type") == "cancel" && cancel.int("amount") == 3000)
        #expect(cancel.string("original_transaction_id") == paymentKey)
        let over = try Binary.run(["pg-sandbox", "call", "cancel"] + url + ["--key", "rfd-X-2", "--payment", paymentKey,
                                                                            "--order", "X", "--amount", "8000", "--date", day1])
        #expect(over.status == 65, "a cancel above the remaining 7,000 must be refused: \(over)")
        let again = try Binary.run(["pg-sandbox", "call", "cancel"] + url + ["--key", "rfd-X-1", "--payment", paymentKey,
                                                                             "--order", "X", "--amount", "3000", "--date", day1])
        #expect(again.stdout == part.stdout, "the same key replays the stored answer")
        let lookup = try Binary.run(["pg-sandbox", "call", "lookup"] + url + ["--key", "rfd-X-1"])
        #expect(lookup.stdout == part.stdout)
        #expect(try home.ledger().count == 2)
    }
}
