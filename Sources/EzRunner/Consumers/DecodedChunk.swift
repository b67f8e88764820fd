import EzAdapters
import EzCore
import Foundation

/// The last events the views consumer decoded, kept for the alarms consumer: following the log
/// on one thread, views go first and alarms then read the same rows (or a run of them), which
/// need not be decoded again.
///
/// One per `RunContext` (so per store and per thread of a run). Committed events never change,
/// and an entry is matched by the sequence numbers of every row, so a hit is the same events
/// the alarms consumer would have decoded itself.
final class DecodedChunk: @unchecked Sendable {
    private let lock = NSLock()
    private var last: [StoredEvent] = []

    func remember(_ events: [StoredEvent]) {
        lock.withLock { last = events }
    }

    /// The decoded events of `raw`, from the remembered chunk when it holds exactly these rows
    /// (the same sequence numbers, in a row); decoded from `raw` otherwise.
    func decoded(_ raw: [RawEvent], only wanted: Set<EventType>) throws -> [StoredEvent] {
        let remembered = lock.withLock { last }
        if let first = raw.first?.seq, let start = Self.index(of: first, in: remembered),
           remembered.count - start >= raw.count,
           zip(remembered[start...], raw).allSatisfy({ $0.seq == $1.seq }) {
            return remembered[start..<(start + raw.count)].filter { wanted.contains($0.event.type) }
        }
        return try raw.filter { wanted.contains($0.type) }.map { try $0.decoded() }
    }

    /// Where `seq` is in `events` (sorted by sequence number), if it is there.
    private static func index(of seq: Int64, in events: [StoredEvent]) -> Int? {
        var low = 0, high = events.count
        while low < high {
            let mid = (low + high) / 2
            if events[mid].seq < seq { low = mid + 1 } else { high = mid }
        }
        return low < events.count && events[low].seq == seq ? low : nil
    }
}
