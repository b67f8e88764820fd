import EzAdapters
import EzCore
import Foundation
import Logging

/// The status-view consumer (가입상태 조회, CQRS): reads the state store's event log from its own
/// checkpoint and updates the views database (`ViewStore`) in one transaction per chunk
/// together with that checkpoint; the stage then writes `summary.json`. A run that skipped it
/// is caught up by the next.
///
/// Each chunk is prepared from read snapshots (payloads read as far as the views need them,
/// the views' parts the events touch looked up, `StatusProjector` applied) and then committed
/// in a short write transaction of the views database, so the consumer follows the log on a
/// second thread without waiting for the state store's writer (see `ConsumerFollower`). An
/// event rewrites only the parts of a view it changes: its customer's last event, and its
/// plan's, proposal's, withdrawal's or request's row, whose JSON is the payload's own.
public struct ViewConsumer: EventConsumer {
    public static let name = "views"
    public static let stage = StageName.views
    /// Threads that read each chunk's payloads (the stage uses the machine's cores; the
    /// follower, which shares them with the producing stages, one).
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
        ctx.recentEvents.remember(events, after: from)
        // Payloads read only as far as the views need them, on `workers` threads.
        let inputs = try Parallel.map(events, workers: workers) { try $0.forViews() }
        let prior = try views.read { try $0.prior(for: inputs) }
        let changes = StatusProjector.project(inputs, prior: prior)
        // A run that has lost its lease stops here as at any other commit.
        try ctx.checkLease()
        try views.write { tx in
            try tx.expectOffset(at: from)
            try tx.save(changes)
            try tx.setOffset(to: events.last!.seq)
        }
        CrashPoint.hit("views-after-chunk")
        return ConsumerStep(scanned: events.count, made: events.count)
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

/// Views as `views export` writes them and `status --json` prints them: pretty, sorted keys, so
/// a rebuild gives the same bytes.
public enum ViewJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        try JSONCodec.encode(value, pretty: true) + "\n"
    }
}
