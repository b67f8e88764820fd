import EzAdapters
import EzCore
import Foundation

/// The status-view consumer (가입상태 조회, CQRS): reads the event log from its own checkpoint,
/// updates the read models in one transaction per chunk together with the checkpoint, then
/// publishes changed views as files. A run that skipped it is caught up by the next.
public struct ViewConsumer {
    public static let name = "views"
    public init() {}

    public func run(_ ctx: RunContext) throws -> StageCounts {
        var counts = StageCounts(stage: StageName.views)
        counts.processed = try project(ctx)
        counts.files = try publish(ctx)
        return counts
    }

    /// Applies new events to the read models; returns how many events were applied.
    public func project(_ ctx: RunContext) throws -> Int {
        var applied = 0
        while true {
            let n = try ctx.write { tx -> Int in
                let from = try tx.offset(of: ViewConsumer.name)
                let events = try tx.events(after: from, limit: ctx.chunkSize)
                guard let last = events.last else { return 0 }
                var customers: [String: CustomerView] = [:]
                var requests: [String: RequestView?] = [:]
                var deltas: [StatusProjector.CountDelta] = []
                for stored in events {
                    if case .request(let outcome) = stored.event.payload {
                        var view: RequestView?
                        if let cached = requests[outcome.requestId] { view = cached } else {
                            view = try tx.requestView(outcome.requestId)
                        }
                        deltas += StatusProjector.apply(outcome, to: &view)
                        requests[outcome.requestId] = view
                        continue
                    }
                    guard let no = stored.event.correlation.customerNo else { continue }
                    var view = try customers[no] ?? tx.customerView(no) ?? CustomerView(customerNo: no)
                    deltas += StatusProjector.apply(stored, to: &view)
                    customers[no] = view
                }
                for key in customers.keys.sorted() { try tx.save(customers[key]!) }
                for key in requests.keys.sorted() { if let v = requests[key]! { try tx.save(v) } }
                try tx.apply(deltas)
                try tx.setOffset(of: ViewConsumer.name, to: last.seq)
                return events.count
            }
            applied += n
            ctx.progress.report("views (events)", done: applied, total: nil)
            if n < ctx.chunkSize { break }
        }
        return applied
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
