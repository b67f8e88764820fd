import EzCore
import Foundation

/// A wall-clock minute in Asia/Seoul (UTC+9, no daylight saving), counted from 1970-01-01 00:00 KST.
public struct LocalMinute: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: Int

    public init(value: Int) { self.value = value }

    public init(date: BusinessDate, hour: Int, minute: Int) {
        value = date.dayNumber * 1440 + hour * 60 + minute
    }

    /// The Seoul minute of an instant.
    public init(_ instant: Date) {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + 9 * 3600
        value = Int((Double(seconds) / 60).rounded(.down))
    }

    /// Parses `YYYY-MM-DDTHH:MM` (Seoul time).
    public init?(_ text: String) {
        let parts = text.split(separator: "T")
        guard parts.count == 2, let date = BusinessDate(String(parts[0])) else { return nil }
        let hm = parts[1].split(separator: ":")
        guard hm.count >= 2, let h = Int(hm[0]), let m = Int(hm[1]), (0...23).contains(h), (0...59).contains(m) else {
            return nil
        }
        self.init(date: date, hour: h, minute: m)
    }

    public var date: BusinessDate { BusinessDate(dayNumber: Int((Double(value) / 1440).rounded(.down))) }
    public var hour: Int { ((value % 1440) + 1440) % 1440 / 60 }
    public var minute: Int { ((value % 60) + 60) % 60 }
    /// 0 = Sunday; 1970-01-01 was a Thursday.
    public var weekday: Int { ((date.dayNumber + 4) % 7 + 7) % 7 }

    public var description: String {
        let h = hour < 10 ? "0\(hour)" : "\(hour)"
        let m = minute < 10 ? "0\(minute)" : "\(minute)"
        return "\(date)T\(h):\(m)"
    }

    public static func < (a: LocalMinute, b: LocalMinute) -> Bool { a.value < b.value }
}
