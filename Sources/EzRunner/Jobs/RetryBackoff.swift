import Foundation

/// When a payment the gateway could not take is tried again: exponential backoff on the
/// run's clock, `base × 2^(n-1)` after the n-th deferral, capped at one hour.
///
/// The base is 60 s; `EZINSURANCE_RETRY_BACKOFF_SECONDS` changes it (0 retries at the next run).
public struct RetryBackoff: Sendable {
    public let baseSeconds: Double
    public let capSeconds: Double

    public init(baseSeconds: Double? = nil, capSeconds: Double = 3600) {
        let env = ProcessInfo.processInfo.environment["EZINSURANCE_RETRY_BACKOFF_SECONDS"].flatMap(Double.init)
        self.baseSeconds = baseSeconds ?? env ?? 60
        self.capSeconds = capSeconds
    }

    public func delay(afterDeferrals n: Int) -> Double {
        min(capSeconds, baseSeconds * pow(2, Double(max(0, n - 1))))
    }

    /// The ISO 8601 time of the next attempt after the n-th deferral at `now`.
    public func nextAttempt(afterDeferrals n: Int, now: Date) -> String {
        Self.format(now.addingTimeInterval(delay(afterDeferrals: n)))
    }

    /// Whether a payment whose next attempt is `at` may be tried at `now`.
    public static func isDue(_ at: String?, now: Date) -> Bool {
        guard let at, let date = parse(at) else { return true }
        return date <= now
    }

    static func format(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    static func parse(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: text)
    }
}
