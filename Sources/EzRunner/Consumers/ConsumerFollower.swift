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
/// - It applies whole chunks only, so alarm-batch boundaries are exactly those of a serial run
///   and the outputs are the same bytes however the run was timed. Each step takes up to
///   `chunksPerStep` chunks (views as one, alarms one batch per chunk, all in one
///   write): its commits wait for the stage holding the store's writer, and one chunk per
///   commit fell behind a requests chunk that makes six events per request.
/// - The job stops it for one consumer when it reaches that consumer's stage, which then
///   applies the rest and publishes; what the follower applied is added to the stage's
///   counts. Until then it keeps following the others: the alarms consumer catches up on the
///   second core while the views stage runs on the first.
/// - An error stops the follower and is raised when the job reaches a consumer stage, where a
///   serial run would have met it.
///
/// Every chunk commits with its checkpoint, fenced by the run's lease, so a kill -9 at any
/// instant leaves the consumers exactly where their last commit put them.
/// `EZINSURANCE_CONSUMERS=serial` turns following off (the consumers then run only as stages).
final class ConsumerFollower: @unchecked Sendable {
    static let consumers: [any EventConsumer] = [ViewConsumer(), AlarmConsumer()]

    /// Whole chunks a consumer prepares and commits in one step while following.
    static let chunksPerStep = 8

    /// `EZINSURANCE_CONSUMERS=serial`: consumers run only as their stages, on one thread.
    static let serial = ProcessInfo.processInfo.environment["EZINSURANCE_CONSUMERS"] == "serial"

    private let condition = NSCondition()
    /// Stages the job has asked the follower to give back.
    private var stopping: Set<String> = []
    /// Stages given back (lock released), with what was applied for them.
    private var released: [String: ConsumerStep] = [:]
    private var finished = false
    private var failure: (any Error)?
    /// The consumers followed, with their stage locks and what was applied (follower thread only).
    private var held: [(consumer: any EventConsumer, lock: JobLock, applied: ConsumerStep)] = []
    /// Their stages (set before the thread starts, then read only).
    private var following: Set<String> = []

    /// Starts following when a consumer stage comes after at least one other stage; nil otherwise.
    static func start(stages: [String], _ ctx: RunContext) -> ConsumerFollower? {
        if serial { return nil }
        let followed = consumers.filter { stages.contains(type(of: $0).stage) }
        guard let first = stages.firstIndex(where: { s in followed.contains { type(of: $0).stage == s } }),
              first > 0 else { return nil }
        let follower = ConsumerFollower()
        // The stage locks are taken here, before the job goes on, so `release` knows at once
        // which consumers are followed.
        for consumer in followed {
            let stage = type(of: consumer).stage
            guard let lock = try? JobLock(path: JobRunner.stageLockPath(stage, home: ctx.home),
                                          holder: "pid \(getpid()) run \(ctx.runId) stage \(stage) (following)")
            else { continue }
            follower.held.append((consumer, lock, ConsumerStep(scanned: 0, made: 0)))
        }
        guard !follower.held.isEmpty else { return nil }
        follower.following = Set(follower.held.map { type(of: $0.consumer).stage })
        let (home, store, asOf, runId, chunkSize, logger, gateway, leaseJob, views) =
            (ctx.home, ctx.store, ctx.asOf, ctx.runId, ctx.chunkSize, ctx.logger, ctx.gateway, ctx.leaseJob, ctx.views)
        let thread = Thread {
            let own = RunContext(home: home, store: store, asOf: asOf, runId: runId, chunkSize: chunkSize,
                                 logger: logger, gateway: gateway, leaseJob: leaseJob, views: views)
            follower.follow(own)
        }
        thread.name = "consumers"
        thread.start()
        return follower
    }

    /// The consumer that runs as `stage`, if any.
    static func consumer(of stage: String) -> (any EventConsumer)? {
        consumers.first { type(of: $0).stage == stage }
    }

    /// Stops following `stage`, waiting for its chunk in progress, and returns what was applied
    /// for it (nil if it was not followed); raises the error that stopped the follower, if any.
    func release(_ stage: String) throws -> ConsumerStep? {
        guard following.contains(stage) else { return nil }
        condition.lock()
        defer { condition.unlock() }
        stopping.insert(stage)
        condition.broadcast()
        while !finished && released[stage] == nil { condition.wait() }
        if let failure { throw failure }
        return released[stage]
    }

    /// Stops following everything and waits for the thread to end (errors are dropped: the
    /// job is already failing or done).
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        stopping.formUnion(Self.consumers.map { type(of: $0).stage })
        condition.broadcast()
        while !finished { condition.wait() }
    }

    private func follow(_ ctx: RunContext) {
        var error: (any Error)?
        do {
            while true {
                // Give back the consumers whose stage the job has reached.
                condition.lock()
                let asked = stopping
                for entry in held where asked.contains(type(of: entry.consumer).stage) {
                    released[type(of: entry.consumer).stage] = entry.applied
                }
                held.removeAll { asked.contains(type(of: $0.consumer).stage) }
                condition.broadcast()
                condition.unlock()
                if held.isEmpty { break }
                var progressed = false
                for i in held.indices {
                    guard let step = try held[i].consumer.applyChunk(ctx, wholeChunksOnly: true) else { continue }
                    held[i].applied.scanned += step.scanned
                    held[i].applied.made += step.made
                    progressed = true
                }
                if !progressed {
                    condition.lock()
                    if stopping == asked { _ = condition.wait(until: Date().addingTimeInterval(0.02)) }
                    condition.unlock()
                }
            }
        } catch let caught {
            error = caught
        }
        held.removeAll()
        condition.lock()
        failure = error
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}
