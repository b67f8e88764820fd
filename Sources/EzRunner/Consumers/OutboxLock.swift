import Foundation

/// An OS lock on `<home>/locks/alarm-outbox.lock`, held while a process writes outbox files
/// under their temporary names and commits their batches, or publishes them.
///
/// A batch's file is written before its batch commits, under a name fixed by its number;
/// under this lock a process checks that the consumer's checkpoint is still where it prepared
/// its batches before writing a file, so no process ever writes over the file of a batch
/// another has committed. Today the alarms stage's own lock (`stage-alarms.lock`, taken by the
/// stage and by the follower) already keeps the consumer to one process at a time; this lock
/// makes the outbox's protocol safe by itself, whoever runs the consumer (intake,
/// retry-payments and daily-close all do). Waits for the holder (one step or one publishing
/// group); the kernel drops it when the process dies.
final class OutboxLock {
    private let fd: Int32

    init(locks: URL) throws {
        let path = locks.appendingPathComponent("alarm-outbox.lock").path
        fd = open(path, O_RDWR | O_CREAT, 0o600)
        guard fd >= 0 else { throw RunnerError.internalError("cannot open lock \(path): \(String(cString: strerror(errno)))") }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                close(fd)
                throw RunnerError.internalError("cannot lock \(path): \(String(cString: strerror(errno)))")
            }
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }

    static func holding<T>(_ locks: URL, _ body: () throws -> T) throws -> T {
        let lock = try OutboxLock(locks: locks)
        return try withExtendedLifetime(lock) { try body() }
    }
}
