import Foundation

/// An HTTP/1.1 request as the sandbox server reads it and the gateway client writes it.
public struct HTTPRequest: Sendable, Hashable {
    public var method: String
    /// Path with the query string, as sent on the request line (`/v1/settlements?date=2026-12-01`).
    public var target: String
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: Data

    public init(method: String, target: String, headers: [String: String] = [:], body: Data = Data()) {
        self.method = method
        self.target = target
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { $1 })
        self.body = body
    }

    /// The path without the query string, percent-decoded per segment by the router.
    public var path: String { String(target.split(separator: "?", maxSplits: 1).first ?? "") }

    /// Query parameters (`a=b&c=d`), percent-decoded.
    public var query: [String: String] {
        guard let q = target.split(separator: "?", maxSplits: 1).dropFirst().first else { return [:] }
        var out: [String: String] = [:]
        for pair in q.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            let key = String(kv[0]).removingPercentEncoding ?? String(kv[0])
            let value = kv.count > 1 ? (String(kv[1]).removingPercentEncoding ?? String(kv[1])) : ""
            out[key] = value
        }
        return out
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The request as bytes on the wire (always with Content-Length; `Connection: close`).
    func serialized(host: String) -> Data {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) where name != "host" && name != "connection"
            && name != "content-length" {
            head += "\(name): \(value)\r\n"
        }
        head += "content-length: \(body.count)\r\n\r\n"
        return Data(head.utf8) + body
    }
}

/// An HTTP/1.1 response.
public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { $1 })
        self.body = body
    }

    public static func json(_ status: Int, _ body: Data) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["content-type": "application/json; charset=utf-8"], body: body)
    }

    public static func text(_ status: Int, _ text: String, type: String = "text/plain; charset=utf-8") -> HTTPResponse {
        HTTPResponse(status: status, headers: ["content-type": type], body: Data(text.utf8))
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    func serialized() -> Data {
        var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\nConnection: close\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) where name != "connection" && name != "content-length" {
            head += "\(name): \(value)\r\n"
        }
        head += "content-length: \(body.count)\r\n\r\n"
        return Data(head.utf8) + body
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 409: "Conflict"
        case 413: "Payload Too Large"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

/// Reading one HTTP/1.1 message head (start line and headers) from bytes.
enum HTTPHead {
    static let terminator = Data("\r\n\r\n".utf8)

    /// Splits `head` (without the blank line) into the start line's parts and the headers.
    static func parse(_ head: Data) -> (start: [String], headers: [String: String])? {
        guard let text = String(data: head, encoding: .utf8) else { return nil }
        var lines = text.components(separatedBy: "\r\n")
        guard !lines.isEmpty else { return nil }
        let start = lines.removeFirst().split(separator: " ", maxSplits: 2).map(String.init)
        guard start.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = value
        }
        return (start, headers)
    }
}
