import EzAdapters
import EzCore
import Foundation

/// Processes accepted requests in arrival order, one transaction per chunk: registers
/// customers, quotes and underwrites plans, issues documents, takes proposals and records
/// withdrawal requests. Every change and its event commit together.
public struct RequestStage {
    public init() {}

    public func run(_ ctx: RunContext) throws -> StageCounts {
        var counts = StageCounts(stage: StageName.requests)
        let catalog = try ctx.catalog()
        let total = try ctx.store.read { try $0.pendingRequestCount() }
        // A bundle whose chunk committed before a crash (file not written, or not marked) is
        // written first, from the store.
        var written = try DocumentPublisher.publishPending(ctx, catalog)
        // The last bundle file written, its documents marked written by the next commit.
        var unmarked: String?
        while true {
            let done = try ctx.write { tx -> (read: Int, failed: Int, bundle: ChunkDocuments.Bundle?) in
                if let unmarked { try tx.markBundlePublished(fileName: unmarked) }
                let pending = try tx.pendingRequests(limit: ctx.chunkSize)
                var failed = 0
                let documents = ChunkDocuments(on: ctx.asOf, catalog: catalog)
                for item in pending {
                    let processor = RequestProcessor(tx: tx, ctx: ctx, catalog: catalog, item: item, documents: documents)
                    if try !processor.process() { failed += 1 }
                }
                return (pending.count, failed, documents.bundle)
            }
            unmarked = nil
            if let bundle = done.bundle {
                try DocumentPublisher.write(bundle.parts, toFile: bundle.fileName, ctx)
                unmarked = bundle.fileName
                written.files += 1
                written.documents += bundle.parts.count
            }
            counts.read += done.read
            counts.processed += done.read - done.failed
            counts.failed += done.failed
            ctx.progress.report(StageName.requests, done: counts.read, total: total)
            CrashPoint.hit("requests-after-chunk")
            if done.read < ctx.chunkSize { break }
        }
        if let unmarked { try ctx.write { try $0.markBundlePublished(fileName: unmarked) } }
        if written.files > 0 {
            counts.notes.append("\(written.documents) documents written in \(written.files) bundle file\(written.files == 1 ? "" : "s")")
        }
        return counts
    }
}

/// Applies one request inside the chunk's transaction.
struct RequestProcessor {
    let tx: StoreTransaction
    let ctx: RunContext
    let catalog: ProductCatalog
    let item: PendingRequest
    /// The documents this chunk issues (one bundle file).
    let documents: ChunkDocuments

    var date: BusinessDate { ctx.asOf }
    var request: Request { item.request }

    /// A business precondition failed: the request is answered FAILED with this reason.
    struct Refusal: Error {
        var field: String
        var reason: String
    }

    /// Returns false when the request failed on a business precondition.
    func process() throws -> Bool {
        var outcome = RequestOutcome(requestId: request.requestId, type: request.type.rawValue, status: .processed,
                                     file: item.fileName, line: item.line)
        do {
            switch request.body {
            case .customerRegister(let customer):
                outcome.customerNo = try register(customer).customer.customerNo
            case .planQuote(let input):
                let plan = try quote(input).plan
                outcome.customerNo = plan.customerNo
                outcome.planNo = plan.planNo
            case .documentRequest(let ref):
                let plan = try issueDocument(for: try quotedPlan(ref))
                outcome.customerNo = plan.customerNo
                outcome.planNo = plan.planNo
            case .proposalSubmit(let ref, let payment):
                let proposal = try submit(try quotedPlan(ref), payment: payment)
                outcome.customerNo = proposal.customerNo
                outcome.planNo = proposal.planNo
                outcome.proposalNo = proposal.proposalNo
            case .enrollmentApply(let customer, var input, let payment):
                let registered = try register(customer)
                input.issueDocument = true
                let (plan, held) = try quote(input, customer: registered.customer, isNew: registered.isNew, proposing: true)
                outcome.customerNo = plan.customerNo
                outcome.planNo = plan.planNo
                if plan.status == .quoted {
                    outcome.proposalNo = try submit(plan, payment: payment, quotedWithHeld: held).proposalNo
                }
            case .proposalWithdraw(let ref, let requestedOn, let reason):
                let w = try requestWithdrawal(ref, requestedOn: requestedOn, reason: reason)
                outcome.customerNo = w.customerNo
                outcome.proposalNo = w.proposalNo
                outcome.withdrawalNo = w.withdrawalNo
            }
        } catch let refusal as Refusal {
            outcome.status = .failed
            outcome.errors = [FieldError(field: refusal.field, reason: refusal.reason)]
            try tx.finishRequest(seq: item.seq, failed: true, outcome: outcome)
            try tx.append(DomainEvent(.requestFailed, on: date, .request(outcome)), runId: ctx.runId)
            return false
        }
        try tx.finishRequest(seq: item.seq, failed: false, outcome: outcome)
        try tx.append(DomainEvent(.requestProcessed, on: date, .request(outcome)), runId: ctx.runId)
        return true
    }

    private func emit(_ type: EventType, _ payload: EventPayload) throws {
        try tx.append(DomainEvent(type, on: date, payload, cause: request.requestId), runId: ctx.runId)
    }

    /// The customer as registered; `isNew` when this request registered it for the first time.
    private func register(_ customer: Customer) throws -> (customer: Customer, isNew: Bool) {
        let existing = try tx.customer(customer.customerNo)
        if existing == customer { return (customer, false) }
        try tx.save(customer)
        try emit(existing == nil ? .customerRegistered : .customerUpdated, .customer(customer))
        return (customer, existing == nil)
    }

    /// `customer` when the caller has just registered it (read from the store otherwise);
    /// `isNew` when it was registered just now: it holds no proposal (a proposal names a
    /// stored customer), so its held sum insured is not looked up. `proposing`: the same
    /// request proposes a quoted plan (`enrollment.apply`), whose row is then written as
    /// proposed. Returns the plan and the sum insured the customer held for the product as it
    /// was quoted.
    private func quote(_ input: QuoteInput, customer known: Customer? = nil, isNew: Bool = false,
                       proposing: Bool = false) throws -> (plan: Plan, held: Int64) {
        guard let customer = try known ?? tx.customer(input.customerNo) else {
            throw Refusal(field: "customer_no", reason: "customer \(input.customerNo) is not registered")
        }
        let held = isNew ? 0 : try tx.heldSumInsured(customerNo: customer.customerNo, productCode: input.productCode)
        let planNo = try tx.nextNumber("plan", prefix: "PL")
        let result: Quoting.Result
        do {
            result = try Quoting.quote(input, customer: customer, catalog: catalog, on: date, heldSumInsured: held,
                                       planNo: planNo, requestId: request.requestId)
        } catch {
            throw Refusal(field: "product_code", reason: error.description)
        }
        let breakdown = try result.breakdown.map { try StoreJSON.encodeBytes($0) }
        guard result.plan.status == .quoted && input.issueDocument else {
            try tx.insert(result.plan, breakdown: breakdown)
            try emit(result.plan.status == .quoted ? .planQuoted : .planDeclined, .plan(result.plan))
            return (result.plan, held)
        }
        // Quoted with its document: the events as the plan was and then is; its row (with
        // the breakdown) written once, as it ends the request, instead of inserted and then
        // rewritten: with its document's number, and marked proposed when the proposal that
        // follows will be taken.
        try emit(.planQuoted, .plan(result.plan))
        let (plan, document) = try documented(result.plan)
        try tx.insert(plan, breakdown: breakdown, proposed: proposing && (try? proposable(plan, held: held).get()) != nil)
        try tx.insertDocument(no: document.no, planNo: plan.planNo, issuedOn: date, fileName: document.fileName,
                              customerName: customer.name)
        try documents.issued(document.no, plan: plan, customerName: customer.name, breakdown: result.breakdown)
        try emit(.documentIssued, .plan(plan))
        return (plan, held)
    }

    /// The plan with the number of its document, and where the document will be written.
    private func documented(_ plan: Plan) throws -> (Plan, (no: String, fileName: String)) {
        var plan = plan
        let no = try tx.nextNumber("document", prefix: "DOC")
        plan.documentNo = no
        return (plan, (no, documents.fileName(next: no)))
    }

    private func quotedPlan(_ ref: RecordReference) throws -> Plan {
        let found: Plan?
        switch ref {
        case .number(let no): found = try tx.plan(no)
        case .requestId(let id): found = try tx.plan(requestId: id)
        }
        guard let plan = found else {
            throw Refusal(field: ref.field(for: "plan"), reason: "no plan \(ref.text)")
        }
        guard plan.status == .quoted else {
            throw Refusal(field: ref.field(for: "plan"), reason: "plan \(plan.planNo) is \(plan.status.rawValue), not QUOTED")
        }
        guard plan.isProposable(on: date) else {
            throw Refusal(field: ref.field(for: "plan"), reason: "plan \(plan.planNo) expired on \(plan.expiresOn)")
        }
        return plan
    }

    /// Issues the product description document once; a second request for it is a no-op.
    private func issueDocument(for plan: Plan) throws -> Plan {
        guard plan.documentNo == nil else { return plan }
        guard let customer = try tx.customer(plan.customerNo) else {
            throw StoreError.corrupt("plan \(plan.planNo): customer \(plan.customerNo) missing")
        }
        let (plan, document) = try documented(plan)
        try tx.insertDocument(no: document.no, planNo: plan.planNo, issuedOn: date, fileName: document.fileName,
                              customerName: customer.name)
        try tx.update(plan)
        try documents.issued(document.no, plan: plan, customerName: customer.name,
                             storedBreakdown: try tx.breakdown(ofPlan: plan.planNo))
        try emit(.documentIssued, .plan(plan))
        return plan
    }

    /// `quotedWithHeld`: the plan was quoted by this request (`enrollment.apply`), when the
    /// customer held that sum insured for the product: nothing has changed it since, in this
    /// transaction, and no proposal can name a plan numbered just now. Its row was written
    /// as proposed (`quote`), by the same checks as here.
    private func submit(_ plan: Plan, payment: PaymentInfo, quotedWithHeld: Int64? = nil) throws -> Proposal {
        if quotedWithHeld == nil, let existing = try tx.proposal(forPlan: plan.planNo) {
            throw Refusal(field: "plan_no", reason: "plan \(plan.planNo) already has proposal \(existing.proposalNo)")
        }
        let held = try quotedWithHeld ?? tx.heldSumInsured(customerNo: plan.customerNo, productCode: plan.productCode)
        let premium = try proposable(plan, held: held).get()
        let no = try tx.nextNumber("proposal", prefix: "PR")
        var proposal = Proposal(
            proposalNo: no, requestId: request.requestId, planNo: plan.planNo, customerNo: plan.customerNo,
            productCode: plan.productCode, productName: plan.productName, versionId: plan.versionId,
            sumInsured: plan.sumInsured, premium: premium, submittedOn: date,
            paymentMethod: Masking.instrument(payment.instrument))
        // The events as the proposal was and then is; its row written once, as it ends the
        // transaction (PAYMENT_PENDING), instead of inserted and then updated.
        try emit(.proposalSubmitted, .proposal(proposal))
        proposal.status = try proposal.status.transition(to: .paymentPending)
        proposal.nextAttemptOn = date
        try tx.insert(proposal, payment: payment, markingPlan: quotedWithHeld == nil)
        try emit(.paymentRequested, .proposal(proposal))
        return proposal
    }

    /// The premium of a proposal for `plan`, when the customer holds `held` of its product, or
    /// why it cannot be taken. Two plans quoted before either was proposed must not together
    /// exceed the customer's aggregate limit for the product, so it is checked again here.
    private func proposable(_ plan: Plan, held: Int64) -> Result<Int64, Refusal> {
        guard plan.documentNo != nil else {
            return .failure(Refusal(field: "plan_no", reason: "no product description document was issued for plan \(plan.planNo); request one first"))
        }
        guard let premium = plan.premium else {
            return .failure(Refusal(field: "plan_no", reason: "plan \(plan.planNo) has no premium"))
        }
        if let version = catalog.version(id: plan.versionId) {
            let limit = version.underwriting.maxAggregateSumInsured
            if held + plan.sumInsured > limit {
                return .failure(Refusal(field: "sum_insured", reason: "aggregate sum insured for \(plan.productCode) would be \(Won.format(held + plan.sumInsured)) KRW (held \(Won.format(held)) + plan \(Won.format(plan.sumInsured))), above the limit \(Won.format(limit)) KRW"))
            }
        }
        return .success(premium)
    }

    private func requestWithdrawal(_ ref: RecordReference, requestedOn: BusinessDate, reason: String?) throws -> Withdrawal {
        let found: Proposal?
        switch ref {
        case .number(let no): found = try tx.proposal(no)
        case .requestId(let id): found = try tx.proposal(requestId: id)
        }
        guard let proposal = found else {
            throw Refusal(field: ref.field(for: "proposal"), reason: "no proposal \(ref.text)")
        }
        guard requestedOn <= date else {
            throw Refusal(field: "requested_on", reason: "requested_on \(requestedOn) is after the business date \(date)")
        }
        if let open = try tx.openWithdrawal(proposalNo: proposal.proposalNo) {
            throw Refusal(field: ref.field(for: "proposal"),
                          reason: "proposal \(proposal.proposalNo) already has withdrawal \(open.withdrawalNo) (\(open.status.rawValue))")
        }
        let no = try tx.nextNumber("withdrawal", prefix: "WD")
        var w = Withdrawal(withdrawalNo: no, requestId: request.requestId, proposalNo: proposal.proposalNo,
                           customerNo: proposal.customerNo, requestedOn: requestedOn, reason: reason)
        w.policyNo = proposal.policyNo
        try tx.insert(w)
        try emit(.withdrawalRequested, .withdrawal(w))
        return w
    }
}

/// The documents one requests chunk issues. They share one bundle file (see `DocumentBundle`)
/// named after the chunk's first document, so the same chunk always gives the same file; the
/// stage writes it once the chunk is committed, from the plans and breakdowns it has in hand.
final class ChunkDocuments {
    /// A chunk's bundle, ready to render.
    struct Bundle {
        var fileName: String
        var parts: [DocumentParts]
    }

    private var name: String?
    private var issued: [DocumentParts] = []
    private let date: BusinessDate
    private let catalog: ProductCatalog

    init(on date: BusinessDate, catalog: ProductCatalog) {
        self.date = date
        self.catalog = catalog
    }

    func fileName(next documentNo: String) -> String {
        if let name { return name }
        let made = DocumentBundle.fileName(issuedOn: date, firstDocumentNo: documentNo)
        name = made
        return made
    }

    /// `customerName`: the insured's name as the document is issued (recorded with it);
    /// `breakdown` as just computed, or `storedBreakdown` as stored for a plan quoted earlier.
    func issued(_ documentNo: String, plan: Plan, customerName: String,
                breakdown: PremiumBreakdown? = nil, storedBreakdown: String? = nil) throws {
        guard let version = catalog.version(id: plan.versionId) else {
            throw StoreError.corrupt("document \(documentNo): version \(plan.versionId) of plan \(plan.planNo) missing")
        }
        issued.append(DocumentParts(documentNo: documentNo, plan: plan, customerName: customerName, version: version,
                                    breakdown: breakdown, storedBreakdown: storedBreakdown, issuedOn: date))
    }

    /// The chunk's bundle; nil when the chunk issued no document.
    var bundle: Bundle? {
        guard let name, !issued.isEmpty else { return nil }
        return Bundle(fileName: name, parts: issued)
    }
}

extension RecordReference {
    func field(for record: String) -> String {
        switch self {
        case .number: "\(record)_no"
        case .requestId: "\(record)_request_id"
        }
    }

    var text: String {
        switch self {
        case .number(let no): no
        case .requestId(let id): "from request \(id)"
        }
    }
}
