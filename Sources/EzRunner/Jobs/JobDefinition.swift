import Foundation
import Yams

/// A job from `jobs/*.yaml`: which stages run, in order, and when.
public struct JobDefinition: Hashable, Sendable, Codable {
    public var name: String
    public var description: String?
    /// Five-field cron expression in Asia/Seoul.
    public var schedule: String?
    public var stages: [String]
    /// Records per transaction.
    public var chunkSize: Int?
    /// What `tick` does with schedule slots missed while the machine was off.
    public var catchUp: CatchUp?
    /// Upper bound of missed slots run one by one under `catch_up: each`.
    public var maxCatchUp: Int?
    /// Which business date a scheduled run gets: the slot's date, or the day before (nightly jobs).
    public var asOf: AsOfRule?

    /// Missed-schedule policies.
    public enum CatchUp: String, Codable, Sendable {
        /// Run only a slot that is current (within a few minutes); drop missed ones.
        case skip
        /// Run once, for the latest missed slot.
        case latest
        /// Run every missed slot, oldest first, up to `max_catch_up` (jobs keyed by business date).
        case each
    }

    public enum AsOfRule: String, Codable, Sendable {
        case slotDate = "slot_date"
        case previousDay = "previous_day"
    }

    public init(name: String, description: String?, schedule: String?, stages: [String], chunkSize: Int?) {
        self.name = name
        self.description = description
        self.schedule = schedule
        self.stages = stages
        self.chunkSize = chunkSize
    }

    enum CodingKeys: String, CodingKey {
        case name, description, schedule, stages, chunkSize = "chunk_size", catchUp = "catch_up"
        case maxCatchUp = "max_catch_up", asOf = "as_of"
    }

    /// Loads every `*.yaml` job in `directory`, sorted by name.
    public static func loadAll(from directory: URL) throws -> [JobDefinition] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory.path) else {
            throw RunnerError.invalidInput("no jobs folder at \(directory.path)")
        }
        var jobs: [JobDefinition] = []
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let url = directory.appendingPathComponent(name)
            let text = try String(contentsOf: url, encoding: .utf8)
            do {
                let job = try YAMLDecoder().decode(JobDefinition.self, from: text)
                if let schedule = job.schedule {
                    do { _ = try CronExpression(schedule) } catch {
                        throw RunnerError.invalidInput("\(url.path): job \(job.name): \(error)")
                    }
                }
                for stage in job.stages where !StageName.all.contains(stage) {
                    throw RunnerError.invalidInput("\(url.path): job \(job.name): unknown stage '\(stage)' (known: \(StageName.all.joined(separator: ", ")))")
                }
                jobs.append(job)
            } catch let error as RunnerError {
                throw error
            } catch {
                throw RunnerError.invalidInput("\(url.path): \(error)")
            }
        }
        return jobs
    }
}

/// The stages a job may name.
public enum StageName {
    public static let ingest = "ingest"
    public static let requests = "requests"
    public static let expire = "expire"
    public static let payments = "payments"
    public static let withdrawals = "withdrawals"
    public static let documents = "documents"
    public static let views = "views"
    public static let alarms = "alarms"
    public static let reconcile = "reconcile"
    public static let all = [ingest, requests, expire, payments, withdrawals, documents, views, alarms, reconcile]
}
