import Foundation

/// Writes files so that a reader sees the old content or the new, never a part.
public enum AtomicFile {
    /// Writes `data` to a hidden temporary file beside `url`, optionally fsyncs it, then
    /// renames it over `url`. Files are created with `permissions` (0600: they may hold personal data).
    public static func write(_ data: Data, to url: URL, permissions: Int = 0o600, sync: Bool = false) throws {
        let dir = url.deletingLastPathComponent()
        let temp = dir.appendingPathComponent("." + url.lastPathComponent + ".tmp")
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_TRUNC, mode_t(permissions))
        guard fd >= 0 else { throw FileError.io(path: temp.path, errno: errno) }
        defer { close(fd) }
        try data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 { throw FileError.io(path: temp.path, errno: errno) }
                offset += n
            }
        }
        // A failed fsync (EIO, ENOSPC) means the bytes may not be on disk: not renamed into place.
        if sync, fsync(fd) != 0 { throw FileError.io(path: temp.path, errno: errno) }
        guard rename(temp.path, url.path) == 0 else { throw FileError.io(path: url.path, errno: errno) }
    }

    public static func write(_ text: String, to url: URL, permissions: Int = 0o600, sync: Bool = false) throws {
        try write(Data(text.utf8), to: url, permissions: permissions, sync: sync)
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
