import Foundation

/// Reusable objects that are safe on one thread at a time: each caller takes one (or makes
/// one when all are taken) and puts it back; the lock guards only the free list.
public final class Pool<Object>: @unchecked Sendable {
    private var free: [Object] = []
    private let lock = NSLock()
    private let make: () -> Object

    public init(_ make: @escaping () -> Object) { self.make = make }

    public func with<R>(_ body: (Object) throws -> R) rethrows -> R {
        let object = lock.withLock { free.popLast() } ?? make()
        defer { lock.withLock { free.append(object) } }
        return try body(object)
    }
}
