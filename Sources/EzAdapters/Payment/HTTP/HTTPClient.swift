import Foundation

/// A minimal blocking HTTP/1.1 client over plain TCP (`http://` only), one connection per
/// request, with a connect timeout and a deadline on the whole exchange.
///
/// Plain HTTP is what the loopback sandbox speaks; a production PG over TLS is reached through
/// a local TLS-terminating proxy (see `GatewayConfig`).
public struct HTTPClient: Sendable {
    public var connectTimeoutMs: Int
    public var requestTimeoutMs: Int
    /// Largest answer read (head and body).
    public var maxResponseBytes: Int

    public init(connectTimeoutMs: Int, requestTimeoutMs: Int, maxResponseBytes: Int = 8 << 20) {
        self.connectTimeoutMs = connectTimeoutMs
        self.requestTimeoutMs = requestTimeoutMs
        self.maxResponseBytes = maxResponseBytes
    }

    /// Where a request goes: host and port of an `http://` base URL.
    public struct Endpoint: Sendable, Hashable {
        public var host: String
        public var port: Int
        /// Path prefix of the base URL, without a trailing slash (often empty).
        public var basePath: String

        public init(url: URL) throws(SocketError) {
            guard url.scheme?.lowercased() == "http", let host = url.host, !host.isEmpty else {
                throw .malformed("only http://host[:port] base URLs are supported: \(url.absoluteString)")
            }
            self.host = host
            self.port = url.port ?? 80
            var p = url.path
            while p.hasSuffix("/") { p.removeLast() }
            self.basePath = p
        }

        var hostHeader: String { port == 80 ? host : "\(host):\(port)" }
    }

    /// Sends `request` (its target is appended to the endpoint's base path) and reads the answer.
    ///
    /// - Throws: `SocketError.refused` / `.connectTimeout` when nothing was sent;
    ///   `.timeout` / `.closed` when the request may have been received but no full answer came.
    public func send(_ request: HTTPRequest, to endpoint: Endpoint) throws(SocketError) -> HTTPResponse {
        try exchange(request, to: endpoint, deadline: Deadline(milliseconds: requestTimeoutMs),
                     maxBody: maxResponseBytes, sink: nil)
    }

    /// Sends `request` and hands the answer's body to `sink` a piece at a time as it arrives
    /// (a settlement statement of any size, read in the memory of one piece), within
    /// `timeoutMs` for the whole exchange and `maxBytes` of body. The returned response has
    /// an empty body.
    public func download(_ request: HTTPRequest, to endpoint: Endpoint, timeoutMs: Int, maxBytes: Int,
                         into sink: (Data) throws(SocketError) -> Void) throws(SocketError) -> HTTPResponse {
        try withoutActuallyEscaping(sink) { (sink) throws(SocketError) -> HTTPResponse in
            try exchange(request, to: endpoint, deadline: Deadline(milliseconds: timeoutMs), maxBody: maxBytes, sink: sink)
        }
    }

    private func exchange(_ request: HTTPRequest, to endpoint: Endpoint, deadline whole: Deadline, maxBody: Int,
                          sink: ((Data) throws(SocketError) -> Void)?) throws(SocketError) -> HTTPResponse {
        let socket = try Socket.connect(host: endpoint.host, port: endpoint.port,
                                        timeoutMs: min(connectTimeoutMs, whole.remainingMs))
        var outgoing = request
        outgoing.target = endpoint.basePath + request.target
        try socket.send(outgoing.serialized(host: endpoint.hostHeader), deadline: whole)
        let (start, headers, body) = try socket.readMessage(deadline: whole, maxHead: 64 << 10,
                                                            maxBody: maxBody, bodyToEOF: true, sink: sink)
        guard start[0].hasPrefix("HTTP/1."), let status = Int(start[1]) else {
            throw .malformed("status line \(start.joined(separator: " "))")
        }
        return HTTPResponse(status: status, headers: headers, body: body)
    }
}
