import EzAdapters
import EzCore
import Foundation
import Logging

/// Withdrawals (청약철회): decides each requested withdrawal against the product's window,
/// cancels unpaid proposals, and refunds paid ones in full through the gateway, exactly once.
public struct WithdrawalStage {
    public init() {}

    public func run(_ ctx: RunContext) throws -> StageCounts {
        var counts = StageCounts(stage: StageName.withdrawals)
        let catalog = try ctx.catalog()
        var after = ""
        while true {
            let batch = try ctx.store.read { try $0.openWithdrawals(limit: ctx.chunkSize, after: after) }
            for w in batch {
                counts.read += 1
                var current = w
                if current.status == .requested {
                    guard let decided = try decide(current, ctx, catalog, &counts) else { continue }
                    current = decided
                }
                if current.status == .refundPending {
                    try refund(current, ctx, &counts)
                }
            }
            guard let last = batch.last else { break }
            after = last.withdrawalNo
        }
        if counts.deferred > 0 { counts.notes.append("\(counts.deferred) refunds pending (REFUND_PENDING): gateway unavailable; retried after backoff") }
        return counts
    }

    /// Rejects, cancels or moves to refund; nil while the proposal's payment is unresolved.
    private func decide(_ w: Withdrawal, _ ctx: RunContext, _ catalog: ProductCatalog,
                        _ counts: inout StageCounts) throws -> Withdrawal? {
        try ctx.write { tx -> Withdrawal? in
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
                return w
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
                return w
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
            return w
        }
    }

    /// Refunds the charge in full under the key `rfd-<proposal>`, asking the gateway first
    /// when an earlier attempt may have reached it.
    private func refund(_ w: Withdrawal, _ ctx: RunContext, _ counts: inout StageCounts) throws {
        let key = "rfd-\(w.proposalNo)"
        if let earlier = try ctx.store.read({ try $0.payment(key: key) }), earlier.status == .pending,
           !RetryBackoff.isDue(earlier.nextAttemptAt, now: ctx.now()) {
            counts.notes.append("refund \(key) waits for its retry time \(earlier.nextAttemptAt ?? "")")
            return
        }
        let prepared = try ctx.write { tx -> (PaymentRecord, Bool) in
            guard let charge = try tx.approvedCharge(proposalNo: w.proposalNo), let txId = charge.gatewayTxId else {
                throw StoreError.corrupt("no approved charge to refund for \(w.proposalNo)")
            }
            let known = try tx.payment(key: key) != nil
            _ = try tx.intendPayment(key: key, proposalNo: w.proposalNo, kind: .refund, amount: w.refundAmount,
                                     on: ctx.asOf, originalTxId: txId)
            return (charge, known)
        }
        let (charge, retry) = prepared
        CrashPoint.hit("refund-before-call")
        let answer: GatewayTransaction
        do {
            if retry, let earlier = try ctx.gateway.lookup(idempotencyKey: key) {
                answer = earlier
            } else {
                answer = try ctx.gateway.refund(RefundRequest(
                    idempotencyKey: key, originalTransactionId: charge.gatewayTxId ?? "", orderId: w.proposalNo,
                    amount: w.refundAmount, reason: w.reason ?? "청약철회", businessDate: ctx.asOf))
            }
        } catch let error as GatewayError {
            if error.isTransient {
                let now = ctx.now()
                _ = try ctx.write {
                    try $0.deferPayment(key: key, reason: error.description) { ctx.backoff.nextAttempt(afterDeferrals: $0, now: now) }
                }
                counts.deferred += 1
            } else {
                try ctx.write { try $0.notePaymentError(key: key, error.description) }
                ctx.logger.error("withdrawal \(w.withdrawalNo): \(error)")
                counts.failed += 1
            }
            return
        }
        CrashPoint.hit("refund-after-call")
        try ctx.write { tx in
            guard try tx.payment(key: key)?.status == .pending else { return }
            try tx.settlePayment(key: key, approved: answer.isApproved, on: ctx.asOf, transactionId: answer.transactionId,
                                 declineCode: answer.declineCode, declineMessage: answer.declineMessage)
            guard answer.isApproved else {
                ctx.logger.error("withdrawal \(w.withdrawalNo): refund refused by the gateway: \(answer.declineMessage ?? "")")
                return
            }
            var w = w
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
        counts.processed += 1
    }
}
