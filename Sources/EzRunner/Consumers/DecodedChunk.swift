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
    /// The views consumer's last read: the sequence number it was read after (nil: not a read
    /// of the log from there) and its events, decoded.
    private var last: (after: Int64?, events: [StoredEvent]) = (nil, [])
    /// The read before it, kept when the last one began where it ended (the alarms consumer
    /// takes whole chunks only, so it may still be inside it).
    private var previous: (after: Int64, events: [StoredEvent])?

    /// `events`, decoded; `after`: they are every event the log held after that sequence number,
    /// up to the read's limit (`rawEvents(after:limit:)`, in order).
    func remember(_ events: [StoredEvent], after start: Int64?) {
        lock.withLock {
            if let start, let lastAfter = last.after, start == (last.events.last?.seq ?? lastAfter) {
                previous = (lastAfter, last.events)
            } else {
                previous = nil
            }
            last = (start, events)
        }
    }

    /// At most `limit` of the remembered events that follow `seq`, when the reads started there
    /// or at an earlier event they returned: then they are the first events of the log after
    /// `seq` (the log grows only at its end, in sequence order, so a later read returns the
    /// same ones first).
    func events(following seq: Int64, limit: Int) -> [StoredEvent]? {
        let (previous, last) = lock.withLock { (self.previous, self.last) }
        let parts: [ArraySlice<StoredEvent>]
        if let previous, let rest = Self.events(following: seq, in: previous.events, readAfter: previous.after) {
            parts = [rest, last.events[...]]
        } else if let lastAfter = last.after, let rest = Self.events(following: seq, in: last.events, readAfter: lastAfter) {
            parts = [rest]
        } else {
            return nil
        }
        var out: [StoredEvent] = []
        out.reserveCapacity(min(limit, parts.reduce(0) { $0 + $1.count }))
        for part in parts {
            for event in part.prefix(limit - out.count) { out.append(event) }
        }
        return out
    }

    /// The events of one read (`events`, read after `start`) that follow `seq`, if it is `start`
    /// or one of them.
    private static func events(following seq: Int64, in events: [StoredEvent], readAfter start: Int64) -> ArraySlice<StoredEvent>? {
        if seq == start { return events[...] }
        guard seq > start, let i = index(of: seq, in: events) else { return nil }
        return events[(i + 1)...]
    }

    /// The decoded events of `raw`, from the remembered reads when one holds exactly these
    /// rows (the same sequence numbers, in a row); decoded from `raw` otherwise.
    func decoded(_ raw: ArraySlice<RawEvent>, only wanted: Set<EventType>) throws -> [StoredEvent] {
        let reads = lock.withLock { [last.events, previous?.events ?? []] }
        for remembered in reads {
            if let first = raw.first?.seq, let start = Self.index(of: first, in: remembered),
               remembered.count - start >= raw.count,
               zip(remembered[start...], raw).allSatisfy({ $0.seq == $1.seq }) {
                return remembered[start..<(start + raw.count)].filter { wanted.contains($0.event.type) }
            }
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
