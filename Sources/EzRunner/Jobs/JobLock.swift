import Foundation

/// An exclusive OS lock on `<home>/locks/<job>.lock`, held for the life of a run.
///
/// The kernel drops the lock when the process dies, so a crashed run never blocks the next.
/// The file names the holder so a refused run can say who holds it.
public final class JobLock {
    private let fd: Int32
    public let path: String

    /// Takes the lock or throws `RunnerError.locked` naming the holder.
    public init(path: String, holder: String) throws {
        self.path = path
        fd = open(path, O_RDWR | O_CREAT, 0o600)
        guard fd >= 0 else { throw RunnerError.internalError("cannot open lock \(path): \(String(cString: strerror(errno)))") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let current = (try? String(contentsOfFile: path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown"
            close(fd)
            throw RunnerError.locked("\(path) is held by \(current.isEmpty ? "another run" : current)")
        }
        ftruncate(fd, 0)
        let text = holder + "\n"
        _ = text.withCString { Foundation.write(fd, $0, strlen($0)) }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
