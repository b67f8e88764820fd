import EzAdapters
import EzCore
import Foundation
import Logging

/// What an event consumer did with one chunk: events scanned, outputs made.
public struct ConsumerStep: Hashable, Sendable {
    public var scanned: Int
    public var made: Int
}

/// An event consumer: applies the event log from its own checkpoint, one chunk per transaction.
public protocol EventConsumer: Sendable {
    static var name: String { get }
    /// The stage this consumer runs as.
    static var stage: String { get }
    /// Prepares the next chunk on a read snapshot and commits it with the checkpoint; nil when
    /// there is nothing to apply (with `wholeChunksOnly`, fewer than `chunkSize` events).
    func applyChunk(_ ctx: RunContext, wholeChunksOnly: Bool) throws -> ConsumerStep?
    /// Adds what was applied before the stage itself ran to the stage's counts.
    static func count(_ step: ConsumerStep, into counts: inout StageCounts)
}

/// Runs a job's event consumers (views, alarms) on a second thread while the stages before
/// them are still producing events, so that projecting views and rendering alarms uses the
/// machine's other core instead of waiting for the producers to finish.
///
/// - It takes each consumer's stage lock; a consumer busy in another run is left alone.
/// - It applies whole chunks only, so chunk and alarm-batch boundaries are exactly those of a
///   serial run and the outputs are the same bytes however the run was timed.
/// - It stops when the job reaches the first consumer stage; that stage applies the rest and
///   publishes, and what the follower applied is added to its counts.
/// - An error stops the follower and is raised when the job reaches the consumer stages,
///   where a serial run would have met it.
///
/// Every chunk commits with its checkpoint, fenced by the run's lease, so a kill -9 at any
/// instant leaves the consumers exactly where their last commit put them.
/// `EZINSURANCE_CONSUMERS=serial` turns following off (the consumers then run only as stages).
final class ConsumerFollower: @unchecked Sendable {
    static let consumers: [any EventConsumer] = [ViewConsumer(), AlarmConsumer()]

    private let condition = NSCondition()
    private var stopping = false
    private var finished = false
    private var steps: [String: ConsumerStep] = [:]
    private var failure: (any Error)?

    /// Starts following when a consumer stage comes after at least one other stage; nil otherwise.
    static func start(stages: [String], _ ctx: RunContext) -> ConsumerFollower? {
        if ProcessInfo.processInfo.environment["EZINSURANCE_CONSUMERS"] == "serial" { return nil }
        let followed = consumers.filter { stages.contains(type(of: $0).stage) }
        guard let first = stages.firstIndex(where: { s in followed.contains { type(of: $0).stage == s } }),
              first > 0 else { return nil }
        let follower = ConsumerFollower()
        let (home, store, asOf, runId, chunkSize, logger, gateway, leaseJob) =
            (ctx.home, ctx.store, ctx.asOf, ctx.runId, ctx.chunkSize, ctx.logger, ctx.gateway, ctx.leaseJob)
        let thread = Thread {
            let own = RunContext(home: home, store: store, asOf: asOf, runId: runId, chunkSize: chunkSize,
                                 logger: logger, gateway: gateway, leaseJob: leaseJob)
            follower.follow(followed, own)
        }
        thread.name = "consumers"
        thread.start()
        return follower
    }

    /// Whether `stage` is one of the consumer stages (the job stops the follower before it).
    static func isConsumer(_ stage: String) -> Bool {
        consumers.contains { type(of: $0).stage == stage }
    }

    /// Stops following, waits for the chunk in progress, and returns what each consumer
    /// applied (by stage name); raises the error that stopped the follower, if any.
    func finish() throws -> [String: ConsumerStep] {
        condition.lock()
        defer { condition.unlock() }
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        if let failure { throw failure }
        return steps
    }

    private var shouldStop: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopping
    }

    private func follow(_ consumers: [any EventConsumer], _ ctx: RunContext) {
        var locks: [JobLock] = []
        var held: [any EventConsumer] = []
        var applied: [String: ConsumerStep] = [:]
        var error: (any Error)?
        for consumer in consumers {
            let stage = type(of: consumer).stage
            guard let lock = try? JobLock(path: JobRunner.stageLockPath(stage, home: ctx.home),
                                          holder: "pid \(getpid()) run \(ctx.runId) stage \(stage) (following)")
            else { continue }
            locks.append(lock)
            held.append(consumer)
        }
        do {
            while !shouldStop {
                var progressed = false
                for consumer in held {
                    guard let step = try consumer.applyChunk(ctx, wholeChunksOnly: true) else { continue }
                    let stage = type(of: consumer).stage
                    applied[stage, default: ConsumerStep(scanned: 0, made: 0)].scanned += step.scanned
                    applied[stage]!.made += step.made
                    progressed = true
                }
                if !progressed {
                    condition.lock()
                    if !stopping { _ = condition.wait(until: Date().addingTimeInterval(0.02)) }
                    condition.unlock()
                }
            }
        } catch let caught {
            error = caught
        }
        locks.removeAll()
        condition.lock()
        steps = applied
        failure = error
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}
