import EzAdapters
import EzCore
import Foundation

/// The last events the views consumer read from the log, kept for the alarms consumer:
/// following the log on one thread, views go first and alarms then take the same rows (or a
/// run of them), which need not be read again.
///
/// One per `RunContext` (so per store and per thread of a run). Committed events never change,
/// and the log grows only at its end, in sequence order.
final class RecentEvents: @unchecked Sendable {
    private let lock = NSLock()
    /// The views consumer's last read: the sequence number it was read after (nil: not a read
    /// of the log from there) and its events.
    private var last: (after: Int64?, events: [RawEvent]) = (nil, [])
    /// The read before it, kept when the last one began where it ended (the alarms consumer
    /// takes whole chunks only, so it may still be inside it).
    private var previous: (after: Int64, events: [RawEvent])?

    /// `events`, read after `start`: every event the log held after that sequence number, up
    /// to the read's limit (`rawEvents(after:limit:)`, in order).
    func remember(_ events: [RawEvent], after start: Int64?) {
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
    /// `seq` (a later read returns the same ones first).
    func events(following seq: Int64, limit: Int) -> [RawEvent]? {
        let (previous, last) = lock.withLock { (self.previous, self.last) }
        let parts: [ArraySlice<RawEvent>]
        if let previous, let rest = Self.events(following: seq, in: previous.events, readAfter: previous.after) {
            parts = [rest, last.events[...]]
        } else if let lastAfter = last.after, let rest = Self.events(following: seq, in: last.events, readAfter: lastAfter) {
            parts = [rest]
        } else {
            return nil
        }
        var out: [RawEvent] = []
        out.reserveCapacity(min(limit, parts.reduce(0) { $0 + $1.count }))
        for part in parts {
            for event in part.prefix(limit - out.count) { out.append(event) }
        }
        return out
    }

    /// The events of one read (`events`, read after `start`) that follow `seq`, if it is `start`
    /// or one of them.
    private static func events(following seq: Int64, in events: [RawEvent], readAfter start: Int64) -> ArraySlice<RawEvent>? {
        if seq == start { return events[...] }
        guard seq > start, let i = index(of: seq, in: events) else { return nil }
        return events[(i + 1)...]
    }

    /// Where `seq` is in `events` (sorted by sequence number), if it is there.
    private static func index(of seq: Int64, in events: [RawEvent]) -> Int? {
        var low = 0, high = events.count
        while low < high {
            let mid = (low + high) / 2
            if events[mid].seq < seq { low = mid + 1 } else { high = mid }
        }
        return low < events.count && events[low].seq == seq ? low : nil
    }
}
