// Support for the gateway and reconciliation end-to-end tests: `pg-sandbox serve` as a child
// process on a free loopback port, `gateway.yaml` for a home, and a probe that says whether
// the binary reads `gateway.yaml` and knows `report reconcile` (the wiring these tests need).

import Foundation

/// `ezinsurance pg-sandbox serve --port 0` on a home, until `stop()` or deinit.
final class ServedSandbox {
    let process = Process()
    let port: Int
    let stdoutURL: URL
    let stderrURL: URL
    private let scratch: URL

    init(home: TestHome, extra: [String] = []) throws {
        let fm = FileManager.default
        scratch = fm.temporaryDirectory.appendingPathComponent("ez-e2e-serve-\(UUID().uuidString)")
        try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
        stdoutURL = scratch.appendingPathComponent("stdout")
        stderrURL = scratch.appendingPathComponent("stderr")
        _ = fm.createFile(atPath: stdoutURL.path, contents: nil)
        _ = fm.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = try Binary.location()
        process.arguments = ["pg-sandbox", "serve", "--port", "0", "--home", home.url.path] + extra
        process.currentDirectoryURL = Binary.packageRoot
        var environment = ProcessInfo.processInfo.environment
        environment["EZINSURANCE_DATA"] = Binary.dataDirectory.path
        environment.removeValue(forKey: "EZINSURANCE_HOME")
        environment.removeValue(forKey: "EZINSURANCE_PG_SECRET")
        environment.removeValue(forKey: "EZINSURANCE_PG_SECRET_FILE")
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        var found: Int?
        while found == nil && Date() < deadline && process.isRunning {
            let text = (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"listening on http://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                found = Int(text[range].split(separator: ":").last ?? "")
            } else {
                usleep(20_000)
            }
        }
        guard let found else {
            process.terminate()
            let out = (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? ""
            let err = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
            throw BinaryError(description: "pg-sandbox serve did not start:\n\(out)\n\(err)")
        }
        port = found
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// What the server printed and logged so far.
    var log: String {
        let out = (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
        return "--- serve stdout ---\n\(out)\n--- serve stderr ---\n\(err)"
    }

    /// Request log lines (`pg-sandbox: METHOD PATH -> STATUS`).
    var requests: [String] {
        ((try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
            .filter { $0.hasPrefix("pg-sandbox: ") }
    }

    /// SIGTERM, then waits; returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: scratch)
    }
}

extension TestHome {
    /// Writes `<home>/gateway.yaml` selecting the HTTP gateway at `url`.
    func useHTTPGateway(_ url: String, connectTimeoutMs: Int = 500, requestTimeoutMs: Int = 3_000,
                        failureThreshold: Int = 2, coolDownSeconds: Int = 600, maxInFlight: Int = 1) throws {
        try FileManager.default.createDirectory(at: self.url, withIntermediateDirectories: true)
        try """
            kind: http
            base_url: \(url)
            connect_timeout_ms: \(connectTimeoutMs)
            request_timeout_ms: \(requestTimeoutMs)
            max_in_flight: \(maxInFlight)
            breaker:
              failure_threshold: \(failureThreshold)
              cool_down_seconds: \(coolDownSeconds)

            """.write(to: path("gateway.yaml"), atomically: true, encoding: .utf8)
    }

    /// `pg-sandbox faults ...` on this home (the served sandbox reads the same ledger).
    func setFaults(_ arguments: [String]) throws {
        let r = try run(["pg-sandbox", "faults"] + arguments)
        guard r.status == 0 else { throw BinaryError(description: "pg-sandbox faults failed: \(r)") }
    }

    /// Polls the sandbox ledger until `condition` holds (late answers commit after the run ended).
    func waitForLedger(seconds: Double = 15, _ condition: ([JSONObject]) -> Bool) throws -> [JSONObject] {
        let deadline = Date().addingTimeInterval(seconds)
        var rows = try ledger()
        while !condition(rows) && Date() < deadline {
            usleep(100_000)
            rows = try ledger()
        }
        return rows
    }

    /// Proposal statuses by customer number, from the status views.
    func proposalStatus(_ customerNo: String) throws -> String? {
        try customerView(customerNo)?.objects("proposals").first?.string("status")
    }
}

/// Whether the binary has the wiring these suites test: `GatewayFactory.make` reading
/// `gateway.yaml` (a bad file must fail the run) and the `report` command.
enum GatewayWiring {
    static let ready: Bool = {
        guard (try? Binary.location()) != nil, let home = try? TestHome() else { return false }
        guard (try? home.run(["report", "--help"]))?.status == 0 else { return false }
        _ = try? home.run(["history"])  // creates and seeds the home
        try? "kind: bogus\n".write(to: home.path("gateway.yaml"), atomically: true, encoding: .utf8)
        guard let r = try? home.run(["run", "retry-payments"], asOf: BusinessDate.day1) else { return false }
        return r.status != 0
    }()
}

/// An applicant for gateway tests: distinct customer numbers, same profile as `applicant`.
func gatewayApplicant(_ n: Int) -> JSONObject {
    Requests.customer("C95\(String(format: "%02d", n))", name: "결제\(n)", birth: "1990-01-10", gender: "M",
                      phone: "010-3333-\(String(format: "%04d", n))")
}
