import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a socket operation failed. The gateway client maps these to `GatewayError`.
public enum SocketError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Nobody listens there (ECONNREFUSED) or the host is unreachable: nothing was sent.
    case refused(String)
    /// The connection was not established in time: nothing was sent.
    case connectTimeout
    /// The deadline passed while sending or waiting for the answer.
    case timeout
    /// The peer closed the connection before a complete message arrived.
    case closed
    /// A message exceeded the size limit.
    case tooLarge(Int)
    /// The bytes are not HTTP/1.1.
    case malformed(String)
    case io(String, Int32)

    public var description: String {
        switch self {
        case .refused(let why): "connection refused: \(why)"
        case .connectTimeout: "connect timeout"
        case .timeout: "timed out"
        case .closed: "connection closed before a complete message"
        case .tooLarge(let limit): "message larger than \(limit) bytes"
        case .malformed(let why): "malformed HTTP message: \(why)"
        case .io(let op, let code): "\(op): \(String(cString: strerror(code)))"
        }
    }
}

/// A connected stream socket with deadline-bounded reads and writes (non-blocking + poll).
/// Closed when the value goes away.
final class Socket {
    let fd: Int32

    init(fd: Int32) {
        self.fd = fd
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        #if canImport(Darwin)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
    }

    deinit { close(fd) }

    static var streamType: Int32 {
        #if canImport(Glibc)
        Int32(SOCK_STREAM.rawValue)
        #else
        SOCK_STREAM
        #endif
    }

    /// Resolves `host` (numeric or a name) and connects within `timeoutMs` milliseconds.
    static func connect(host: String, port: Int, timeoutMs: Int) throws(SocketError) -> Socket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = streamType
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw .refused("cannot resolve \(host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(list) }
        var lastError: SocketError = .refused("\(host):\(port)")
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        let deadline = Deadline(milliseconds: timeoutMs)
        while let ai = cursor {
            cursor = ai.pointee.ai_next
            let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype, ai.pointee.ai_protocol)
            guard fd >= 0 else { lastError = .io("socket", errno); continue }
            let sock = Socket(fd: fd)
            let r = systemConnect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen)
            if r == 0 { return sock }
            let code = errno
            if code == ECONNREFUSED || code == ENETUNREACH || code == EHOSTUNREACH {
                lastError = .refused("\(host):\(port): \(String(cString: strerror(code)))")
                continue
            }
            guard code == EINPROGRESS else { lastError = .io("connect", code); continue }
            guard try sock.wait(for: Int16(POLLOUT), deadline: deadline, onTimeout: .connectTimeout) else {
                throw .connectTimeout
            }
            var err: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
            if err == 0 { return sock }
            if err == ECONNREFUSED || err == ENETUNREACH || err == EHOSTUNREACH {
                lastError = .refused("\(host):\(port): \(String(cString: strerror(err)))")
            } else {
                lastError = .io("connect", err)
            }
        }
        throw lastError
    }

    /// Waits until the socket is ready for `events`; false when the deadline passed.
    func wait(for events: Int16, deadline: Deadline, onTimeout: SocketError = .timeout) throws(SocketError) -> Bool {
        while true {
            let remaining = deadline.remainingMs
            if remaining <= 0 { return false }
            var p = pollfd(fd: fd, events: events, revents: 0)
            let r = poll(&p, 1, Int32(min(remaining, Int(Int32.max))))
            if r > 0 { return true }
            if r == 0 { return false }
            if errno == EINTR { continue }
            throw .io("poll", errno)
        }
    }

    /// Sends all of `data` before the deadline.
    func send(_ data: Data, deadline: Deadline) throws(SocketError) {
        var offset = 0
        let count = data.count
        while offset < count {
            let n = data.withUnsafeBytes { buf -> Int in
                #if canImport(Glibc)
                Glibc.send(fd, buf.baseAddress! + offset, count - offset, Int32(MSG_NOSIGNAL))
                #else
                Darwin.send(fd, buf.baseAddress! + offset, count - offset, 0)
                #endif
            }
            if n > 0 { offset += n; continue }
            let code = errno
            if n < 0 && (code == EAGAIN || code == EWOULDBLOCK || code == EINTR) {
                guard try wait(for: Int16(POLLOUT), deadline: deadline) else { throw .timeout }
                continue
            }
            if code == EPIPE || code == ECONNRESET { throw .closed }
            throw .io("send", code)
        }
    }

    /// Reads what is available (at most `max` bytes); empty at end of stream.
    func receive(max: Int, deadline: Deadline) throws(SocketError) -> Data {
        var buffer = [UInt8](repeating: 0, count: max)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, max, 0) }
            if n >= 0 { return Data(buffer[0..<n]) }
            let code = errno
            if code == EAGAIN || code == EWOULDBLOCK || code == EINTR {
                guard try wait(for: Int16(POLLIN), deadline: deadline) else { throw .timeout }
                continue
            }
            if code == ECONNRESET { throw .closed }
            throw .io("recv", code)
        }
    }

    /// Reads one HTTP message: the head (at most `maxHead` bytes) and a body of
    /// Content-Length bytes (at most `maxBody`); without Content-Length, the body runs to the
    /// end of the stream when `bodyToEOF`, else is empty. With `sink`, the body is handed to it
    /// a piece at a time as it arrives (and the returned body is empty), so a body of any size
    /// is read in the memory of one piece; `maxBody` still bounds its length.
    func readMessage(deadline: Deadline, maxHead: Int, maxBody: Int, bodyToEOF: Bool,
                     sink: ((Data) throws(SocketError) -> Void)? = nil)
        throws(SocketError) -> (start: [String], headers: [String: String], body: Data) {
        var data = Data()
        var headEnd: Range<Data.Index>?
        while headEnd == nil {
            let chunk = try receive(max: 8192, deadline: deadline)
            if chunk.isEmpty { throw .closed }
            data.append(chunk)
            headEnd = data.range(of: HTTPHead.terminator)
            if headEnd == nil && data.count > maxHead { throw .tooLarge(maxHead) }
        }
        let head = data[data.startIndex..<headEnd!.lowerBound]
        guard head.count <= maxHead else { throw .tooLarge(maxHead) }
        guard let (start, headers) = HTTPHead.parse(Data(head)) else { throw .malformed("unreadable head") }
        var body = Data()
        var received = 0
        func take(_ piece: Data) throws(SocketError) {
            received += piece.count
            if let sink { try sink(piece) } else { body.append(piece) }
        }
        let early = Data(data[headEnd!.upperBound...])
        if let lengthText = headers["content-length"] {
            guard let length = Int(lengthText), length >= 0 else { throw .malformed("content-length \(lengthText)") }
            guard length <= maxBody else { throw .tooLarge(maxBody) }
            try take(early.prefix(length))
            while received < length {
                let chunk = try receive(max: min(65536, length - received), deadline: deadline)
                if chunk.isEmpty { throw .closed }
                try take(chunk)
            }
        } else if headers["transfer-encoding"] != nil {
            throw .malformed("chunked transfer encoding is not supported")
        } else if bodyToEOF {
            try take(early)
            while true {
                let chunk = try receive(max: 65536, deadline: deadline)
                if chunk.isEmpty { break }
                try take(chunk)
                if received > maxBody { throw .tooLarge(maxBody) }
            }
        }
        return (start, headers, body)
    }
}

/// A point in time on the monotonic clock, `milliseconds` from its creation.
struct Deadline {
    let end: UInt64

    init(milliseconds: Int) {
        end = Deadline.nowNs() + UInt64(max(0, milliseconds)) * 1_000_000
    }

    var remainingMs: Int {
        let now = Deadline.nowNs()
        return now >= end ? 0 : Int((end - now + 999_999) / 1_000_000)
    }

    static func nowNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}

#if canImport(Glibc)
private func systemConnect(_ fd: Int32, _ addr: UnsafeMutablePointer<sockaddr>!, _ len: socklen_t) -> Int32 {
    Glibc.connect(fd, addr, len)
}
#else
private func systemConnect(_ fd: Int32, _ addr: UnsafeMutablePointer<sockaddr>!, _ len: socklen_t) -> Int32 {
    Darwin.connect(fd, addr, len)
}
#endif
