@testable import EzRunner
import Foundation
import Synchronization
import Testing

/// What a producer made: the items, in order, and how many times it was called.
private final class Counter: @unchecked Sendable {
    let lock = NSLock()
    var calls = 0
    func call() -> Int { lock.withLock { calls += 1; return calls } }
    var count: Int { lock.withLock { calls } }
}

private struct Boom: Error, Equatable { var at: Int }

@Suite("Prefetcher: the next item made on a thread of its own")
struct PrefetcherTests {
    @Test("items come in order, then nil, and nil again", arguments: [true, false])
    func inOrder(ahead: Bool) throws {
        let counter = Counter()
        let prefetch = Prefetcher(ahead: ahead) { () -> Int? in
            let n = counter.call()
            return n <= 100 ? n : nil
        }
        defer { prefetch.stop() }
        var got: [Int] = []
        while let item = try prefetch.next() { got.append(item) }
        #expect(got == Array(1...100))
        #expect(try prefetch.next() == nil)
        #expect(counter.count == 101, "no call after the end")
    }

    @Test("an error comes in its place, after the items before it, and ends the items", arguments: [true, false])
    func errorInPlace(ahead: Bool) throws {
        let counter = Counter()
        let prefetch = Prefetcher(ahead: ahead) { () -> Int? in
            let n = counter.call()
            if n == 4 { throw Boom(at: n) }
            return n
        }
        defer { prefetch.stop() }
        #expect(try prefetch.next() == 1)
        #expect(try prefetch.next() == 2)
        #expect(try prefetch.next() == 3)
        #expect(throws: Boom(at: 4)) { try prefetch.next() }
        #expect(try prefetch.next() == nil)
        #expect(counter.count == 4, "no call after the error")
    }

    @Test("at most one item is made ahead; stop ends the thread and nothing is made after")
    func oneAheadThenStop() throws {
        let counter = Counter()
        let prefetch = Prefetcher(ahead: true) { () -> Int? in counter.call() }
        #expect(try prefetch.next() == 1)
        // The thread makes item 2, waits for it to be taken, and may have begun item 3.
        Thread.sleep(forTimeInterval: 0.05)
        #expect(counter.count <= 3)
        prefetch.stop()
        let afterStop = counter.count
        Thread.sleep(forTimeInterval: 0.05)
        #expect(counter.count == afterStop)
        #expect(counter.count <= 3)
    }

    @Test("ahead, the producer runs on another thread than the caller's; inline, on the caller's", arguments: [true, false])
    func whichThread(ahead: Bool) throws {
        let caller = pthread_self()
        let producer = Mutex<pthread_t?>(nil)
        let probe = Prefetcher(ahead: ahead) { () -> Int? in
            producer.withLock { $0 = pthread_self() }
            return nil
        }
        defer { probe.stop() }
        #expect(try probe.next() == nil)
        let ran = try #require(producer.withLock { $0 })
        #expect((pthread_equal(ran, caller) != 0) == !ahead)
    }
}
