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
        cache.remember(marked)
        #expect(try cache.decoded(raw, only: [.planQuoted]) == [marked[1]], "same seqs: reused")
        #expect(try cache.decoded(raw, only: [.customerRegistered]) == [marked[0]])

        // A run of the remembered rows (an alarms chunk inside a larger views step) is reused too;
        // rows with other sequence numbers are not matched, whatever their count.
        let tail = Array(raw.dropFirst())
        #expect(try cache.decoded(tail, only: [.planQuoted]) == [marked[1]], "a run of the rows: reused")
        let other = try Self.rawEvents(try Self.store(planNo: "PL00000002")).map { row -> RawEvent in
            var row = row
            row.seq += 100
            return row
        }
        #expect(try cache.decoded(other, only: [.planQuoted]).map(\.seq) == [102], "same count, other seqs: decoded")
        cache.remember([])
        #expect(try cache.decoded(raw, only: [.planQuoted, .customerRegistered]) == decoded)
    }
}
