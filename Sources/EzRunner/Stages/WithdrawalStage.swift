import EzAdapters
import EzCore
import Foundation
import Logging

/// Withdrawals (청약철회): decides each requested withdrawal against the product's window,
/// cancels unpaid proposals, and refunds paid ones in full through the gateway, exactly once.
///
/// Per chunk of open withdrawals, as the payment stage charges: (1) one transaction decides
/// the requested ones and commits the refund intents with their idempotency keys, (2) the
/// gateway is called — keys known before this run are looked up first, one by one; new keys
/// go in one batch — and (3) one transaction records every verdict, the withdrawals and
/// proposals it completes and their events. A crash between (2) and (3) leaves the intents
/// pending; the next run looks each key up instead of refunding again.
public struct WithdrawalStage {
    public init() {}

    public func run(_ ctx: RunContext) throws -> StageCounts {
        var counts = StageCounts(stage: StageName.withdrawals)
        let catalog = try ctx.catalog()
        var after = ""
        while true {
            let batch = try ctx.store.read { try $0.openWithdrawals(limit: ctx.chunkSize, after: after) }
            guard let last = batch.last else { break }
            counts.read += batch.count
            let intents = try decide(batch, ctx, catalog, &counts)
            try refund(intents, ctx, &counts)
            after = last.withdrawalNo
        }
        if counts.deferred > 0 { counts.notes.append("\(counts.deferred) refunds pending (REFUND_PENDING): gateway unavailable; retried after backoff") }
        return counts
    }

    /// A refund about to be asked for: its key is committed.
    private struct Intent {
        var withdrawal: Withdrawal
        var key: String
        var charge: PaymentRecord
        /// The key was known before this run: ask the gateway before refunding.
        var retry: Bool
    }

    /// Phase one, in one transaction: decides the requested withdrawals of the chunk and
    /// commits a refund intent for each one waiting for its refund (unless its retry time has
    /// not come).
    private func decide(_ batch: [Withdrawal], _ ctx: RunContext, _ catalog: ProductCatalog,
                        _ counts: inout StageCounts) throws -> [Intent] {
        let now = ctx.now()
        let (intents, decided) = try ctx.write { tx -> ([Intent], StageCounts) in
            var intents: [Intent] = []
            var decided = StageCounts(stage: StageName.withdrawals)
            for w in batch {
                var current = w
                // The approved charge, when the decision just read it.
                var decidedCharge: PaymentRecord?
                if current.status == .requested {
                    guard let next = try decide(current, ctx, catalog, tx, &decided) else { continue }
                    (current, decidedCharge) = next
                }
                guard current.status == .refundPending else { continue }
                let key = "rfd-\(current.proposalNo)"
                let earlier = try tx.payment(key: key)
                if let earlier, earlier.status == .pending, !RetryBackoff.isDue(earlier.nextAttemptAt, now: now) {
                    decided.notes.append("refund \(key) waits for its retry time \(earlier.nextAttemptAt ?? "")")
                    continue
                }
                guard let charge = try decidedCharge ?? tx.approvedCharge(proposalNo: current.proposalNo),
                      charge.gatewayTxId != nil else {
                    throw StoreError.corrupt("no approved charge to refund for \(current.proposalNo)")
                }
                if earlier == nil {
                    try tx.insertPaymentIntent(key: key, proposalNo: current.proposalNo, kind: .refund,
                                               amount: current.refundAmount, on: ctx.asOf, originalTxId: charge.gatewayTxId)
                }
                intents.append(Intent(withdrawal: current, key: key, charge: charge, retry: earlier != nil))
            }
            return (intents, decided)
        }
        counts.processed += decided.processed
        counts.rejected += decided.rejected
        counts.notes += decided.notes
        return intents
    }

    /// Rejects, cancels or moves to refund, in `tx`; nil while the proposal's payment is unresolved.
    /// A withdrawal moved to refund comes with the approved charge it refunds.
    private func decide(_ w: Withdrawal, _ ctx: RunContext, _ catalog: ProductCatalog, _ tx: StoreTransaction,
                        _ counts: inout StageCounts) throws -> (Withdrawal, PaymentRecord?)? {
        guard var proposal = try tx.proposal(w.proposalNo) else {
            throw StoreError.corrupt("withdrawal \(w.withdrawalNo) names unknown proposal \(w.proposalNo)")
        }
        if try tx.pendingCharge(proposalNo: proposal.proposalNo) != nil {
            return nil  // a charge is in flight; the payment stage resolves it first
        }
        var w = w
        let window = catalog.version(id: proposal.versionId)?.withdrawal ?? WithdrawalWindow.standard
        let delivered = try tx.policyDeliveredOn(proposalNo: proposal.proposalNo)
        var reasons = window.violations(requestedOn: w.requestedOn, proposedOn: proposal.submittedOn,
                                        deliveredOn: delivered)
        if !(proposal.status.isUnpaid || proposal.status == .active) {
            reasons.append("청약 상태(\(proposal.status.rawValue))에서는 철회할 수 없습니다")
        }
        w.decidedOn = ctx.asOf
        func emit(_ type: EventType, _ payload: EventPayload) throws {
            try tx.append(DomainEvent(type, on: ctx.asOf, payload, cause: w.requestId), runId: ctx.runId)
        }
        if !reasons.isEmpty {
            w.status = try w.status.transition(to: .rejected)
            w.rejectionReasons = reasons
            try tx.update(w)
            try emit(.withdrawalRejected, .withdrawal(w))
            counts.rejected += 1
            return (w, nil)
        }
        if proposal.status.isUnpaid {
            w.status = try w.status.transition(to: .cancelled)
            try tx.update(w)
            proposal.status = try proposal.status.transition(to: .cancelled)
            proposal.nextAttemptOn = nil
            try tx.update(proposal)
            try emit(.proposalCancelled, .proposal(proposal))
            try emit(.withdrawalCancelled, .withdrawal(w))
            counts.processed += 1
            return (w, nil)
        }
        guard let charge = try tx.approvedCharge(proposalNo: proposal.proposalNo) else {
            throw StoreError.corrupt("proposal \(proposal.proposalNo) is ACTIVE without an approved charge")
        }
        w.status = try w.status.transition(to: .refundPending)
        w.refundAmount = charge.amount
        w.refundDueOn = window.refundDue(requestedOn: w.requestedOn)
        w.policyNo = proposal.policyNo
        try tx.update(w)
        try emit(.refundPending, .withdrawal(w))
        return (w, charge)
    }

    /// Phases two and three: asks the gateway for every refund of the chunk, then records the
    /// verdicts in one transaction.
    private func refund(_ intents: [Intent], _ ctx: RunContext, _ counts: inout StageCounts) throws {
        guard !intents.isEmpty else { return }
        CrashPoint.hit("refund-before-call")
        var answers = [GatewayVerdict?](repeating: nil, count: intents.count)
        let retries = intents.indices.filter { intents[$0].retry }
        let looked = try GatewayVerdict.lookingUp(retries.map { (intents[$0].key, request(intents[$0], ctx)) },
                                                  gateway: ctx.gateway, call: { try $0.refund($1) })
        for (i, verdict) in zip(retries, looked) { answers[i] = verdict }
        let fresh = intents.indices.filter { !intents[$0].retry }
        if !fresh.isEmpty {
            let results = try ctx.gateway.refundAll(fresh.map { request(intents[$0], ctx) })
            guard results.count == fresh.count else {
                throw RunnerError.internalError("the gateway answered \(results.count) of \(fresh.count) refunds")
            }
            for (i, result) in zip(fresh, results) { answers[i] = GatewayVerdict(result) }
        }
        CrashPoint.hit("refund-after-call")
        let verdicts = zip(intents, answers.map { $0! })
        let now = ctx.now()
        try ctx.write { tx in
            for (intent, verdict) in verdicts {
                switch verdict {
                case .answered(let answer): try complete(intent, with: answer, tx, ctx)
                case .unavailable(let error):
                    _ = try tx.deferPayment(key: intent.key, reason: error.description) {
                        ctx.backoff.nextAttempt(afterDeferrals: $0, now: now)
                    }
                case .refused(let error): try tx.notePaymentError(key: intent.key, error.description)
                }
            }
        }
        for (intent, verdict) in verdicts {
            switch verdict {
            case .answered: counts.processed += 1
            case .unavailable: counts.deferred += 1
            case .refused(let error):
                ctx.logger.error("withdrawal \(intent.withdrawal.withdrawalNo): \(error)")
                counts.failed += 1
            }
        }
    }

    private func request(_ intent: Intent, _ ctx: RunContext) -> RefundRequest {
        let w = intent.withdrawal
        return RefundRequest(idempotencyKey: intent.key, originalTransactionId: intent.charge.gatewayTxId ?? "",
                             orderId: w.proposalNo, amount: w.refundAmount, reason: w.reason ?? "청약철회",
                             businessDate: ctx.asOf)
    }

    /// Records the gateway's answer; an approved refund completes the withdrawal.
    private func complete(_ intent: Intent, with answer: GatewayTransaction, _ tx: StoreTransaction,
                          _ ctx: RunContext) throws {
        // Recorded only while the refund is pending: someone else (a crashed run's successor,
        // another job) may have recorded this verdict already.
        guard try tx.settlePayment(key: intent.key, approved: answer.isApproved, on: ctx.asOf,
                                   transactionId: answer.transactionId, declineCode: answer.declineCode,
                                   declineMessage: answer.declineMessage) else { return }
        var w = intent.withdrawal
        guard answer.isApproved else {
            ctx.logger.error("withdrawal \(w.withdrawalNo): refund refused by the gateway: \(answer.declineMessage ?? "")")
            return
        }
        w.status = try w.status.transition(to: .withdrawn)
        try tx.update(w)
        guard var proposal = try tx.proposal(w.proposalNo) else { return }
        proposal.status = try proposal.status.transition(to: .withdrawn)
        try tx.update(proposal)
        try tx.withdrawPolicy(proposalNo: proposal.proposalNo)
        try tx.append(DomainEvent(.proposalWithdrawn, on: ctx.asOf, .proposal(proposal), cause: w.requestId),
                      runId: ctx.runId)
        try tx.append(DomainEvent(.withdrawalCompleted, on: ctx.asOf, .withdrawal(w)), runId: ctx.runId)
    }
}
