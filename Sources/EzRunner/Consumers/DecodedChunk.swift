import EzAdapters
import EzCore
import Foundation

/// The last events the views consumer decoded, kept for the alarms consumer: following the log
/// on one thread, views go first and alarms then read the same rows (or a run of them), which
/// need not be read or decoded again.
///
/// One per `RunContext` (so per store and per thread of a run). Committed events never change,
/// and an entry is matched by the sequence numbers of every row, so a hit is the same events
/// the alarms consumer would have decoded itself.
final class DecodedChunk: @unchecked Sendable {
    private let lock = NSLock()
    /// The views consumer's last read, after the one before it when that one ended where it
    /// began (the alarms consumer takes whole chunks only, so it may still be inside it).
    private var window: [StoredEvent] = []
    /// Where the last read begins in `window`.
    private var lastRead = 0
    /// The sequence number `window` was read after (nil: not a read of the log from there).
    private var after: Int64?

    /// `events`, decoded; `after`: they are every event the log held after that sequence number,
    /// up to the read's limit (`rawEvents(after:limit:)`, in order).
    func remember(_ events: [StoredEvent], after start: Int64?) {
        lock.withLock {
            if let start, let after, start == (window.last?.seq ?? after) {
                let previous = window[lastRead...]
                self.after = lastRead == 0 ? after : window[lastRead - 1].seq
                window = Array(previous) + events
                lastRead = previous.count
            } else {
                window = events
                lastRead = 0
                after = start
            }
        }
    }

    /// The remembered events that follow `seq`, when the reads started there or at an earlier
    /// event they returned: then they are the first events of the log after `seq` (the log
    /// grows only at its end, in sequence order, so a later read returns the same ones first).
    func events(following seq: Int64) -> ArraySlice<StoredEvent>? {
        lock.withLock {
            guard let after else { return nil }
            if seq == after { return window[...] }
            guard seq > after, let i = Self.index(of: seq, in: window) else { return nil }
            return window[(i + 1)...]
        }
    }

    /// The decoded events of `raw`, from the remembered chunk when it holds exactly these rows
    /// (the same sequence numbers, in a row); decoded from `raw` otherwise.
    func decoded(_ raw: [RawEvent], only wanted: Set<EventType>) throws -> [StoredEvent] {
        let remembered = lock.withLock { window }
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
