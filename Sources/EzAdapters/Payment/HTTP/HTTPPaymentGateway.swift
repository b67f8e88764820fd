import EzCore
import Foundation

/// `PaymentGateway` over the HTTP API of `PGWire` (a Toss-like PG, or `pg-sandbox serve`).
///
/// Every charge and cancel carries the `Idempotency-Key` header (our record's key, the same
/// on every retry) and HTTP Basic auth with the secret key. Outcomes:
///
/// | what happened | result |
/// |---|---|
/// | 200 with a payment | the transaction (approved or declined: a decline is a business answer) |
/// | 4xx whose body is a payment with `failure` | a declined transaction |
/// | connection refused, host unreachable, connect timeout | `.unavailable` (nothing was sent) |
/// | 5xx, 429, 408 | `.unavailable` |
/// | no complete answer before the request timeout, connection closed after sending, unreadable 200 | `.timeout` (outcome unknown: look the key up) |
/// | 409 | `.idempotencyConflict` |
/// | other 4xx (400, 401, 404 on charge/cancel) | `.invalidRequest` |
/// | lookup: 404 | nil |
public struct HTTPPaymentGateway: PaymentGateway {
    public let baseURL: URL
    private let endpoint: HTTPClient.Endpoint
    private let client: HTTPClient
    private let secret: PGSecret?
    /// Separate calls of a batch in flight at once (`max_in_flight`), each on its own connection.
    public let callsInFlight: Int

    public init(baseURL: URL, secret: PGSecret?, connectTimeoutMs: Int = 2_000, requestTimeoutMs: Int = 10_000,
                callsInFlight: Int = 1) throws {
        do {
            endpoint = try HTTPClient.Endpoint(url: baseURL)
        } catch {
            throw GatewayConfigError(message: "\(error)")
        }
        self.baseURL = baseURL
        self.secret = secret
        self.callsInFlight = max(1, callsInFlight)
        client = HTTPClient(connectTimeoutMs: connectTimeoutMs, requestTimeoutMs: requestTimeoutMs)
    }

    public func charge(_ request: ChargeRequest) throws -> GatewayTransaction {
        let response = try send("POST", PGWire.confirmPath, key: request.idempotencyKey,
                                body: PGWire.encode(PGConfirmRequest(request)))
        return try transaction(response, key: request.idempotencyKey)
    }

    public func refund(_ request: RefundRequest) throws -> GatewayTransaction {
        let response = try send("POST", PGWire.cancelPath(paymentKey: request.originalTransactionId),
                                key: request.idempotencyKey, body: PGWire.encode(PGCancelRequest(request)))
        return try transaction(response, key: request.idempotencyKey)
    }

    public func lookup(idempotencyKey: String) throws -> GatewayTransaction? {
        let response = try send("GET", PGWire.lookupPath(idempotencyKey: idempotencyKey), key: nil, body: Data())
        if response.status == 404 { return nil }
        return try transaction(response, key: idempotencyKey)
    }

    /// The whole exchange of a statement download (the request timeout is for one payment).
    static let statementTimeoutMs = 600_000
    /// Largest statement downloaded: a 1M night's is 65 MB (the client's limit for other
    /// answers, 8 MiB, is a statement of about 125,000 lines).
    static let maxStatementBytes = 4 << 30

    /// Downloads the settlement statement of a date (`GET /v1/settlements?date=`) into `url`:
    /// written a piece at a time as it arrives to a hidden file beside it, fsync'd, then
    /// renamed over it, so a statement of any size is read in the memory of one piece and a
    /// reader never sees part of one.
    public func downloadSettlementStatement(date: BusinessDate, to url: URL) throws {
        try AtomicFile.stream(to: url, sync: true) { file in
            let response: HTTPResponse
            do throws(SocketError) {
                response = try client.download(request("GET", PGWire.settlementsPath(date: date), key: nil, body: Data()),
                                               to: endpoint, timeoutMs: Self.statementTimeoutMs,
                                               maxBytes: Self.maxStatementBytes) { (piece: Data) throws(SocketError) in
                    do {
                        try piece.withUnsafeBytes { try file.write($0) }
                    } catch let FileError.io(path, code) {
                        throw .io("writing \(path)", code)
                    } catch {
                        throw .io("writing \(file.url.path): \(error)", EIO)
                    }
                }
            } catch {
                throw unreached(error, method: "GET")
            }
            guard response.status == 200 else {
                // The body is the PG's error (JSON), in the file.
                try file.flush()
                var body = Data()
                try ChunkedFile.read(file.url, chunk: 64 << 10) { if body.count < 64 << 10 { body.append(contentsOf: $0) } }
                throw Self.error(for: HTTPResponse(status: response.status, headers: response.headers, body: body), key: nil)
            }
            return true
        }
    }

    private func request(_ method: String, _ path: String, key: String?, body: Data) -> HTTPRequest {
        var headers = ["Accept": "application/json"]
        if !body.isEmpty || method == "POST" { headers["Content-Type"] = "application/json" }
        if let key { headers[PGWire.idempotencyHeader] = key }
        if let secret { headers["Authorization"] = secret.authorization }
        return HTTPRequest(method: method, target: path, headers: headers, body: body)
    }

    private func send(_ method: String, _ path: String, key: String?, body: Data) throws -> HTTPResponse {
        do {
            return try client.send(request(method, path, key: key, body: body), to: endpoint)
        } catch {
            throw unreached(error, method: method)
        }
    }

    /// What a failed exchange means to the caller.
    private func unreached(_ error: SocketError, method: String) -> GatewayError {
        switch error {
        case .refused(let why): .unavailable("\(baseURL.absoluteString): \(why)")
        case .connectTimeout: .unavailable("\(baseURL.absoluteString): connect timeout")
        case .timeout, .closed: .timeout
        case .tooLarge, .malformed, .io:
            // The request may have been received: the outcome is unknown.
            method == "POST" ? .timeout : .unavailable("\(baseURL.absoluteString): \(error)")
        }
    }

    private func transaction(_ response: HTTPResponse, key: String) throws -> GatewayTransaction {
        let payment = try? JSONDecoder().decode(PGPayment.self, from: response.body)
        if response.status == 200 {
            guard let payment else { throw GatewayError.timeout }  // an answer we cannot read: outcome unknown
            return try payment.transaction()
        }
        if (400..<500).contains(response.status), let payment, payment.failure != nil {
            return try payment.transaction()
        }
        throw Self.error(for: response, key: key)
    }

    private static func error(for response: HTTPResponse, key: String?) -> GatewayError {
        let body = try? JSONDecoder().decode(PGErrorBody.self, from: response.body)
        let why = body.map { "\($0.code): \($0.message)" } ?? "HTTP \(response.status)"
        switch response.status {
        case 409: return .idempotencyConflict(key: key ?? "")
        case 408, 429, 500...: return .unavailable("HTTP \(response.status) \(why)")
        default: return .invalidRequest("HTTP \(response.status) \(why)")
        }
    }
}
