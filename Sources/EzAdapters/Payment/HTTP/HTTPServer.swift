import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small blocking HTTP/1.1 server: one request per connection (`Connection: close`),
/// bounded request size and read time, up to `maxConnections` connections handled at once
/// (each on a thread of its own; 1: one after another). Enough for a loopback sandbox.
///
/// `serve` polls its listening socket every `tickMs`, so it notices a stop request (e.g. a
/// signal handler setting a flag) and can stop listening on demand: while `listening()`
/// answers false the listening socket is closed, and connection attempts are refused by the
/// kernel (a real outage as a client sees it); it is reopened on the same port afterwards.
public final class HTTPServer {
    /// What to do with a request.
    public enum Reply {
        case respond(HTTPResponse)
        /// Close the connection without answering (the answer is lost on the way).
        case drop
    }

    public let host: String
    public private(set) var port: Int
    public var maxHeadBytes = 16 << 10
    public var maxBodyBytes = 1 << 20
    /// How long a client may take to send its request.
    public var readTimeoutMs = 5_000
    public var tickMs = 50
    /// Connections handled at once; the next is accepted when one ends.
    public var maxConnections = 1

    private var listener: Int32 = -1

    /// - Parameter port: 0 picks a free port; `port` tells which once `open()` returned.
    public init(host: String = "127.0.0.1", port: Int) {
        self.host = host
        self.port = port
    }

    deinit { closeListener() }

    /// Binds and listens; afterwards `port` is the bound port.
    public func open() throws(SocketError) {
        guard listener < 0 else { return }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Socket.streamType
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let ai = list else {
            throw .malformed("cannot resolve \(host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(list) }
        let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype, ai.pointee.ai_protocol)
        guard fd >= 0 else { throw .io("socket", errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 else {
            let code = errno
            close(fd)
            throw .io("bind \(host):\(port)", code)
        }
        guard listen(fd, 64) == 0 else {
            let code = errno
            close(fd)
            throw .io("listen", code)
        }
        var storage = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        if Int32(storage.ss_family) == AF_INET {
            port = withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            }
        } else if Int32(storage.ss_family) == AF_INET6 {
            port = withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
        }
        listener = fd
    }

    /// Stops listening (new connections are refused) until `open()` is called again.
    public func closeListener() {
        if listener >= 0 { close(listener) }
        listener = -1
    }

    public var isListening: Bool { listener >= 0 }

    /// Serves until `shouldStop()` is true. Before each wait, `listening()` says whether the
    /// server should accept connections now.
    /// Returns once the connections in hand are answered.
    public func serve(shouldStop: () -> Bool, listening: () -> Bool = { true },
                      handler: @escaping @Sendable (HTTPRequest) -> Reply) throws(SocketError) {
        let atOnce = max(1, maxConnections)
        let slots = DispatchSemaphore(value: atOnce)
        let handling = DispatchGroup()
        defer { handling.wait() }
        while !shouldStop() {
            if listening() {
                if listener < 0 { try open() }
            } else {
                closeListener()
                usleep(useconds_t(tickMs * 1000))
                continue
            }
            var p = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            let r = poll(&p, 1, Int32(tickMs))
            if r < 0 {
                if errno == EINTR { continue }
                throw .io("poll", errno)
            }
            if r == 0 { continue }
            let fd = accept(listener, nil, nil)
            if fd < 0 { continue }
            guard atOnce > 1 else {
                Self.handle(Socket(fd: fd), handler, limits: limits)
                continue
            }
            slots.wait()
            handling.enter()
            let limits = limits
            Thread.detachNewThread {
                // The socket is closed as the call returns (the client reads to the end).
                Self.handle(Socket(fd: fd), handler, limits: limits)
                slots.signal()
                handling.leave()
            }
        }
        closeListener()
    }

    /// The request size and read time a connection is held to.
    private struct Limits: Sendable {
        var readTimeoutMs: Int
        var maxHeadBytes: Int
        var maxBodyBytes: Int
    }

    private var limits: Limits { Limits(readTimeoutMs: readTimeoutMs, maxHeadBytes: maxHeadBytes, maxBodyBytes: maxBodyBytes) }

    private static func handle(_ socket: Socket, _ handler: (HTTPRequest) -> Reply, limits: Limits) {
        let deadline = Deadline(milliseconds: limits.readTimeoutMs)
        let request: HTTPRequest
        do {
            let (start, headers, body) = try socket.readMessage(deadline: deadline, maxHead: limits.maxHeadBytes,
                                                                maxBody: limits.maxBodyBytes, bodyToEOF: false)
            guard start.count == 3, start[2].hasPrefix("HTTP/1.") else {
                try? socket.send(HTTPResponse.text(400, "bad request line\n").serialized(), deadline: Deadline(milliseconds: 1000))
                return
            }
            request = HTTPRequest(method: start[0], target: start[1], headers: headers, body: body)
        } catch .tooLarge {
            try? socket.send(HTTPResponse.text(413, "request too large\n").serialized(), deadline: Deadline(milliseconds: 1000))
            return
        } catch {
            return  // the client went away or sent garbage; nothing to answer
        }
        switch handler(request) {
        case .respond(let response):
            // The client may have given up already (late answers): a failed send is fine.
            try? socket.send(response.serialized(), deadline: Deadline(milliseconds: 5_000))
        case .drop:
            return
        }
    }
}
