import Foundation

/// Writes files so that a reader sees the old content or the new, never a part.
public enum AtomicFile {
    /// Writes `data` to a hidden temporary file beside `url`, optionally fsyncs it, then
    /// renames it over `url`. Files are created with `permissions` (0600: they may hold personal data).
    public static func write(_ data: Data, to url: URL, permissions: Int = 0o600, sync: Bool = false) throws {
        try rename(try writeTemporary(data, for: url, permissions: permissions, sync: sync), over: url)
    }

    /// The first half of `write`: the hidden temporary file beside `url`, written (and fsync'd
    /// when `sync`), not yet in place. Returns its URL, to hand to `rename(_:over:)`.
    public static func writeTemporary(_ data: Data, for url: URL, permissions: Int = 0o600, sync: Bool) throws -> URL {
        try data.withUnsafeBytes { try writeTemporary($0, for: url, permissions: permissions, sync: sync) }
    }

    /// `writeTemporary` of bytes in memory (a string's UTF-8 in place, without a copy).
    static func writeTemporary(_ bytes: UnsafeRawBufferPointer, for url: URL, permissions: Int, sync: Bool) throws -> URL {
        let temp = temporaryURL(for: url)
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_TRUNC, mode_t(permissions))
        guard fd >= 0 else { throw FileError.io(path: temp.path, errno: errno) }
        defer { close(fd) }
        try BufferedFile.writeAll(bytes, to: fd, path: temp.path)
        // A failed fsync (EIO, ENOSPC) means the bytes may not be on disk: not renamed into place.
        if sync, fsync(fd) != 0 { throw FileError.io(path: temp.path, errno: errno) }
        return temp
    }

    /// Fsyncs a file already written (a temporary file written without `sync`).
    public static func syncFile(_ url: URL) throws {
        try sync(url, opening: O_WRONLY)
    }

    /// Where `write` puts the bytes for `url` before they are renamed into place.
    public static func temporaryURL(for url: URL) -> URL {
        // A path hint, so Foundation does not stat the file system to tell a folder from a file.
        url.deletingLastPathComponent().appending(path: "." + url.lastPathComponent + ".tmp", directoryHint: .notDirectory)
    }

    /// The second half of `write`: puts the temporary file in place, atomically.
    public static func rename(_ temp: URL, over url: URL) throws {
        guard Foundation.rename(temp.path, url.path) == 0 else { throw FileError.io(path: url.path, errno: errno) }
    }

    public static func write(_ bytes: [UInt8], to url: URL, permissions: Int = 0o600, sync: Bool = false) throws {
        let temp = try bytes.withUnsafeBytes { try writeTemporary($0, for: url, permissions: permissions, sync: sync) }
        try rename(temp, over: url)
    }

    public static func write(_ text: String, to url: URL, permissions: Int = 0o600, sync: Bool = false) throws {
        var text = text
        let temp = try text.withUTF8 { try writeTemporary(UnsafeRawBufferPointer($0), for: url, permissions: permissions, sync: sync) }
        try rename(temp, over: url)
    }

    /// Writes the file at `url` a piece at a time (a file too large to build in memory first):
    /// `body` writes into a hidden temporary file beside it (`temporary`, by default
    /// `temporaryURL(for:)`) through a `BufferedFile`. When `body` returns true, the file is
    /// flushed (and fsync'd when `sync`) and renamed over `url`; when it returns false or
    /// throws, the temporary file is removed and `url` is left as it was. Returns what `body`
    /// returned.
    @discardableResult
    public static func stream(to url: URL, temporary: URL? = nil, permissions: Int = 0o600, sync: Bool = false,
                              _ body: (BufferedFile) throws -> Bool) throws -> Bool {
        let temp = temporary ?? temporaryURL(for: url)
        var renamed = false
        defer { if !renamed { try? FileManager.default.removeItem(at: temp) } }
        let file = try BufferedFile(creating: temp, permissions: mode_t(permissions))
        guard try body(file) else { return false }
        if sync { try file.sync() } else { try file.flush() }
        try rename(temp, over: url)
        renamed = true
        return true
    }

    /// Fsyncs a folder, so that the renames done in it so far survive a power loss (an fsync'd
    /// file renamed into place is only durable under its new name once its folder is).
    public static func syncDirectory(_ url: URL) throws {
        try sync(url, opening: O_RDONLY | O_DIRECTORY)
    }

    private static func sync(_ url: URL, opening flags: Int32) throws {
        let fd = open(url.path, flags)
        guard fd >= 0 else { throw FileError.io(path: url.path, errno: errno) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw FileError.io(path: url.path, errno: errno) }
    }
}

/// A file operation failed; says which path and why.
public enum FileError: Error, CustomStringConvertible {
    case io(path: String, errno: Int32)
    case notFound(String)

    public var description: String {
        switch self {
        case .io(let path, let code): "\(path): \(String(cString: strerror(code)))"
        case .notFound(let path): "\(path): no such file"
        }
    }
}
