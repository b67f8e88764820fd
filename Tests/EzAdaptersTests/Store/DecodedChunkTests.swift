import EzAdapters
import EzCore
@testable import EzRunner
import Testing

@Suite("Decoded chunk shared by the views and alarms consumers")
struct DecodedChunkTests {
    static func rawEvents(_ store: StateStore) throws -> [RawEvent] {
        try store.read { tx in try tx.rawEvents(after: 0, limit: 10) }
    }

    static func store(planNo: String) throws -> StateStore {
        let store = try StoreFx.storeWithProposal()
        try store.write { tx in
            _ = try tx.append(DomainEvent(.customerRegistered, on: StoreFx.d("2025-03-01"), .customer(StoreFx.customer())), runId: nil)
            _ = try tx.append(DomainEvent(.planQuoted, on: StoreFx.d("2025-03-01"), .plan(StoreFx.plan(planNo))), runId: nil)
        }
        return store
    }

    @Test("the same rows reuse what the views consumer decoded; other rows are decoded from the store")
    func reuseOnlyTheSameRows() throws {
        let raw = try Self.rawEvents(try Self.store(planNo: "PL00000001"))
        let decoded = try raw.map { try $0.decoded() }
        let cache = DecodedChunk()
        // A remembered chunk that differs from what the rows say shows which path was taken.
        var marked = decoded
        marked[1].event.occurredOn = StoreFx.d("2030-01-01")
        cache.remember(marked, after: nil)
        #expect(try cache.decoded(raw[...], only: [.planQuoted]) == [marked[1]], "same seqs: reused")
        #expect(try cache.decoded(raw[...], only: [.customerRegistered]) == [marked[0]])

        // A run of the remembered rows (an alarms chunk inside a larger views step) is reused too;
        // rows with other sequence numbers are not matched, whatever their count.
        let tail = raw.dropFirst()
        #expect(try cache.decoded(tail, only: [.planQuoted]) == [marked[1]], "a run of the rows: reused")
        let other = try Self.rawEvents(try Self.store(planNo: "PL00000002")).map { row -> RawEvent in
            var row = row
            row.seq += 100
            return row
        }
        #expect(try cache.decoded(other[...], only: [.planQuoted]).map(\.seq) == [102], "same count, other seqs: decoded")
        cache.remember([], after: nil)
        #expect(try cache.decoded(raw[...], only: [.planQuoted, .customerRegistered]) == decoded)
    }

    /// Events numbered `seqs`, decoded (what a views read would remember).
    static func events(_ seqs: [Int64]) -> [StoredEvent] {
        seqs.map { StoredEvent(seq: $0, event: DomainEvent(.customerRegistered, on: StoreFx.d("2025-03-01"), .customer(StoreFx.customer()))) }
    }

    @Test("the events after an offset come from the views' reads only when the reads began there or before it")
    func eventsFollowing() {
        let cache = DecodedChunk()
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
