import EzCore
import Foundation

/// The sandbox gateway behind the HTTP API of `PGWire`: routes each request to the same
/// `SandboxGateway` (and ledger file) the in-process sandbox uses.
///
/// Faults come from the ledger (`SandboxFaults`), so `pg-sandbox faults`, the server's flags
/// and `POST /admin/faults` all change the same state:
/// - decline rules, latency, fail-every (503), late answers: applied by `SandboxGateway`;
/// - `timeoutAfterCommit`: the transaction is recorded, then the connection is closed
///   without an answer;
/// - `outage`: `listening()` turns false and the server closes its listening socket, so
///   connections are refused; a request already accepted gets 503.
public final class SandboxHTTPService: @unchecked Sendable {
    public let gateway: SandboxGateway
    /// When set, every call except the admin endpoint must carry `Basic base64(secret:)`.
    private let secret: PGSecret?
    private let log: (String) -> Void

    /// - Parameter log: one line per request (method, path, status); never headers or bodies.
    public init(gateway: SandboxGateway, secret: PGSecret?, log: @escaping (String) -> Void = { _ in }) {
        self.gateway = gateway
        self.secret = secret
        self.log = log
    }

    /// False while the ledger says the gateway is in an outage.
    public func listening() -> Bool {
        ((try? gateway.faults())?.outage ?? false) == false
    }

    public func handle(_ request: HTTPRequest) -> HTTPServer.Reply {
        let reply = route(request)
        switch reply {
        case .respond(let r): log("\(request.method) \(request.path) -> \(r.status)")
        case .drop: log("\(request.method) \(request.path) -> (answer dropped)")
        }
        return reply
    }

    private func route(_ request: HTTPRequest) -> HTTPServer.Reply {
        let segments = request.path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        if segments.first == "admin" {
            guard segments == ["admin", "faults"] else { return .respond(error(404, "NOT_FOUND", "no such endpoint")) }
            switch request.method {
            case "GET": return .respond(faultsAnswer())
            case "POST": return .respond(updateFaults(request.body))
            default: return .respond(error(405, "METHOD_NOT_ALLOWED", "GET or POST"))
            }
        }
        if let secret, request.header("authorization") != secret.authorization {
            return .respond(error(401, "UNAUTHORIZED_KEY", "missing or wrong secret key"))
        }
        switch (request.method, segments) {
        case ("POST", ["v1", "payments", "confirm"]):
            return mutating(request) { key in
                let body = try decode(PGConfirmRequest.self, request.body)
                return try self.gateway.charge(try body.charge(idempotencyKey: key))
            }
        case ("POST", let s) where s.count == 4 && s[0] == "v1" && s[1] == "payments" && s[3] == "cancel":
            return mutating(request) { key in
                let body = try decode(PGCancelRequest.self, request.body)
                return try self.gateway.refund(try body.refund(paymentKey: s[2], idempotencyKey: key))
            }
        case ("GET", let s) where s.count == 4 && s[0] == "v1" && s[1] == "payments" && s[2] == "idempotency-keys":
            do {
                guard let t = try gateway.lookup(idempotencyKey: s[3]) else {
                    return .respond(error(404, "NOT_FOUND_PAYMENT", "no payment under this idempotency key"))
                }
                return .respond(.json(200, PGWire.encode(PGPayment(t))))
            } catch {
                return failure(error)
            }
        case ("GET", ["v1", "settlements"]):
            guard let text = request.query["date"], let date = BusinessDate(text) else {
                return .respond(error(400, "INVALID_REQUEST", "date=YYYY-MM-DD is required"))
            }
            do {
                return .respond(.text(200, try gateway.settlementCSV(date: date), type: "text/csv; charset=utf-8"))
            } catch {
                return failure(error)
            }
        case (_, ["v1", "payments", "confirm"]), (_, ["v1", "settlements"]):
            return .respond(error(405, "METHOD_NOT_ALLOWED", "wrong method"))
        default:
            return .respond(error(404, "NOT_FOUND", "no such endpoint"))
        }
    }

    private func mutating(_ request: HTTPRequest, _ call: (String) throws -> GatewayTransaction) -> HTTPServer.Reply {
        guard let key = request.header(PGWire.idempotencyHeader), !key.isEmpty else {
            return .respond(error(400, "INVALID_REQUEST", "the Idempotency-Key header is required"))
        }
        do {
            return .respond(.json(200, PGWire.encode(PGPayment(try call(key)))))
        } catch {
            return failure(error)
        }
    }

    private func failure(_ e: any Error) -> HTTPServer.Reply {
        switch e as? GatewayError {
        case .unavailable(let why): .respond(error(503, "PROVIDER_ERROR", why))
        case .timeout: .drop
        case .idempotencyConflict(let key): .respond(error(409, "IDEMPOTENCY_CONFLICT", "idempotency key \(key) was used for another request"))
        case .invalidRequest(let why): .respond(error(400, "INVALID_REQUEST", why))
        case nil: .respond(error(500, "INTERNAL_ERROR", "\(e)"))
        }
    }

    private func faultsAnswer() -> HTTPResponse {
        do {
            let f = try gateway.faults()
            return .json(200, PGWire.encode(PGFaultsUpdate(outage: f.outage, latencyMs: f.latencyMs, failEvery: f.failEvery,
                                                          timeoutAfterCommit: f.timeoutAfterCommit, lateAnswerMs: f.lateAnswerMs)))
        } catch {
            return self.error(500, "INTERNAL_ERROR", "\(error)")
        }
    }

    private func updateFaults(_ body: Data) -> HTTPResponse {
        do {
            let u = try decode(PGFaultsUpdate.self, body)
            try gateway.updateFaults(outage: u.outage, latencyMs: u.latencyMs, failEvery: u.failEvery,
                                     timeoutAfterCommit: u.timeoutAfterCommit, lateAnswerMs: u.lateAnswerMs)
            return faultsAnswer()
        } catch let e as GatewayError {
            return error(400, "INVALID_REQUEST", e.description)
        } catch {
            return self.error(500, "INTERNAL_ERROR", "\(error)")
        }
    }

    private func error(_ status: Int, _ code: String, _ message: String) -> HTTPResponse {
        .json(status, PGWire.encode(PGErrorBody(code: code, message: message)))
    }
}

private func decode<T: Decodable>(_ type: T.Type, _ body: Data) throws -> T {
    do {
        return try JSONDecoder().decode(type, from: body)
    } catch {
        throw GatewayError.invalidRequest("unreadable \(T.self) body: \(error)")
    }
}
