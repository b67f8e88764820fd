import ArgumentParser
import EzAdapters
import EzCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Set by SIGTERM/SIGINT; the serve loop polls it between connections.
nonisolated(unsafe) private var stopRequested: sig_atomic_t = 0

/// `ezinsurance pg-sandbox serve`: the sandbox gateway as an HTTP server on loopback,
/// speaking the PG API of `PGWire`, backed by the home's sandbox ledger.
struct PgSandboxServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the sandbox gateway over HTTP on loopback (stops on SIGTERM/SIGINT).",
        discussion: """
            API (JSON, Toss-like): POST /v1/payments/confirm, POST /v1/payments/{paymentKey}/cancel \
            (cancelAmount: partial cancel), GET /v1/payments/idempotency-keys/{key}, \
            GET /v1/settlements?date=YYYY-MM-DD (CSV), GET|POST /admin/faults. Charges and cancels need \
            the Idempotency-Key header. With a secret (EZINSURANCE_PG_SECRET, EZINSURANCE_PG_SECRET_FILE \
            or --secret-file) every /v1 call needs HTTP Basic auth: the secret as user, empty password.
            Faults are the ledger's (shared with `pg-sandbox faults` and POST /admin/faults): declines by \
            card token, --latency-ms before processing, --fail-every N (HTTP 503 on every Nth charge/cancel), \
            --late-answer-ms (recorded, then answered late: a client with a shorter timeout has given up), \
            --timeout-after-commit (recorded, then the connection is closed unanswered), --outage on \
            (the listening socket is closed: connections are refused until the outage is turned off).
            Prints `pg-sandbox listening on http://HOST:PORT` once ready (--port 0 picks a free port).
            """)

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: "TCP port (0 = any free port).") var port: Int = 8480
    @Option(name: .long, help: "Loopback address to listen on.") var host: String = "127.0.0.1"
    @Option(name: .long, help: "Set the outage fault at start (on|off).") var outage: PgSandboxCommand.Switch?
    @Option(name: .customLong("latency-ms"), help: "Set the latency fault at start.") var latencyMs: Int?
    @Option(name: .customLong("fail-every"), help: "Set the fail-every fault at start (0 = off).") var failEvery: Int?
    @Option(name: .customLong("timeout-after-commit"), help: "Set the timeout-after-commit fault at start (on|off).")
    var timeoutAfterCommit: PgSandboxCommand.Switch?
    @Option(name: .customLong("late-answer-ms"), help: "Set the late-answer fault at start.") var lateAnswerMs: Int?
    @Option(name: .customLong("secret-file"), help: "File holding the secret key clients must present.")
    var secretFile: String?
    @Option(name: .long, help: "Connections answered at once, each on a thread of its own (1 = one after another), as a PG serves many clients.")
    var connections: Int = 16
    @Flag(name: .long, help: "Do not log requests to standard error.") var quiet = false

    func validate() throws {
        guard ["127.0.0.1", "::1", "localhost"].contains(host) else {
            throw ValidationError("--host must be a loopback address (127.0.0.1, ::1, localhost): the sandbox is not for networks")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard (1...256).contains(connections) else { throw ValidationError("--connections must be 1...256") }
        for (name, v) in [("--latency-ms", latencyMs), ("--fail-every", failEvery), ("--late-answer-ms", lateAnswerMs)] {
            if let v, v < 0 { throw ValidationError("\(name) must not be negative") }
        }
    }

    func run() throws {
        let gateway = try PgSandboxCommand.open(common)
        let secret = try PgSandboxCommand.guarded {
            try PGSecret.resolve(environment: ProcessInfo.processInfo.environment, file: secretFile)
        }
        _ = try PgSandboxCommand.guarded {
            try gateway.updateFaults(outage: outage?.isOn, latencyMs: latencyMs, failEvery: failEvery,
                                     timeoutAfterCommit: timeoutAfterCommit?.isOn, lateAnswerMs: lateAnswerMs)
        }
        let quiet = self.quiet
        let service = SandboxHTTPService(gateway: gateway, secret: secret) { line in
            if !quiet { FileHandle.standardError.write(Data("pg-sandbox: \(line)\n".utf8)) }
        }
        let server = HTTPServer(host: host, port: port)
        server.maxConnections = connections
        signal(SIGPIPE, SIG_IGN)
        signal(SIGTERM) { _ in stopRequested = 1 }
        signal(SIGINT) { _ in stopRequested = 1 }
        // A parent may start us with these blocked (e.g. from a thread that blocks them).
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        do {
            try server.open()
        } catch {
            FileHandle.standardError.write(Data("error: cannot listen on \(host):\(port): \(error)\n".utf8))
            throw ExitCode(69)  // EX_UNAVAILABLE
        }
        let shown = host.contains(":") ? "[\(host)]" : host
        print("pg-sandbox listening on http://\(shown):\(server.port) (ledger \(gateway.path.path); auth \(secret == nil ? "off" : "on"))")
        fflush(nil)
        do {
            try server.serve(shouldStop: { stopRequested != 0 }, listening: service.listening, handler: service.handle)
        } catch {
            FileHandle.standardError.write(Data("error: pg-sandbox server: \(error)\n".utf8))
            throw ExitCode(70)
        }
        print("pg-sandbox stopped")
    }
}
