@testable import EzAdapters
import EzCore
@testable import EzRunner
import Testing

@Suite("Recent events shared by the views and alarms consumers")
struct RecentEventsTests {
    /// Events numbered `seqs`, as a views read would remember them.
    static func events(_ seqs: [Int64]) -> [RawEvent] {
        seqs.map { RawEvent(seq: $0, type: .customerRegistered, occurredOn: StoreFx.d("2025-03-01"),
                            requestId: nil, customerNo: "C00000001", payload: Array("{}".utf8)) }
    }

    @Test("the events after an offset come from the views' reads only when the reads began there or before it")
    func eventsFollowing() {
        let cache = RecentEvents()
        #expect(cache.events(following: 0, limit: 100) == nil, "nothing read yet")
        cache.remember(Self.events([11, 12, 13, 14]), after: 10)
        #expect(cache.events(following: 10, limit: 100)?.map(\.seq) == [11, 12, 13, 14])
        #expect(cache.events(following: 12, limit: 100)?.map(\.seq) == [13, 14], "inside the read")
        #expect(cache.events(following: 14, limit: 100)?.map(\.seq) == [], "at its end: nothing more is known")
        #expect(cache.events(following: 9, limit: 100) == nil, "before the read: events may be missing")
        #expect(cache.events(following: 20, limit: 100) == nil, "after the read")

        // The next read goes on where this one ended: both are kept, so an alarms consumer still
        // inside the first (it takes whole chunks only) gets its events and the new ones.
        cache.remember(Self.events([15, 16]), after: 14)
        #expect(cache.events(following: 12, limit: 100)?.map(\.seq) == [13, 14, 15, 16])
        #expect(cache.events(following: 10, limit: 100)?.map(\.seq) == [11, 12, 13, 14, 15, 16])
        #expect(cache.events(following: 10, limit: 5)?.map(\.seq) == [11, 12, 13, 14, 15], "at most the limit")
        // A third keeps the last two only.
        cache.remember(Self.events([17]), after: 16)
        #expect(cache.events(following: 12, limit: 100) == nil)
        #expect(cache.events(following: 14, limit: 100)?.map(\.seq) == [15, 16, 17])

        // A read from elsewhere (a rebuild, a consumer behind) starts over; one of unknown origin
        // gives nothing.
        cache.remember(Self.events([31, 32]), after: 30)
        #expect(cache.events(following: 16, limit: 100) == nil)
        #expect(cache.events(following: 30, limit: 100)?.map(\.seq) == [31, 32])
        cache.remember(Self.events([33]), after: nil)
        #expect(cache.events(following: 32, limit: 100) == nil)
    }
}
