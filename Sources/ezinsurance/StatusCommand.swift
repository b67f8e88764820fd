import ArgumentParser
import EzAdapters
import EzCore
import EzRunner
import Foundation

/// `ezinsurance status`: the status views (마이페이지 / operator console).
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Print a status view: a customer, a request, a proposal, or the summary.")

    @OptionGroup var common: CommonOptions
    @Option(help: "Customer number.") var customer: String?
    @Option(help: "Request id.") var request: String?
    @Option(help: "Proposal number.") var proposal: String?
    @Flag(help: "Dropped files with their line counts (accepted + duplicate + rejected).") var files = false
    @Flag(help: "Print JSON for machines.") var json = false

    func run() throws {
        try withExitCodes {
            let env = try Environment(common)
            let store = try env.openStore()
            if files {
                let (rows, dups) = try store.read { (try $0.inboxFiles(limit: 1000), try $0.duplicateFiles(limit: 1000)) }
                for f in rows {
                    let line = FileStatusLine(file_id: f.fileId, name: f.name, status: f.status, sha256: f.sha256,
                                              received_on: f.receivedOn.description, lines: f.linesDone,
                                              accepted: f.accepted, duplicate: f.duplicates, rejected: f.rejected)
                    if json { Swift.print(try StoreJSON.encode(line)) } else {
                        Swift.print("\(f.fileId)  \(f.name)  \(f.status)  received \(f.receivedOn)  lines \(f.linesDone) = \(f.accepted) accepted + \(f.duplicates) duplicate + \(f.rejected) rejected")
                    }
                }
                if !json {
                    for d in dups { Swift.print("-  \(d.name)  DUPLICATE of file \(d.duplicateOf)  received \(d.receivedOn)") }
                }
            } else if let customer {
                guard let view = try env.openViews().read({ try $0.customerView(customer) }) else {
                    throw RunnerError.usage("no status view for customer \(customer) (not registered, or views not built yet: run the intake job)")
                }
                Swift.print(json ? try ViewJSON.encode(view) : StatusText.customer(view), terminator: json ? "" : "\n")
            } else if let request {
                guard let view = try env.openViews().read({ try $0.requestView(request) }) else {
                    throw RunnerError.usage("no status view for request \(request)")
                }
                Swift.print(json ? try ViewJSON.encode(view) : StatusText.request(view), terminator: json ? "" : "\n")
            } else if let proposal {
                // Primary-key lookups: the proposal's customer (and a charge still waiting for the
                // gateway: why, and until when) in the store, then the view.
                guard let (customerNo, pending) = try store.read({ tx -> (String, PaymentRecord?)? in
                          guard let stored = try tx.proposal(proposal) else { return nil }
                          return (stored.customerNo, try tx.pendingCharge(proposalNo: proposal))
                      }),
                      let view = try env.openViews().read({ try $0.customerView(customerNo) }),
                      let p = view.proposals.first(where: { $0.proposalNo == proposal }) else {
                    throw RunnerError.usage("no status view for proposal \(proposal)")
                }
                let withdrawals = view.withdrawals.filter { $0.proposalNo == proposal }
                let charge = pending.map(PendingCharge.init)
                if json {
                    Swift.print(try ViewJSON.encode(ProposalStatusView(proposal: p, withdrawals: withdrawals, pendingCharge: charge)),
                                terminator: "")
                } else {
                    Swift.print(StatusText.proposal(p, withdrawals: withdrawals, pendingCharge: charge))
                }
            } else {
                let counts = try env.openViews().read { try $0.counts() }
                if json {
                    Swift.print(try ViewJSON.encode(counts), terminator: "")
                } else {
                    for entity in counts.keys.sorted() {
                        let parts = counts[entity]!.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                        Swift.print("\(entity): " + parts.joined(separator: ", "))
                    }
                }
            }
        }
    }
}

struct FileStatusLine: Codable {
    var file_id: Int64
    var name: String
    var status: String
    var sha256: String
    var received_on: String
    var lines: Int
    var accepted: Int
    var duplicate: Int
    var rejected: Int
}

struct ProposalStatusView: Codable {
    var proposal: Proposal
    var withdrawals: [Withdrawal]
    /// The charge waiting for the gateway's verdict, when there is one.
    var pendingCharge: PendingCharge?

    enum CodingKeys: String, CodingKey {
        case proposal, withdrawals, pendingCharge = "pending_charge"
    }
}

/// A charge whose key is committed and whose verdict has not come: why it waits (the
/// gateway's last error while it was unavailable) and until when (backoff, wall clock).
struct PendingCharge: Codable {
    var idempotencyKey: String
    var deferrals: Int
    var lastError: String?
    var nextAttemptAt: String?

    init(_ record: PaymentRecord) {
        idempotencyKey = record.idempotencyKey
        deferrals = record.deferrals
        lastError = record.lastError
        nextAttemptAt = record.nextAttemptAt
    }

    enum CodingKeys: String, CodingKey {
        case idempotencyKey = "idempotency_key", deferrals, lastError = "last_error", nextAttemptAt = "next_attempt_at"
    }
}

/// Human-readable status views.
enum StatusText {
    static func customer(_ v: CustomerView) -> String {
        var out = ["customer \(v.customerNo) \(v.name ?? "?")  born \(v.birthDate?.description ?? "?")  \(v.gender?.rawValue ?? "?")  phone \(v.phone ?? "-")"]
        for p in v.plans {
            var line = "  plan \(p.planNo)  \(p.productName) [\(p.versionId)]  \(p.status.rawValue)"
            if let premium = p.premium { line += "  premium \(Won.format(premium)) KRW \(p.paymentFrequency.rawValue)" }
            if let doc = p.documentNo { line += "  document \(doc)" }
            out.append(line)
            for r in p.declineReasons { out.append("      declined \(r.code) (\(r.field)): \(r.message)") }
        }
        for p in v.proposals {
            var line = "  proposal \(p.proposalNo)  plan \(p.planNo)  \(p.status.rawValue)  premium \(Won.format(p.premium)) KRW  \(p.paymentMethod)"
            if let policy = p.policyNo { line += "  policy \(policy)" }
            if let d = p.lastDecline { line += "  last decline: \(d)" }
            out.append(line)
        }
        for w in v.withdrawals {
            var line = "  withdrawal \(w.withdrawalNo)  proposal \(w.proposalNo)  \(w.status.rawValue)  requested \(w.requestedOn)"
            if w.refundAmount > 0 { line += "  refund \(Won.format(w.refundAmount)) KRW due \(w.refundDueOn?.description ?? "-")" }
            out.append(line)
            for r in w.rejectionReasons { out.append("      rejected: \(r)") }
        }
        return out.joined(separator: "\n")
    }

    static func request(_ v: RequestView) -> String {
        var out: [String] = []
        for (i, o) in v.history.enumerated() {
            let current = o == v.current ? "*" : " "
            var line = "\(current) \(i + 1). \(o.requestId) \(o.type ?? "?") \(o.status.rawValue)  \(o.file ?? "-"):\(o.line.map(String.init) ?? "-")"
            for (label, value) in [("customer", o.customerNo), ("plan", o.planNo), ("proposal", o.proposalNo), ("withdrawal", o.withdrawalNo)] {
                if let value { line += "  \(label) \(value)" }
            }
            out.append(line)
            for e in o.errors { out.append("      \(e.field): \(e.reason)") }
        }
        return out.joined(separator: "\n")
    }

    static func proposal(_ p: Proposal, withdrawals: [Withdrawal], pendingCharge: PendingCharge? = nil) -> String {
        var out = ["proposal \(p.proposalNo)  \(p.status.rawValue)  customer \(p.customerNo)  plan \(p.planNo)  \(p.productName) [\(p.versionId)]",
                   "  premium \(Won.format(p.premium)) KRW  \(p.paymentMethod)  submitted \(p.submittedOn)  attempts \(p.attempts)"]
        if let policy = p.policyNo { out.append("  policy \(policy) established \(p.establishedOn?.description ?? "-")") }
        if let next = p.nextAttemptOn { out.append("  next payment attempt \(next)") }
        if let d = p.lastDecline { out.append("  last decline: \(d)") }
        if let c = pendingCharge {
            var line = "  charge \(c.idempotencyKey) waiting for the gateway"
            if c.deferrals > 0 { line += ": deferred \(c.deferrals) time\(c.deferrals == 1 ? "" : "s")" }
            if let at = c.nextAttemptAt { line += ", not retried before \(at)" }
            out.append(line)
            if let e = c.lastError { out.append("      last error: \(e)") }
        }
        for w in withdrawals {
            out.append("  withdrawal \(w.withdrawalNo) \(w.status.rawValue) requested \(w.requestedOn)" + (w.refundAmount > 0 ? " refund \(Won.format(w.refundAmount)) KRW" : ""))
            for r in w.rejectionReasons { out.append("      rejected: \(r)") }
        }
        return out.joined(separator: "\n")
    }
}
