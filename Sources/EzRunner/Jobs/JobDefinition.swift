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

    public init(name: String, description: String?, schedule: String?, stages: [String], chunkSize: Int?) {
        self.name = name
        self.description = description
        self.schedule = schedule
        self.stages = stages
        self.chunkSize = chunkSize
    }

    enum CodingKeys: String, CodingKey {
        case name, description, schedule, stages, chunkSize = "chunk_size"
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
    public static let all = [ingest, requests, expire, payments, withdrawals, documents, views, alarms]
}
