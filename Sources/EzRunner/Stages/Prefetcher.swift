import Foundation

/// Calls `produce` on a thread of its own, one item ahead of the caller of `next()`: the
/// next item is being made while the caller works on the one it has (the ingest stage
/// reads, parses and checks a file's next chunk of lines while the store commits the
/// chunk before it). Items come in the order `produce` made them; an error `produce`
/// throws comes, in its place, from `next()`, and nothing follows it.
///
/// At most one item waits: memory is that of two items. `stop()`, which the caller owes once
/// it is done (the thread holds the prefetcher until it ends), ends the thread after the item
/// it is making; `produce` is never called again.
/// With `ahead` false, `next()` calls `produce` itself, on the caller's thread
/// (`EZINSURANCE_CONSUMERS=serial` runs a job on one thread).
final class Prefetcher<Item: Sendable>: @unchecked Sendable {
    private let produce: () throws -> Item?
    private let ahead: Bool
    private let condition = NSCondition()
    /// The item made and not yet taken (nil: none yet).
    private var waiting: Result<Item?, any Error>?
    private var stopping = false
    private var running = false
    /// The end or an error has been handed out: `next()` answers nil from then on.
    private var over = false

    init(ahead: Bool, _ produce: @escaping () throws -> Item?) {
        self.produce = produce
        self.ahead = ahead
        guard ahead else { return }
        running = true
        let thread = Thread { [self] in loop() }
        thread.name = "prefetch"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The next item; nil after the last.
    func next() throws -> Item? {
        guard ahead else {
            if over { return nil }
            do {
                let item = try produce()
                if item == nil { over = true }
                return item
            } catch {
                over = true
                throw error
            }
        }
        condition.lock()
        defer { condition.unlock() }
        if over { return nil }
        while waiting == nil {
            // Stopped: nothing more will come.
            if !running { return nil }
            condition.wait()
        }
        let result = waiting!
        waiting = nil
        condition.broadcast()
        switch result {
        case .success(let item?): return item
        case .success(nil):
            over = true
            return nil
        case .failure(let error):
            over = true
            throw error
        }
    }

    /// Ends the thread (after the item it is making) and waits for it.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
    }

    private func loop() {
        while true {
            let result = Result { try produce() }
            condition.lock()
            while waiting != nil && !stopping { condition.wait() }
            let end: Bool
            if stopping {
                end = true
            } else {
                waiting = result
                condition.broadcast()
                if case .success(.some) = result { end = false } else { end = true }
            }
            if end {
                running = false
                condition.broadcast()
                condition.unlock()
                return
            }
            condition.unlock()
        }
    }
}
