import EzCore

/// A five-field cron expression (minute hour day-of-month month day-of-week), as crontab(5)
/// reads it: `*`, lists, ranges, steps, month and weekday names, 0 or 7 for Sunday, and the
/// rule that when both day fields are restricted a day matching either one matches.
///
/// Times are Asia/Seoul wall-clock minutes; Korea keeps no daylight saving time, so every
/// local minute exists exactly once.
public struct CronExpression: Hashable, Sendable, CustomStringConvertible {
    public let text: String
    let minutes: Set<Int>
    let hours: Set<Int>
    let daysOfMonth: Set<Int>
    let months: Set<Int>
    let daysOfWeek: Set<Int>
    let domRestricted: Bool
    let dowRestricted: Bool

    public var description: String { text }

    public init(_ text: String) throws(CronError) {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw CronError(expression: text, message: "expected 5 fields (minute hour day-of-month month day-of-week), found \(fields.count)")
        }
        self.text = text
        minutes = try CronExpression.parse(fields[0], 0...59, names: [:], text)
        hours = try CronExpression.parse(fields[1], 0...23, names: [:], text)
        daysOfMonth = try CronExpression.parse(fields[2], 1...31, names: [:], text)
        months = try CronExpression.parse(fields[3], 1...12, names: CronExpression.monthNames, text)
        var dow = try CronExpression.parse(fields[4], 0...7, names: CronExpression.dayNames, text)
        if dow.contains(7) { dow.remove(7); dow.insert(0) }
        daysOfWeek = dow
        domRestricted = fields[2] != "*"
        dowRestricted = fields[4] != "*"
    }

    static let monthNames = ["JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8,
                             "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12]
    static let dayNames = ["SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6]

    private static func parse(_ field: String, _ range: ClosedRange<Int>, names: [String: Int],
                              _ text: String) throws(CronError) -> Set<Int> {
        var values: Set<Int> = []
        for part in field.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2, !pieces[0].isEmpty else {
                throw CronError(expression: text, message: "bad field '\(field)'")
            }
            var step = 1
            if pieces.count == 2 {
                guard let s = Int(pieces[1]), s > 0 else {
                    throw CronError(expression: text, message: "bad step in '\(field)'")
                }
                step = s
            }
            let base = String(pieces[0])
            let lo: Int, hi: Int
            if base == "*" {
                lo = range.lowerBound
                hi = range.upperBound
            } else if let dash = base.firstIndex(of: "-") {
                lo = try value(String(base[..<dash]), range, names, text)
                hi = try value(String(base[base.index(after: dash)...]), range, names, text)
                guard lo <= hi else { throw CronError(expression: text, message: "range \(base) runs backwards") }
            } else {
                lo = try value(base, range, names, text)
                hi = pieces.count == 2 ? range.upperBound : lo
            }
            for v in stride(from: lo, through: hi, by: step) { values.insert(v) }
        }
        return values
    }

    private static func value(_ token: String, _ range: ClosedRange<Int>, _ names: [String: Int],
                              _ text: String) throws(CronError) -> Int {
        if let n = names[token.uppercased()] { return n }
        guard let v = Int(token), range.contains(v) else {
            throw CronError(expression: text, message: "'\(token)' is not in \(range.lowerBound)-\(range.upperBound)")
        }
        return v
    }

    /// Whether the schedule fires at `minute`.
    public func matches(_ minute: LocalMinute) -> Bool {
        guard minutes.contains(minute.minute), hours.contains(minute.hour), months.contains(minute.date.month) else {
            return false
        }
        let dom = daysOfMonth.contains(minute.date.day)
        let dow = daysOfWeek.contains(minute.weekday)
        if domRestricted && dowRestricted { return dom || dow }
        return dom && dow
    }

    /// The latest firing at or before `minute`, looking back at most `limitDays` days.
    public func latest(atOrBefore minute: LocalMinute, limitDays: Int = 400) -> LocalMinute? {
        var m = minute
        let floor = minute.value - limitDays * 1440
        while m.value >= floor {
            if matches(m) { return m }
            // Skip whole hours or days that cannot match.
            if !months.contains(m.date.month) || !dayMatches(m) {
                m = LocalMinute(value: m.value - m.hour * 60 - m.minute - 1)
            } else if !hours.contains(m.hour) {
                m = LocalMinute(value: m.value - m.minute - 1)
            } else {
                m = LocalMinute(value: m.value - 1)
            }
        }
        return nil
    }

    /// Firings after `after` up to and including `upTo`, oldest first, at most `limit`.
    public func firings(after: LocalMinute, upTo: LocalMinute, limit: Int) -> [LocalMinute] {
        var out: [LocalMinute] = []
        var cursor = upTo
        while out.count < limit * 2 + 1, let f = latest(atOrBefore: cursor), f.value > after.value {
            out.append(f)
            cursor = LocalMinute(value: f.value - 1)
        }
        return Array(out.reversed().suffix(limit))
    }

    private func dayMatches(_ m: LocalMinute) -> Bool {
        let dom = daysOfMonth.contains(m.date.day)
        let dow = daysOfWeek.contains(m.weekday)
        if domRestricted && dowRestricted { return dom || dow }
        return dom && dow
    }
}

public struct CronError: Error, Hashable, Sendable, CustomStringConvertible {
    public let expression: String
    public let message: String
    public var description: String { "cron '\(expression)': \(message)" }
}
