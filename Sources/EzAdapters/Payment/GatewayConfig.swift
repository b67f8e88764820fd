import EzCore
import Foundation
import Yams

/// A gateway configuration problem: says which file or variable and what to fix.
public struct GatewayConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// Which payment gateway the runner uses, from `<home>/gateway.yaml` (optional) and the
/// environment (which wins). Without either: the in-process sandbox.
///
/// ```yaml
/// kind: http                        # sandbox (default) | http
/// base_url: http://127.0.0.1:8480   # required for http; plain http (TLS through a local proxy)
/// connect_timeout_ms: 2000
/// request_timeout_ms: 10000
/// max_in_flight: 1                  # charges (refunds) of a chunk sent at once, each on its own connection
/// secret_file: /etc/ezinsurance/pg-secret   # optional; a path, never the secret itself
/// breaker:
///   failure_threshold: 3            # consecutive unavailable/timeouts that open the breaker
///   cool_down_seconds: 30           # open this long, then one probe
/// ```
///
/// Environment: `EZINSURANCE_PG_URL` (sets kind http and the base URL),
/// `EZINSURANCE_PG_SECRET` or `EZINSURANCE_PG_SECRET_FILE` (the secret key).
public struct GatewayConfig: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case sandbox, http
    }

    public static let fileName = "gateway.yaml"
    static let maxInFlightLimit = 64
    public static let urlEnvironmentKey = "EZINSURANCE_PG_URL"

    public var kind: Kind = .sandbox
    public var baseURL: URL?
    public var connectTimeoutMs = 2_000
    public var requestTimeoutMs = 10_000
    /// Separate calls of a chunk in flight at once (HTTP: one connection each); 1 to 64.
    public var maxInFlight = 1
    public var secretFile: String?
    public var failureThreshold = 3
    public var coolDownSeconds: Double = 30

    public init() {}

    /// The file as written: every field optional.
    struct File: Decodable {
        var kind: Kind?
        var base_url: String?
        var connect_timeout_ms: Int?
        var request_timeout_ms: Int?
        var max_in_flight: Int?
        var secret_file: String?
        var secret: String?
        var breaker: Breaker?
        struct Breaker: Decodable {
            var failure_threshold: Int?
            var cool_down_seconds: Double?
        }
    }

    /// Reads `<home>/gateway.yaml` (when present), then applies the environment.
    public static func load(home: URL, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> GatewayConfig {
        let url = home.appendingPathComponent(fileName)
        var config = GatewayConfig()
        if let data = FileManager.default.contents(atPath: url.path) {
            try config.apply(yaml: String(decoding: data, as: UTF8.self), source: url.path)
        }
        if let text = environment[urlEnvironmentKey], !text.isEmpty {
            guard let u = URL(string: text), u.scheme != nil else {
                throw GatewayConfigError(message: "\(urlEnvironmentKey): not a URL: \(text)")
            }
            config.kind = .http
            config.baseURL = u
        }
        try config.validate(source: url.path)
        return config
    }

    mutating func apply(yaml: String, source: String) throws {
        let file: File
        do {
            file = try YAMLDecoder().decode(File.self, from: yaml)
        } catch {
            throw GatewayConfigError(message: "\(source): \(error)")
        }
        if file.secret != nil {
            throw GatewayConfigError(message: "\(source): 'secret' is not read from files in the home; set \(PGSecret.environmentKey) or \(PGSecret.fileEnvironmentKey) (or secret_file)")
        }
        if let k = file.kind { kind = k }
        if let u = file.base_url {
            guard let parsed = URL(string: u), parsed.scheme != nil else {
                throw GatewayConfigError(message: "\(source): base_url: not a URL: \(u)")
            }
            baseURL = parsed
        }
        if let v = file.connect_timeout_ms { connectTimeoutMs = v }
        if let v = file.request_timeout_ms { requestTimeoutMs = v }
        if let v = file.max_in_flight { maxInFlight = v }
        if let v = file.secret_file { secretFile = v }
        if let v = file.breaker?.failure_threshold { failureThreshold = v }
        if let v = file.breaker?.cool_down_seconds { coolDownSeconds = v }
    }

    func validate(source: String) throws {
        if kind == .http && baseURL == nil {
            throw GatewayConfigError(message: "\(source): kind http needs base_url (or \(Self.urlEnvironmentKey))")
        }
        if connectTimeoutMs <= 0 || requestTimeoutMs <= 0 {
            throw GatewayConfigError(message: "\(source): connect_timeout_ms and request_timeout_ms must be positive")
        }
        if !(1...Self.maxInFlightLimit).contains(maxInFlight) {
            throw GatewayConfigError(message: "\(source): max_in_flight must be 1 to \(Self.maxInFlightLimit)")
        }
        if failureThreshold < 1 { throw GatewayConfigError(message: "\(source): breaker.failure_threshold must be at least 1") }
        if coolDownSeconds < 0 { throw GatewayConfigError(message: "\(source): breaker.cool_down_seconds must not be negative") }
    }

    /// The configured gateway without the breaker.
    public func makeBareGateway(home: URL, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any PaymentGateway {
        switch kind {
        case .sandbox:
            return try SandboxGateway(home: home)
        case .http:
            let secret = try PGSecret.resolve(environment: environment, file: secretFile)
            return try HTTPPaymentGateway(baseURL: baseURL!, secret: secret, connectTimeoutMs: connectTimeoutMs,
                                          requestTimeoutMs: requestTimeoutMs, callsInFlight: maxInFlight)
        }
    }

    /// The gateway the runner uses: the configured one behind a circuit breaker.
    public func makeGateway(home: URL, now: @escaping @Sendable () -> Double) throws -> any PaymentGateway {
        BreakerGateway(wrapping: try makeBareGateway(home: home),
                       breaker: CircuitBreaker(failureThreshold: failureThreshold, coolDown: coolDownSeconds), now: now)
    }

    /// Loads the home's configuration and builds the breaker-wrapped gateway.
    public static func makeGateway(home: URL, now: @escaping @Sendable () -> Double) throws -> any PaymentGateway {
        try load(home: home).makeGateway(home: home, now: now)
    }

    /// One line for logs and summaries (never the secret).
    public var summary: String {
        switch kind {
        case .sandbox: "sandbox (in-process, <home>/pg-sandbox/ledger.sqlite)"
        case .http: "http \(baseURL?.absoluteString ?? "?") (connect \(connectTimeoutMs) ms, request \(requestTimeoutMs) ms, \(maxInFlight) in flight)"
        }
    }
}
