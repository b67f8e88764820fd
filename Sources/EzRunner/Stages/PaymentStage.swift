import EzAdapters
import EzCore
import Foundation
import Logging

/// First-premium settlement (초회보험료 결제): charges each due proposal through the gateway and
/// establishes the contract (계약 성립) when it is paid.
///
/// Per chunk of proposals: (1) commit the charge intents with their idempotency keys in one
/// transaction, (2) call the gateway for each — after a crash, asking it first what happened
/// under a key already known — (3) commit every verdict, the proposals' new statuses, the
/// policies and their events in one transaction. A crash between (2) and (3) leaves the
/// intents pending; the next run looks each key up instead of charging again.
public struct PaymentStage {
    public init() {}

    public func run(_ ctx: RunContext) throws -> StageCounts {
        var counts = StageCounts(stage: StageName.payments)
        var reasons: [String: Int] = [:]
        var waiting = 0
        let catalog = try ctx.catalog()
        var after = PayableCursor.start
        while let last = try settle(after: after, ctx, catalog, &counts, &reasons, &waiting) {
            after = .after(last, on: ctx.asOf)
            ctx.progress.report(StageName.payments, done: counts.read, total: nil)
        }
        counts.notes += Self.deferralNotes(reasons)
        if waiting > 0 { counts.notes.append("\(waiting) waiting for their retry time (backoff)") }
        return counts
    }

    /// Reasons listed in a run's summary; the others are counted in one line.
    static let reasonsListed = 5

    /// The summary's lines for the deferred charges: the most frequent reasons first (ties in
    /// text order), at most `reasonsListed`, then one line for the rest. A gateway that names
    /// the call in its message (the sandbox's injected faults do) gives one reason per charge:
    /// listed one by one, a night's outage made a summary of thousands of lines.
    static func deferralNotes(_ reasons: [String: Int]) -> [String] {
        let sorted = reasons.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var notes = sorted.prefix(reasonsListed).map { "\($0.value) deferred: \($0.key)" }
        let rest = sorted.dropFirst(reasonsListed)
        if !rest.isEmpty {
            notes.append("\(rest.reduce(0) { $0 + $1.value }) deferred for \(rest.count) other reason\(rest.count == 1 ? "" : "s") (each payment records its own)")
        }
        return notes
    }

    /// A charge about to be made: its key is committed, its instrument read.
    private struct Intent {
        /// The proposal, the JSON it was read from (its verdict reads the row again only if
        /// changed) and its instrument.
        var charge: DueCharge
        var proposal: Proposal { charge.proposal }
        var key: String
        /// The key was known before this run: ask the gateway before charging.
        var retry: Bool
    }

    /// Settles the next chunk of payable proposals after `after`; returns the chunk's last
    /// proposal, or nil when none is left.
    private func settle(after: PayableCursor, _ ctx: RunContext, _ catalog: ProductCatalog, _ counts: inout StageCounts,
                        _ reasons: inout [String: Int], _ waiting: inout Int) throws -> Proposal? {
        let now = ctx.now()
        // The chunk is read in the transaction that commits its intents: another job's
        // withdrawals stage may cancel a proposal at any time until its intent is committed
        // (after that it waits for the charge), so a chunk read before this transaction could
        // charge a proposal cancelled meanwhile.
        let (read, intents, early) = try ctx.write { tx -> ((last: Proposal, count: Int)?, [Intent], Int) in
            let due = try tx.chargesDue(on: ctx.asOf, limit: ctx.chunkSize, after: after)
            PausePoint.hit("payments-chunk-read")
            var intents: [Intent] = []
            var early = 0
            for charge in due {
                let proposal = charge.proposal
                let key = "chg-\(proposal.proposalNo)-\(proposal.attempts + 1)"
                let earlier = try tx.payment(key: key)
                if let earlier, earlier.status == .pending, !RetryBackoff.isDue(earlier.nextAttemptAt, now: now) {
                    early += 1
                    continue
                }
                if earlier == nil {
                    try tx.insertPaymentIntent(key: key, proposalNo: proposal.proposalNo, kind: .charge,
                                               amount: proposal.premium, on: ctx.asOf)
                }
                intents.append(Intent(charge: charge, key: key, retry: earlier != nil))
            }
            return (due.last.map { ($0.proposal, due.count) }, intents, early)
        }
        guard let (last, count) = read else { return nil }
        counts.read += count
        waiting += early
        CrashPoint.hit("payment-before-charge")
        // Keys known before this run are looked up first (one by one, or as many at once as
        // the gateway takes calls); new keys are charged in one batch call (one round trip and
        // one commit at a gateway that takes batches). Verdicts are applied in proposal order.
        var answers = [GatewayVerdict?](repeating: nil, count: intents.count)
        let retries = intents.indices.filter { intents[$0].retry }
        let looked = try GatewayVerdict.lookingUp(retries.map { (intents[$0].key, request(intents[$0], ctx)) },
                                                  gateway: ctx.gateway, call: { try $0.charge($1) },
                                                  after: { CrashPoint.hit("payment-after-charge") })
        for (i, verdict) in zip(retries, looked) { answers[i] = verdict }
        let fresh = intents.indices.filter { !intents[$0].retry }
        if !fresh.isEmpty {
            let results = try ctx.gateway.chargeAll(fresh.map { request(intents[$0], ctx) })
            guard results.count == fresh.count else {
                throw RunnerError.internalError("the gateway answered \(results.count) of \(fresh.count) charges")
            }
            for (i, result) in zip(fresh, results) { answers[i] = GatewayVerdict(result) }
            CrashPoint.hit("payment-after-charge")
        }
        let verdicts = zip(intents, answers.map { $0! })
        try ctx.write { tx in
            for (intent, verdict) in verdicts {
                switch verdict {
                case .answered(let answer):
                    let maxAttempts = catalog.version(id: intent.proposal.versionId)?.maxPaymentAttempts ?? 3
                    try apply(answer, key: intent.key, to: intent.proposal, readAs: intent.charge.json, maxAttempts: maxAttempts,
                              tx, ctx)
                case .unavailable(let error):
                    try defer_(intent.proposal, readAs: intent.charge.json, key: intent.key, error: error, now: now, tx, ctx)
                case .refused(let error):
                    try tx.notePaymentError(key: intent.key, error.description)
                }
            }
        }
        for (intent, verdict) in verdicts {
            switch verdict {
            case .answered: counts.processed += 1
            case .unavailable(let error):
                counts.deferred += 1
                reasons[error.description, default: 0] += 1
            case .refused(let error):
                ctx.logger.error("proposal \(intent.proposal.proposalNo): \(error)")
                counts.failed += 1
            }
        }
        return last
    }

    private func request(_ intent: Intent, _ ctx: RunContext) -> ChargeRequest {
        ChargeRequest(idempotencyKey: intent.key, orderId: intent.proposal.proposalNo, amount: intent.proposal.premium,
                      instrument: intent.charge.payment.instrument, holderName: intent.charge.payment.holderName,
                      businessDate: ctx.asOf)
    }

    /// Records the gateway's verdict and moves the proposal on.
    private func apply(_ answer: GatewayTransaction, key: String, to stored: Proposal, readAs json: [UInt8],
                       maxAttempts: Int, _ tx: StoreTransaction, _ ctx: RunContext) throws {
        // Recorded only while the payment is pending: someone else (a crashed run's successor,
        // another job) may have recorded this verdict already. The proposal as its row holds it
        // now (another job may have changed it since the intent read it).
        guard var proposal = try tx.proposal(stored.proposalNo, readAs: json, known: stored),
              try tx.settlePayment(key: key, approved: answer.isApproved, on: ctx.asOf, transactionId: answer.transactionId,
                                   declineCode: answer.declineCode, declineMessage: answer.declineMessage) else { return }
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
    private func defer_(_ stored: Proposal, readAs json: [UInt8], key: String, error: GatewayError, now: Date,
                        _ tx: StoreTransaction, _ ctx: RunContext) throws {
        try tx.deferPayment(key: key, reason: error.description) { ctx.backoff.nextAttempt(afterDeferrals: $0, now: now) }
        guard var proposal = try tx.proposal(stored.proposalNo, readAs: json, known: stored) else { return }
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
