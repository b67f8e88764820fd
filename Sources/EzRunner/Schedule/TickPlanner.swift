import EzCore

/// Decides which schedule slots are due at a tick. Pure: the caller supplies the jobs, the
/// last slot each handled and the current Seoul minute.
public enum TickPlanner {
    /// One job's decision at this tick.
    public struct Decision: Sendable {
        public var job: JobDefinition
        /// Slots to run now, oldest first, with the business date each run gets.
        public var runs: [(slot: LocalMinute, asOf: BusinessDate)]
        /// A slot to record as handled without running (missed, under `catch_up: skip`).
        public var skipTo: LocalMinute?
        public var reason: String
    }

    /// A slot no older than this is current, even for `catch_up: skip` (a tick that started late).
    public static let graceMinutes = 5

    public static func plan(_ job: JobDefinition, lastSlot: Int?, now: LocalMinute) throws -> Decision? {
        guard let text = job.schedule else { return nil }
        let cron = try CronExpression(text)
        guard let latest = cron.latest(atOrBefore: now) else {
            return Decision(job: job, runs: [], skipTo: nil, reason: "no slot in the last 400 days")
        }
        if let lastSlot, latest.value <= lastSlot {
            return Decision(job: job, runs: [], skipTo: nil, reason: "not due (last slot handled: \(LocalMinute(value: lastSlot)))")
        }
        func asOf(_ slot: LocalMinute) -> BusinessDate {
            job.asOf == .previousDay ? slot.date.adding(days: -1) : slot.date
        }
        guard let lastSlot else {
            return Decision(job: job, runs: [(latest, asOf(latest))], skipTo: nil, reason: "first scheduled run")
        }
        switch job.catchUp ?? .latest {
        case .skip:
            if now.value - latest.value <= graceMinutes {
                return Decision(job: job, runs: [(latest, asOf(latest))], skipTo: nil, reason: "due at \(latest)")
            }
            return Decision(job: job, runs: [], skipTo: latest, reason: "missed slots up to \(latest) skipped (catch_up: skip)")
        case .latest:
            let missed = cron.firings(after: LocalMinute(value: lastSlot), upTo: now, limit: 1000).count
            return Decision(job: job, runs: [(latest, asOf(latest))], skipTo: nil,
                            reason: missed > 1 ? "caught up once for \(missed) missed slots (catch_up: latest)" : "due at \(latest)")
        case .each:
            let bound = max(1, job.maxCatchUp ?? 7)
            let slots = cron.firings(after: LocalMinute(value: lastSlot), upTo: now, limit: bound)
            return Decision(job: job, runs: slots.map { ($0, asOf($0)) }, skipTo: nil,
                            reason: slots.count > 1 ? "catching up \(slots.count) slots (catch_up: each, max \(bound))" : "due at \(latest)")
        }
    }
}
