import EzAdapters
import EzCore
import Foundation
import Logging

/// First-premium settlement (초회보험료 결제): charges each due proposal through the gateway and
/// establishes the contract (계약 성립) when it is paid.
///
/// Per proposal: (1) commit the charge intent with its idempotency key, (2) call the gateway
/// — after a crash, ask it first what happened under that key — (3) commit the verdict,
/// the proposal's new status, the policy and their events together.
public struct PaymentStage {
    public init() {}

    public func run(_ ctx: RunContext) throws -> StageCounts {
        var counts = StageCounts(stage: StageName.payments)
        var reasons: [String: Int] = [:]
        var waiting = 0
        let catalog = try ctx.catalog()
        var after = ""
        while true {
            let batch = try ctx.store.read { try $0.proposalsToCharge(on: ctx.asOf, limit: ctx.chunkSize, after: after) }
            for proposal in batch {
                counts.read += 1
                switch try settle(proposal, ctx, catalog, &counts) {
                case .deferred(let reason): reasons[reason, default: 0] += 1
                case .waiting: waiting += 1
                case .done: break
                }
            }
            guard let last = batch.last else { break }
            after = last.proposalNo
            ctx.progress.report(StageName.payments, done: counts.read, total: nil)
        }
        for (reason, n) in reasons.sorted(by: { $0.key < $1.key }) {
            counts.notes.append("\(n) deferred: \(reason)")
        }
        if waiting > 0 { counts.notes.append("\(waiting) waiting for their retry time (backoff)") }
        return counts
    }

    enum Outcome { case done, deferred(String), waiting }

    private func settle(_ proposal: Proposal, _ ctx: RunContext, _ catalog: ProductCatalog,
                        _ counts: inout StageCounts) throws -> Outcome {
        let key = "chg-\(proposal.proposalNo)-\(proposal.attempts + 1)"
        if let earlier = try ctx.store.read({ try $0.payment(key: key) }), earlier.status == .pending,
           !RetryBackoff.isDue(earlier.nextAttemptAt, now: ctx.now()) {
            return .waiting
        }
        let prepared = try ctx.write { tx -> (PaymentInfo, Bool) in
            let known = try tx.payment(key: key) != nil
            _ = try tx.intendPayment(key: key, proposalNo: proposal.proposalNo, kind: .charge,
                                     amount: proposal.premium, on: ctx.asOf)
            guard let info = try tx.instrument(ofProposal: proposal.proposalNo) else {
                throw StoreError.corrupt("proposal \(proposal.proposalNo) has no payment instrument")
            }
            return (info, known)
        }
        let (info, retry) = prepared
        CrashPoint.hit("payment-before-charge")
        let answer: GatewayTransaction
        do {
            if retry, let earlier = try ctx.gateway.lookup(idempotencyKey: key) {
                answer = earlier
            } else {
                answer = try ctx.gateway.charge(ChargeRequest(
                    idempotencyKey: key, orderId: proposal.proposalNo, amount: proposal.premium,
                    instrument: info.instrument, holderName: info.holderName, businessDate: ctx.asOf))
            }
        } catch let error as GatewayError where error.isTransient {
            try defer_(proposal, key: key, error: error, ctx)
            counts.deferred += 1
            return .deferred(error.description)
        } catch let error as GatewayError {
            try ctx.write { try $0.notePaymentError(key: key, error.description) }
            ctx.logger.error("proposal \(proposal.proposalNo): \(error)")
            counts.failed += 1
            return .done
        }
        CrashPoint.hit("payment-after-charge")
        let maxAttempts = catalog.version(id: proposal.versionId)?.maxPaymentAttempts ?? 3
        try ctx.write { tx in
            try apply(answer, key: key, to: proposal, maxAttempts: maxAttempts, tx, ctx)
        }
        counts.processed += 1
        return .done
    }

    /// Records the gateway's verdict and moves the proposal on.
    private func apply(_ answer: GatewayTransaction, key: String, to stored: Proposal, maxAttempts: Int,
                       _ tx: StoreTransaction, _ ctx: RunContext) throws {
        // Someone else (a crashed run's successor, another job) already recorded this verdict.
        guard try tx.payment(key: key)?.status == .pending,
              var proposal = try tx.proposal(stored.proposalNo) else { return }
        try tx.settlePayment(key: key, approved: answer.isApproved, on: ctx.asOf, transactionId: answer.transactionId,
                             declineCode: answer.declineCode, declineMessage: answer.declineMessage)
        func emit(_ type: EventType) throws {
            try tx.append(DomainEvent(type, on: ctx.asOf, .proposal(proposal)), runId: ctx.runId)
        }
        if proposal.status != .paymentPending {
            proposal.status = try proposal.status.transition(to: .paymentPending)
        }
        proposal.attempts += 1
        if answer.isApproved {
            proposal.status = try proposal.status.transition(to: .paid)
            proposal.nextAttemptOn = nil
            proposal.lastDecline = nil
            try emit(.paymentSettled)
            let policyNo = try tx.nextNumber("policy", prefix: "PO")
            try tx.insertPolicy(no: policyNo, proposalNo: proposal.proposalNo, customerNo: proposal.customerNo,
                                on: ctx.asOf)
            proposal.status = try proposal.status.transition(to: .active)
            proposal.policyNo = policyNo
            proposal.establishedOn = ctx.asOf
            try tx.update(proposal)
            try emit(.policyEstablished)
        } else {
            proposal.status = try proposal.status.transition(to: .paymentFailed)
            proposal.lastDecline = answer.declineMessage ?? answer.declineCode ?? "declined"
            let exhausted = proposal.attempts >= maxAttempts
            proposal.nextAttemptOn = exhausted ? nil : ctx.asOf.adding(days: 1)
            try tx.update(proposal)
            try emit(.paymentFailed)
            if exhausted {
                proposal.status = try proposal.status.transition(to: .notConcluded)
                try tx.update(proposal)
                try emit(.proposalNotConcluded)
            }
        }
    }

    /// The gateway could not answer: the proposal waits as PAYMENT_DEFERRED for a later run,
    /// keeping its idempotency key; the payment records the reason, the deferral count and the
    /// time of the next attempt (exponential backoff).
    private func defer_(_ stored: Proposal, key: String, error: GatewayError, _ ctx: RunContext) throws {
        try ctx.write { tx in
            let now = ctx.now()
            try tx.deferPayment(key: key, reason: error.description) { ctx.backoff.nextAttempt(afterDeferrals: $0, now: now) }
            guard var proposal = try tx.proposal(stored.proposalNo) else { return }
            proposal.nextAttemptOn = ctx.asOf
            if proposal.status == .paymentDeferred {
                try tx.update(proposal)
                return
            }
            if proposal.status == .paymentFailed {
                proposal.status = try proposal.status.transition(to: .paymentPending)
            }
            proposal.status = try proposal.status.transition(to: .paymentDeferred)
            try tx.update(proposal)
            try tx.append(DomainEvent(.paymentDeferred, on: ctx.asOf, .proposal(proposal)), runId: ctx.runId)
        }
    }
}
