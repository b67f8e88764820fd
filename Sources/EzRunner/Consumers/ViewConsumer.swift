import EzAdapters
import EzCore
import Foundation

/// The status-view consumer (가입상태 조회, CQRS): reads the event log from its own checkpoint,
/// updates the read models in one transaction per chunk together with the checkpoint, then
/// publishes changed views as files. A run that skipped it is caught up by the next.
///
/// Each chunk is prepared on a read snapshot (events decoded, views updated and encoded) and
/// then committed in a short write transaction, so the consumer can follow the log on a
/// second thread while earlier stages still write (see `ConsumerFollower`).
public struct ViewConsumer: EventConsumer {
    public static let name = "views"
    public static let stage = StageName.views
    public init() {}

    public static func count(_ step: ConsumerStep, into counts: inout StageCounts) {
        counts.processed += step.scanned
    }

    public func run(_ ctx: RunContext) throws -> StageCounts {
        var counts = StageCounts(stage: StageName.views)
        counts.processed = try project(ctx)
        counts.files = try publish(ctx)
        return counts
    }

    /// Applies new events to the read models; returns how many events were applied.
    public func project(_ ctx: RunContext) throws -> Int {
        var applied = 0
        while let step = try applyChunk(ctx, wholeChunksOnly: false) {
            applied += step.scanned
            ctx.progress.report("views (events)", done: applied, total: nil)
            if step.scanned < ctx.chunkSize { break }
        }
        return applied
    }

    /// One chunk of read-model changes, ready to commit.
    private struct Chunk {
        var from: Int64
        var to: Int64
        var events: Int
        var customers: [(no: String, doc: String)] = []
        var requests: [(id: String, doc: String)] = []
        var deltas: [StatusProjector.CountDelta] = []
    }

    public func applyChunk(_ ctx: RunContext, wholeChunksOnly: Bool) throws -> ConsumerStep? {
        let prepared = try ctx.store.read { tx -> Chunk? in
            let from = try tx.offset(of: ViewConsumer.name)
            if wholeChunksOnly, try !tx.hasEvents(after: from, count: ctx.chunkSize) { return nil }
            let events = try tx.events(after: from, limit: ctx.chunkSize)
            guard let last = events.last else { return nil }
            var chunk = Chunk(from: from, to: last.seq, events: events.count)
            var customers: [String: CustomerView] = [:]
            var requests: [String: RequestView?] = [:]
            for stored in events {
                if case .request(let outcome) = stored.event.payload {
                    var view: RequestView?
                    if let cached = requests[outcome.requestId] { view = cached } else {
                        view = try tx.requestView(outcome.requestId)
                    }
                    chunk.deltas += StatusProjector.apply(outcome, to: &view)
                    requests[outcome.requestId] = view
                    continue
                }
                guard let no = stored.event.correlation.customerNo else { continue }
                var view = try customers[no] ?? tx.customerView(no) ?? CustomerView(customerNo: no)
                chunk.deltas += StatusProjector.apply(stored, to: &view)
                customers[no] = view
            }
            for key in customers.keys.sorted() { chunk.customers.append((key, try StoreJSON.encode(customers[key]!))) }
            for key in requests.keys.sorted() {
                if let view = requests[key]! { chunk.requests.append((key, try StoreJSON.encode(view))) }
            }
            return chunk
        }
        guard let chunk = prepared else { return nil }
        try ctx.write { tx in
            try tx.expectOffset(of: ViewConsumer.name, at: chunk.from)
            for (no, doc) in chunk.customers { try tx.saveCustomerView(no, doc: doc) }
            for (id, doc) in chunk.requests { try tx.saveRequestView(id, doc: doc) }
            try tx.apply(chunk.deltas)
            try tx.setOffset(of: ViewConsumer.name, to: chunk.to)
        }
        return ConsumerStep(scanned: chunk.events, made: chunk.events)
    }

    /// Writes every changed customer view and the summary; returns the number of files written.
    public func publish(_ ctx: RunContext) throws -> Int {
        var written = 0
        while true {
            let dirty = try ctx.store.read { try $0.dirtyCustomerViews(limit: ctx.chunkSize) }
            if dirty.isEmpty { break }
            for view in dirty {
                try AtomicFile.write(try ViewJSON.encode(view),
                                     to: ctx.home.customerViews.appendingPathComponent("\(view.customerNo).json"))
                CrashPoint.hit("views-after-file")
            }
            try ctx.write { try $0.markViewsClean(dirty.map(\.customerNo)) }
            written += dirty.count
        }
        let summary = try ctx.store.read { tx in
            StatusSummary(counts: try tx.viewCounts(), lastEventSeq: try tx.offset(of: ViewConsumer.name))
        }
        try AtomicFile.write(try ViewJSON.encode(summary), to: ctx.home.views.appendingPathComponent("summary.json"))
        return written + 1
    }
}

/// `views/summary.json`: counts by entity and status, for operators.
public struct StatusSummary: Codable, Sendable {
    public var counts: [String: [String: Int]]
    public var lastEventSeq: Int64
    enum CodingKeys: String, CodingKey { case counts, lastEventSeq = "last_event_seq" }
}

/// Views as files: pretty, sorted keys, so a rebuild gives the same bytes.
public enum ViewJSON {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }()
    private static let lock = NSLock()

    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let data = try lock.withLock { try encoder.encode(value) }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
