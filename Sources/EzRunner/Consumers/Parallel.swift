import Dispatch
import EzCore
import Foundation

/// Small fork-join helpers for preparing a chunk on several threads; pure work only (no
/// store access), results in a fixed order.
enum Parallel {
    /// Workers of a stage that prepares its work on several threads (views, documents): one per
    /// core, at most four; one with `EZINSURANCE_CONSUMERS=serial`.
    static var stageWorkers: Int {
        if ConsumerFollower.serial { return 1 }
        return cores
    }

    /// Read once: Foundation reads the process's CPU quota from files on every call (a
    /// tenth of the time of writing a chunk's document bundle).
    private static let cores = min(4, ProcessInfo.processInfo.activeProcessorCount)

    /// Results of `body(worker)` for workers 0..<workers, in worker order; the first error is raised.
    static func run<T>(workers: Int, _ body: @Sendable (Int) throws -> T) throws -> [T] {
        if workers <= 1 { return [try body(0)] }
        let slots = Slots<T>(count: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            slots.set(worker, Result { try body(worker) })
        }
        return try slots.values()
    }

    /// `transform` of every item, in item order, computed in contiguous slices.
    static func map<T: Sendable, U>(_ items: [T], workers: Int, _ transform: @Sendable (T) throws -> U) throws -> [U] {
        if workers <= 1 || items.count < 2 * workers { return try items.map(transform) }
        let size = (items.count + workers - 1) / workers
        return try run(workers: workers) { worker in
            try items[min(items.count, worker * size)..<min(items.count, (worker + 1) * size)].map(transform)
        }.flatMap { $0 }
    }

    /// `body` of every item on `threads` threads of their own, for work that waits on the disk
    /// (fsync) rather than the CPU, so more of it can be in flight than there are cores (the
    /// gateway's calls in flight use the same mechanism, `InFlight`); after an error no item
    /// starts, and the first error is raised once the items in flight have finished.
    static func waiting<T: Sendable>(_ items: [T], threads: Int, _ body: @escaping @Sendable (T) throws -> Void) throws {
        _ = try InFlight.map(items, atOnce: threads, body)
    }

    private final class Slots<T>: @unchecked Sendable {
        private var results: [Result<T, any Error>?]
        private let lock = NSLock()
        init(count: Int) { results = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ result: Result<T, any Error>) { lock.withLock { results[index] = result } }
        func values() throws -> [T] { try lock.withLock { try results.map { try $0!.get() } } }
    }
}
