import EzAdapters
import EzCore

/// Expires quoted plans past their validity that were never proposed.
public struct ExpiryStage {
    public init() {}

    public func run(_ ctx: RunContext) throws -> StageCounts {
        var counts = StageCounts(stage: StageName.expire)
        while true {
            let n = try ctx.write { tx -> Int in
                let plans = try tx.plansExpiring(before: ctx.asOf, limit: ctx.chunkSize)
                for var plan in plans {
                    plan.status = try plan.status.transition(to: .expired)
                    try tx.update(plan)
                    try tx.append(DomainEvent(.planExpired, on: ctx.asOf, .plan(plan)), runId: ctx.runId)
                }
                return plans.count
            }
            counts.processed += n
            if n < ctx.chunkSize { break }
        }
        return counts
    }
}
