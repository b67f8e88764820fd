import EzCore
@testable import EzRunner
import Testing

@Suite("Cron expressions and tick planning")
struct CronScheduleTests {
    func minute(_ text: String) -> LocalMinute { LocalMinute(text)! }

    @Test("fields, lists, ranges, steps and names match as crontab(5) says",
          arguments: [
            ("*/10 * * * *", "2026-12-01T09:20", true), ("*/10 * * * *", "2026-12-01T09:25", false),
            ("15 * * * *", "2026-12-01T03:15", true), ("0 9-17/4 * * *", "2026-12-01T13:00", true),
            ("0 9-17/4 * * *", "2026-12-01T15:00", false), ("30 0 1,15 * *", "2026-12-15T00:30", true),
            ("0 0 * JAN,DEC *", "2026-12-07T00:00", true), ("0 0 * FEB *", "2026-12-07T00:00", false),
            ("0 8 * * MON-FRI", "2026-12-05T08:00", false), // 2026-12-05 is a Saturday
            ("0 8 * * MON-FRI", "2026-12-07T08:00", true),  // Monday
            ("0 8 * * 7", "2026-12-06T08:00", true),        // 7 is Sunday too
            ("0 8 * * 0", "2026-12-06T08:00", true),
          ])
    func matches(expression: String, at: String, expected: Bool) throws {
        #expect(try CronExpression(expression).matches(minute(at)) == expected)
    }

    @Test("when both day fields are restricted, a day matching either one fires")
    func dayOrRule() throws {
        let cron = try CronExpression("0 0 1 * MON")
        #expect(cron.matches(minute("2026-12-01T00:00")))   // the 1st (a Tuesday)
        #expect(cron.matches(minute("2026-12-07T00:00")))   // a Monday
        #expect(!cron.matches(minute("2026-12-08T00:00")))  // neither
    }

    @Test("invalid expressions are refused with a reason",
          arguments: ["* * * *", "61 * * * *", "* 24 * * *", "*/0 * * * *", "5-1 * * * *", "* * * FOO *", "a b c d e"])
    func invalid(expression: String) {
        #expect(throws: CronError.self) { try CronExpression(expression) }
    }

    @Test("the latest firing at or before a minute, across days and months")
    func latest() throws {
        #expect(try CronExpression("10 0 * * *").latest(atOrBefore: minute("2026-12-03T00:09")) == minute("2026-12-02T00:10"))
        #expect(try CronExpression("10 0 * * *").latest(atOrBefore: minute("2026-12-03T00:10")) == minute("2026-12-03T00:10"))
        #expect(try CronExpression("0 12 31 * *").latest(atOrBefore: minute("2026-12-01T00:00")) == minute("2026-10-31T12:00"))
        // Leap day only: beyond the default look-back of 400 days, found with a longer one.
        #expect(try CronExpression("0 0 29 2 *").latest(atOrBefore: minute("2026-12-01T00:00")) == nil)
        #expect(try CronExpression("0 0 29 2 *").latest(atOrBefore: minute("2026-12-01T00:00"), limitDays: 1500)
                == minute("2024-02-29T00:00"))
    }

    @Test("firings between two minutes, oldest first, bounded")
    func firings() throws {
        let cron = try CronExpression("10 0 * * *")
        let all = cron.firings(after: minute("2026-11-28T00:10"), upTo: minute("2026-12-01T09:00"), limit: 10)
        #expect(all == [minute("2026-11-29T00:10"), minute("2026-11-30T00:10"), minute("2026-12-01T00:10")])
        let bounded = cron.firings(after: minute("2026-11-01T00:10"), upTo: minute("2026-12-01T09:00"), limit: 2)
        #expect(bounded == [minute("2026-11-30T00:10"), minute("2026-12-01T00:10")], "the most recent ones")
    }

    @Test("Seoul minutes: weekday, date and the clock's instant")
    func localMinute() {
        let m = minute("2026-12-06T23:59")
        #expect(m.weekday == 0 && m.hour == 23 && m.minute == 59 && m.date == BusinessDate("2026-12-06")!)
        #expect(m.description == "2026-12-06T23:59")
        #expect(LocalMinute("2026-12-06 23:59") == nil)
    }

    func job(_ schedule: String, _ policy: JobDefinition.CatchUp?, max: Int? = nil,
             asOf: JobDefinition.AsOfRule? = nil) -> JobDefinition {
        var job = JobDefinition(name: "j", description: nil, schedule: schedule, stages: ["views"], chunkSize: nil)
        job.catchUp = policy
        job.maxCatchUp = max
        job.asOf = asOf
        return job
    }

    @Test("tick: a first run, a slot already handled, and each catch-up policy")
    func planner() throws {
        let now = minute("2026-12-03T09:02")
        let first = try #require(try TickPlanner.plan(job("0 9 * * *", .latest), lastSlot: nil, now: now))
        #expect(first.runs.map(\.slot) == [minute("2026-12-03T09:00")])
        let handled = try #require(try TickPlanner.plan(job("0 9 * * *", .latest), lastSlot: minute("2026-12-03T09:00").value, now: now))
        #expect(handled.runs.isEmpty && handled.skipTo == nil)
        let last = minute("2026-11-30T09:00").value
        let latest = try #require(try TickPlanner.plan(job("0 9 * * *", .latest), lastSlot: last, now: now))
        #expect(latest.runs.map(\.slot) == [minute("2026-12-03T09:00")])
        let each = try #require(try TickPlanner.plan(job("0 9 * * *", .each, max: 2, asOf: .previousDay), lastSlot: last, now: now))
        #expect(each.runs.map(\.slot) == [minute("2026-12-02T09:00"), minute("2026-12-03T09:00")])
        #expect(each.runs.map(\.asOf) == [BusinessDate("2026-12-01")!, BusinessDate("2026-12-02")!])
        // skip: a current slot runs; a slot missed by more than the grace is recorded, not run.
        let current = try #require(try TickPlanner.plan(job("0 9 * * *", .skip), lastSlot: last, now: now))
        #expect(current.runs.count == 1)
        let stale = try #require(try TickPlanner.plan(job("0 9 * * *", .skip), lastSlot: last, now: minute("2026-12-03T10:00")))
        #expect(stale.runs.isEmpty && stale.skipTo == minute("2026-12-03T09:00"))
        #expect(try TickPlanner.plan(job("0 9 * * *", .skip), lastSlot: nil, now: now) != nil)
        var unscheduled = job("0 9 * * *", nil)
        unscheduled.schedule = nil
        #expect(try TickPlanner.plan(unscheduled, lastSlot: nil, now: now) == nil)
    }
}
