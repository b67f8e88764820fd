import EzAdapters
import EzCore
import Foundation
import Testing

@Suite struct GatewayConfigTests {
    private func home(_ yaml: String?) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ez-gwcfg-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        if let yaml { try yaml.write(to: url.appendingPathComponent("gateway.yaml"), atomically: true, encoding: .utf8) }
        return url
    }

    @Test func withoutAFileTheGatewayIsTheSandboxBehindABreaker() throws {
        let h = try home(nil)
        defer { try? FileManager.default.removeItem(at: h) }
        let config = try GatewayConfig.load(home: h, environment: [:])
        #expect(config.kind == .sandbox)
        #expect(try config.makeBareGateway(home: h, environment: [:]) is SandboxGateway)
        let gateway = try config.makeGateway(home: h) { 0 }
        #expect(gateway is BreakerGateway)
    }

    @Test func theFileSelectsHTTPWithTimeoutsAndBreaker() throws {
        let h = try home("""
            kind: http
            base_url: http://127.0.0.1:18480
            connect_timeout_ms: 300
            request_timeout_ms: 900
            breaker:
              failure_threshold: 2
              cool_down_seconds: 5
            """)
        defer { try? FileManager.default.removeItem(at: h) }
        let c = try GatewayConfig.load(home: h, environment: [:])
        #expect(c.kind == .http)
        #expect(c.baseURL?.absoluteString == "http://127.0.0.1:18480")
        #expect(c.connectTimeoutMs == 300 && c.requestTimeoutMs == 900)
        #expect(c.failureThreshold == 2 && c.coolDownSeconds == 5)
        let breaker = try #require(try c.makeGateway(home: h) { 0 } as? BreakerGateway)
        #expect(breaker.currentBreaker.failureThreshold == 2)
    }

    @Test("max_in_flight: the HTTP gateway's calls of a chunk at once (default 1, 1 to 64)")
    func callsInFlight() throws {
        let h = try home("kind: http\nbase_url: http://127.0.0.1:18480\nmax_in_flight: 8\n")
        defer { try? FileManager.default.removeItem(at: h) }
        let c = try GatewayConfig.load(home: h, environment: [:])
        #expect(c.maxInFlight == 8)
        let http = try #require(try c.makeBareGateway(home: h, environment: [:]) as? HTTPPaymentGateway)
        #expect(http.callsInFlight == 8)
        #expect(try c.makeGateway(home: h) { 0 }.callsInFlight == 8)
        #expect(try GatewayConfig.load(home: try home("kind: http\nbase_url: http://127.0.0.1:1\n"), environment: [:]).maxInFlight == 1)
        for bad in [0, 65] {
            let b = try home("kind: http\nbase_url: http://127.0.0.1:1\nmax_in_flight: \(bad)\n")
            defer { try? FileManager.default.removeItem(at: b) }
            #expect(throws: GatewayConfigError.self) { try GatewayConfig.load(home: b, environment: [:]) }
        }
    }

    @Test func theEnvironmentURLWins() throws {
        let h = try home("kind: sandbox\n")
        defer { try? FileManager.default.removeItem(at: h) }
        let c = try GatewayConfig.load(home: h, environment: ["EZINSURANCE_PG_URL": "http://127.0.0.1:9"])
        #expect(c.kind == .http && c.baseURL?.port == 9)
    }

    @Test func aSecretInTheFileIsRefused() throws {
        let h = try home("kind: http\nbase_url: http://127.0.0.1:1\nsecret: test_sk_123\n")
        defer { try? FileManager.default.removeItem(at: h) }
        do {
            _ = try GatewayConfig.load(home: h, environment: [:])
            Issue.record("expected an error")
        } catch let e as GatewayConfigError {
            #expect(!e.description.contains("test_sk_123"))
        }
    }

    @Test func httpWithoutURLIsAnError() throws {
        let h = try home("kind: http\n")
        defer { try? FileManager.default.removeItem(at: h) }
        #expect(throws: GatewayConfigError.self) { try GatewayConfig.load(home: h, environment: [:]) }
    }

    @Test func theSecretComesFromTheEnvironmentOrAFile() throws {
        let h = try home(nil)
        defer { try? FileManager.default.removeItem(at: h) }
        #expect(try PGSecret.resolve(environment: ["EZINSURANCE_PG_SECRET": "sk_env"]) == PGSecret("sk_env"))
        let file = h.appendingPathComponent("secret")
        try "sk_file\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(try PGSecret.resolve(environment: ["EZINSURANCE_PG_SECRET_FILE": file.path]) == PGSecret("sk_file"))
        #expect(try PGSecret.resolve(environment: [:]) == nil)
        #expect(throws: GatewayConfigError.self) {
            try PGSecret.resolve(environment: ["EZINSURANCE_PG_SECRET_FILE": h.appendingPathComponent("none").path])
        }
    }
}
