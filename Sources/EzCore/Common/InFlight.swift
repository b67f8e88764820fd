import Foundation

/// Blocking calls, several at once, for work that waits (a gateway's answer, an fsync) rather
/// than computes: each item's call on one of `atOnce` threads of its own, items taken in
/// order, answers in item order. An error the body throws stops new calls; the first one is
/// raised once the calls in flight have ended. With `atOnce` 1, the calls run one after
/// another on the caller's thread.
public enum InFlight {
    public static func map<Item: Sendable, Answer>(_ items: [Item], atOnce: Int,
                                                   _ body: @escaping @Sendable (Item) throws -> Answer) throws -> [Answer] {
        let threads = min(atOnce, items.count)
        if threads <= 1 { return try items.map(body) }
        let state = State<Answer>(count: items.count)
        let group = DispatchGroup()
        for _ in 0..<threads {
            group.enter()
            Thread.detachNewThread {
                while let index = state.next() {
                    do { state.set(index, try body(items[index])) } catch { state.fail(error) }
                }
                group.leave()
            }
        }
        group.wait()
        return try state.answers()
    }

    private final class State<Answer>: @unchecked Sendable {
        private let lock = NSLock()
        private var taken = 0
        private var slots: [Answer?]
        private var failure: (any Error)?

        init(count: Int) { slots = Array(repeating: nil, count: count) }

        /// The next item to call, nil when all are taken or a call failed.
        func next() -> Int? {
            lock.withLock {
                guard failure == nil, taken < slots.count else { return nil }
                taken += 1
                return taken - 1
            }
        }

        func set(_ index: Int, _ answer: Answer) { lock.withLock { slots[index] = answer } }
        func fail(_ error: any Error) { lock.withLock { if failure == nil { failure = error } } }

        func answers() throws -> [Answer] {
            try lock.withLock {
                if let failure { throw failure }
                return slots.map { $0! }
            }
        }
    }
}
