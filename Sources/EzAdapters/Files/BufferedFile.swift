import Foundation

/// A file written a piece at a time through a buffer of `capacity` bytes (a report's rows,
/// written as they are made instead of joined in memory first). Created empty, owner-only
/// unless `permissions` say otherwise.
public final class BufferedFile {
    public let url: URL
    private let fd: Int32
    private var buffer: [UInt8] = []
    private let capacity: Int

    public init(creating url: URL, permissions: mode_t = 0o600, capacity: Int = 1 << 20) throws {
        self.url = url
        self.capacity = capacity
        fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, permissions)
        guard fd >= 0 else { throw FileError.io(path: url.path, errno: errno) }
        buffer.reserveCapacity(capacity)
    }

    deinit { close(fd) }

    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        if buffer.count + bytes.count > capacity { try flush() }
        if bytes.count >= capacity { try put(bytes) } else { buffer.append(contentsOf: bytes) }
    }

    /// Appends the whole content of the file at `other`, read a chunk at a time.
    public func append(contentsOf other: URL) throws {
        try ChunkedFile.read(other) { try write($0) }
    }

    /// Writes what the buffer holds.
    public func flush() throws {
        try buffer.withUnsafeBytes { try put($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what the buffer holds and fsyncs the file.
    public func sync() throws {
        try flush()
        if fsync(fd) != 0 { throw FileError.io(path: url.path, errno: errno) }
    }

    private func put(_ bytes: UnsafeRawBufferPointer) throws {
        try Self.writeAll(bytes, to: fd, path: url.path)
    }

    /// Writes every byte of `bytes` to the open file `fd` (`path` names it in the error),
    /// however many calls it takes.
    static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError.io(path: path, errno: errno)
            }
            offset += n
        }
    }
}

/// Reads a file a chunk at a time, so that a file of any size is read in the memory of one chunk.
public enum ChunkedFile {
    /// Calls `body` with each chunk of the file at `url`, in order; false when there is no file.
    @discardableResult
    public static func read(_ url: URL, chunk: Int = 1 << 20, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else {
            if errno == ENOENT { return false }
            throw FileError.io(path: url.path, errno: errno)
        }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = Foundation.read(fd, buffer.baseAddress!, chunk)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError.io(path: url.path, errno: errno)
            }
            if n == 0 { return true }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }
}
