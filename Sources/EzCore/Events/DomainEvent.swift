/// The entity snapshot an event carries: the record as it stands after the change.
///
/// Consumers (status views, alarms) build their own models from these snapshots and never
/// read another module's tables.
public enum EventPayload: Hashable, Sendable {
    case request(RequestOutcome)
    case customer(Customer)
    case plan(Plan)
    case proposal(Proposal)
    case withdrawal(Withdrawal)
}

/// Names of the records an event belongs to and of the request that started the chain.
public struct Correlation: Hashable, Sendable, Codable {
    public var requestId: String?
    public var customerNo: String?
    public var planNo: String?
    public var proposalNo: String?
    public var policyNo: String?

    enum CodingKeys: String, CodingKey {
        case requestId = "request_id", customerNo = "customer_no", planNo = "plan_no"
        case proposalNo = "proposal_no", policyNo = "policy_no"
    }
}

/// A state change, appended to the event log in the transaction that made it.
public struct DomainEvent: Hashable, Sendable {
    public var type: EventType
    public var occurredOn: BusinessDate
    public var payload: EventPayload
    /// The request that started the chain, when it differs from the payload's own.
    public var causeRequestId: String?

    public init(_ type: EventType, on date: BusinessDate, _ payload: EventPayload, cause: String? = nil) {
        self.type = type
        self.occurredOn = date
        self.payload = payload
        self.causeRequestId = cause
    }

    public var correlation: Correlation {
        switch payload {
        case .request(let r):
            Correlation(requestId: r.requestId, customerNo: r.customerNo, planNo: r.planNo,
                        proposalNo: r.proposalNo, policyNo: nil)
        case .customer(let c):
            Correlation(requestId: causeRequestId, customerNo: c.customerNo)
        case .plan(let p):
            Correlation(requestId: causeRequestId ?? p.requestId, customerNo: p.customerNo, planNo: p.planNo)
        case .proposal(let p):
            Correlation(requestId: causeRequestId ?? p.requestId, customerNo: p.customerNo,
                        planNo: p.planNo, proposalNo: p.proposalNo, policyNo: p.policyNo)
        case .withdrawal(let w):
            Correlation(requestId: causeRequestId ?? w.requestId, customerNo: w.customerNo,
                        proposalNo: w.proposalNo, policyNo: w.policyNo)
        }
    }
}

/// An event as read back from the log, with its position.
public struct StoredEvent: Hashable, Sendable {
    public var seq: Int64
    public var event: DomainEvent
    public init(seq: Int64, event: DomainEvent) {
        self.seq = seq
        self.event = event
    }
}

extension EventPayload: Codable {
    private enum Key: String, CodingKey { case request, customer, plan, proposal, withdrawal }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        if let v = try c.decodeIfPresent(RequestOutcome.self, forKey: .request) { self = .request(v) }
        else if let v = try c.decodeIfPresent(Customer.self, forKey: .customer) { self = .customer(v) }
        else if let v = try c.decodeIfPresent(Plan.self, forKey: .plan) { self = .plan(v) }
        else if let v = try c.decodeIfPresent(Proposal.self, forKey: .proposal) { self = .proposal(v) }
        else { self = .withdrawal(try c.decode(Withdrawal.self, forKey: .withdrawal)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        switch self {
        case .request(let v): try c.encode(v, forKey: .request)
        case .customer(let v): try c.encode(v, forKey: .customer)
        case .plan(let v): try c.encode(v, forKey: .plan)
        case .proposal(let v): try c.encode(v, forKey: .proposal)
        case .withdrawal(let v): try c.encode(v, forKey: .withdrawal)
        }
    }
}
