import EzAdapters
import EzCore
import Foundation
import Logging

/// The status-view consumer (가입상태 조회, CQRS): reads the state store's event log from its own
/// checkpoint and updates the views database (`ViewStore`) in one transaction per chunk
/// together with that checkpoint; the stage then writes `summary.json`. A run that skipped it
/// is caught up by the next.
///
/// Each chunk is prepared from read snapshots (events decoded, views updated and encoded) and
/// then committed in a short write transaction of the views database, so the consumer follows
/// the log on a second thread without waiting for the state store's writer (see
/// `ConsumerFollower`).
public struct ViewConsumer: EventConsumer {
    public static let name = "views"
    public static let stage = StageName.views
    /// Threads that prepare each chunk (the stage uses the machine's cores; the follower, which
    /// shares them with the producing stages, one).
    public let workers: Int

    public init(workers: Int = 1) { self.workers = max(1, workers) }

    /// The consumer as the views stage (and `views rebuild`) runs it: on the machine's cores.
    public static func forStage() -> ViewConsumer { ViewConsumer(workers: Parallel.stageWorkers) }

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

    /// Read-model changes: encoded views and count deltas, each with the sequence number of
    /// the first event in the chunk that made it.
    private struct Changes {
        var customers: [(seq: Int64, no: String, doc: UTF8Text)] = []
        var requests: [(seq: Int64, id: String, doc: UTF8Text)] = []
        var deltas: [(seq: Int64, delta: StatusProjector.CountDelta)] = []
    }

    /// One chunk of changes, ready to commit with the checkpoint moving from `from` to `to`.
    private struct Chunk {
        var from: Int64
        var to: Int64
        var events: Int
        var changes = Changes()
    }

    /// A chunk as read in one snapshot: its events and the stored views they touch.
    private struct Snapshot {
        var from: Int64
        var events: [RawEvent]
        var customerDocs: [String: [UInt8]] = [:]
        var requestDocs: [String: [UInt8]] = [:]
    }

    public func applyChunk(_ ctx: RunContext, wholeChunksOnly: Bool) throws -> ConsumerStep? {
        let views = try ctx.viewStore()
        // Only the holder of the views stage's lock writes the views, so the checkpoint read
        // here is still current at the commit (which checks it again).
        let from = try views.read { try $0.offset() }
        let events = try ctx.store.read { tx -> [RawEvent]? in
            if wholeChunksOnly, try !tx.hasEvents(after: from, count: ctx.chunkSize) { return nil }
            // Following, it takes up to `ConsumerFollower.chunksPerStep` chunks at once as one: a
            // view is the same however its events were chunked.
            let limit = wholeChunksOnly ? ctx.chunkSize * ConsumerFollower.chunksPerStep : ctx.chunkSize
            let events = try tx.rawEvents(after: from, limit: limit)
            return events.isEmpty ? nil : events
        }
        guard let events else { return nil }
        let read = try views.read { tx -> Snapshot in
            // The view each event touches: a request outcome its request's, any other event its
            // customer's (the same keys `prepare` uses, read from the correlation columns).
            var snapshot = Snapshot(from: from, events: events)
            var seenRequests = Set<String>(), seenCustomers = Set<String>()
            for event in events {
                if event.type.isRequestOutcome {
                    if let id = event.requestId, seenRequests.insert(id).inserted, let doc = try tx.requestViewBytes(id) {
                        snapshot.requestDocs[id] = doc
                    }
                } else if let no = event.customerNo, seenCustomers.insert(no).inserted, let doc = try tx.customerViewBytes(no) {
                    snapshot.customerDocs[no] = doc
                }
            }
            return snapshot
        }
        let chunk = try prepare(read, remembering: ctx.decodedEvents)
        // A run that has lost its lease stops here as at any other commit.
        try ctx.checkLease()
        try views.write { tx in
            try tx.expectOffset(at: chunk.from)
            for change in chunk.changes.customers { try tx.saveCustomerView(change.no, doc: change.doc) }
            for change in chunk.changes.requests { try tx.saveRequestView(change.id, doc: change.doc) }
            try tx.apply(StatusProjector.summed(chunk.changes.deltas.map(\.delta)))
            try tx.setOffset(to: chunk.to)
        }
        CrashPoint.hit("views-after-chunk")
        return ConsumerStep(scanned: chunk.events, made: chunk.events)
    }

    /// Decodes the events and applies them to their views, on `workers` threads: events are
    /// decoded in slices, then each view goes to one worker (by its key), which applies that
    /// view's events in log order. Results are put in the order of the events that first made
    /// them, so neither the number of workers nor the chunking shows in the store: a row is
    /// inserted in the same place among the others however the log was cut.
    private func prepare(_ read: Snapshot, remembering decoded: DecodedChunk) throws -> Chunk {
        let events = try Parallel.map(read.events, workers: workers) { try $0.decoded() }
        decoded.remember(events, after: read.from)
        let workers = workers
        let parts = try Parallel.run(workers: workers) { worker -> Changes in
            var part = Changes()
            var customers: [String: CustomerView] = [:]
            var requests: [String: RequestView?] = [:]
            var firstSeqOfCustomer: [String: Int64] = [:], firstSeqOfRequest: [String: Int64] = [:]
            for stored in events {
                if case .request(let outcome) = stored.event.payload {
                    guard stored.event.type.isRequestOutcome else {
                        throw StoreError.corrupt("event \(stored.seq): a request outcome under type \(stored.event.type.rawValue)")
                    }
                    guard Parallel.owner(of: outcome.requestId, workers: workers) == worker else { continue }
                    var view: RequestView?
                    if let cached = requests[outcome.requestId] { view = cached } else if let doc = read.requestDocs[outcome.requestId] {
                        view = try JSONCodec.decode(RequestView.self, fromUTF8: doc)
                    }
                    for delta in StatusProjector.apply(outcome, to: &view) { part.deltas.append((stored.seq, delta)) }
                    if requests.updateValue(view, forKey: outcome.requestId) == nil { firstSeqOfRequest[outcome.requestId] = stored.seq }
                    continue
                }
                guard let no = stored.event.correlation.customerNo,
                      Parallel.owner(of: no, workers: workers) == worker else { continue }
                var view = try customers[no]
                    ?? read.customerDocs[no].map { try JSONCodec.decode(CustomerView.self, fromUTF8: $0) }
                    ?? CustomerView(customerNo: no)
                for delta in StatusProjector.apply(stored, to: &view) { part.deltas.append((stored.seq, delta)) }
                if customers.updateValue(view, forKey: no) == nil { firstSeqOfCustomer[no] = stored.seq }
            }
            // Stored compact (about 28% smaller than the pretty file `views export` and
            // `status --json` print from it).
            for (key, view) in customers {
                part.customers.append((firstSeqOfCustomer[key]!, key, UTF8Text(try JSONCodec.encodeBytes(view))))
            }
            for (key, view) in requests {
                if let view { part.requests.append((firstSeqOfRequest[key]!, key, UTF8Text(try JSONCodec.encodeBytes(view)))) }
            }
            return part
        }
        var chunk = Chunk(from: read.from, to: read.events.last!.seq, events: read.events.count)
        for part in parts {
            chunk.changes.customers += part.customers
            chunk.changes.requests += part.requests
            chunk.changes.deltas += part.deltas
        }
        // An event belongs to one worker, so sequence numbers do not tie across parts; the
        // deltas of one event keep their order (the offset breaks the tie).
        chunk.changes.customers.sort { $0.seq < $1.seq }
        chunk.changes.requests.sort { $0.seq < $1.seq }
        chunk.changes.deltas = chunk.changes.deltas.enumerated()
            .sorted { ($0.element.seq, $0.offset) < ($1.element.seq, $1.offset) }.map(\.element)
        return chunk
    }

    /// Writes `summary.json` (the views themselves are published by their commits); returns
    /// the number of files written. The first run after an upgrade removes the one-file-per-
    /// customer views of older versions, which nothing updates any more (`views export` writes
    /// them on demand).
    public func publish(_ ctx: RunContext) throws -> Int {
        let views = try ctx.viewStore()
        let summary = try StatusSummary.current(views)
        try AtomicFile.write(try ViewJSON.encode(summary), to: ctx.home.views.appendingPathComponent("summary.json"))
        let legacy = ctx.home.legacyCustomerViews
        if FileManager.default.fileExists(atPath: legacy.path) {
            try FileManager.default.removeItem(at: legacy)
            ctx.logger.notice("removed \(legacy.path): customer views are in \(ctx.home.viewStore.path) (views export writes them as files)")
        }
        return 1
    }
}

/// `views/summary.json`: counts by entity and status, for operators.
public struct StatusSummary: Codable, Sendable {
    public var counts: [String: [String: Int]]
    public var lastEventSeq: Int64
    enum CodingKeys: String, CodingKey { case counts, lastEventSeq = "last_event_seq" }

    /// The summary of the views as last committed.
    public static func current(_ views: ViewStore) throws -> StatusSummary {
        try views.read { StatusSummary(counts: try $0.counts(), lastEventSeq: try $0.offset()) }
    }
}

/// Views as stored in the views database and exported as files: pretty, sorted keys, so a
/// rebuild gives the same bytes.
public enum ViewJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        try JSONCodec.encode(value, pretty: true) + "\n"
    }

    /// A customer's view as stored in the views database (compact, or pretty as versions
    /// before 2026-12-06 stored it) in the layout of its file.
    public static func customerFile(fromStored doc: String) throws -> String {
        try encode(try JSONCodec.decode(CustomerView.self, from: doc))
    }
}
