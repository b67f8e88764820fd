/// Applies events to the status read models. Pure: the caller reads what the views held before
/// the events (`Prior`), hands over each event as far as the views read it (`Input`), and
/// saves the `Changes`.
///
/// A customer's view is kept in parts: the customer's details (masked), one entry per plan,
/// proposal and withdrawal (`ViewItem`, the record's JSON as its last event carried it), and
/// the sequence number and date of its last event; a request's view is its current outcome
/// and the outcomes recorded under its id.
public enum StatusProjector {
    /// A change to a status count in the summary (`plan`, `QUOTED`, +1).
    public struct CountDelta: Hashable, Sendable {
        public var entity: String
        public var status: String
        public var delta: Int
    }

    /// `deltas`, taken in log order, summed by entity and status, each sum at the place its
    /// key first appears. A sum of zero is kept: which rows a count table gains, and in which
    /// order, then does not depend on how the log was cut into chunks.
    public static func summed(_ deltas: [CountDelta]) -> [CountDelta] {
        // Found by a scan of the sums so far, not a dictionary: there are a few dozen keys at
        // most (entities × statuses), and comparing short strings costs less than hashing two.
        var out: [CountDelta] = []
        for d in deltas {
            if let at = out.firstIndex(where: { $0.status == d.status && $0.entity == d.entity }) {
                out[at].delta += d.delta
            } else {
                out.append(d)
            }
        }
        return out
    }

    /// One event as the views read it. `Record` is the record's JSON as the views store it,
    /// opaque here.
    public struct Input<Record> {
        public var seq: Int64
        public var occurredOn: BusinessDate
        public var payload: Viewed<Record>

        public init(seq: Int64, occurredOn: BusinessDate, payload: Viewed<Record>) {
            self.seq = seq
            self.occurredOn = occurredOn
            self.payload = payload
        }
    }

    /// What the views take from an event's payload.
    public enum Viewed<Record> {
        /// A request's outcome, and its JSON (an entry of the request's history).
        case request(RequestOutcome, Record)
        /// A customer's details (masked when applied).
        case customer(Customer)
        /// A plan, proposal or withdrawal: which one, its status, and its JSON.
        case item(ViewItem, status: String, Record)
    }

    /// What the views held before a chunk, for the keys its events touch.
    public struct Prior {
        /// Customers whose views have their details.
        public var profiled: Set<String> = []
        /// The status of each item that has a view entry.
        public var itemStatus: [ViewItem: String] = [:]
        /// The current status of each request that has a view.
        public var requestStatus: [String: RequestOutcome.Status] = [:]

        public init() {}
    }

    /// What a chunk of events changes, each list in the order of the events that first made
    /// its entries (so a store inserts rows in the same order however the log was cut).
    public struct Changes<Record> {
        public var customers: [CustomerChange] = []
        public var items: [ItemChange<Record>] = []
        public var requests: [RequestChange<Record>] = []
        /// Count changes in log order (see `summed`).
        public var deltas: [CountDelta] = []
    }

    /// A customer's view after the chunk: its details when an event changed them (masked), and
    /// its last event.
    public struct CustomerChange {
        public var customerNo: String
        public var profile: Customer?
        public var lastEventSeq: Int64
        public var updatedOn: BusinessDate
    }

    /// A plan's, proposal's or withdrawal's entry after the chunk.
    public struct ItemChange<Record> {
        public var item: ViewItem
        public var status: String
        public var record: Record
    }

    /// A request's view after the chunk: its new current outcome (nil: unchanged) and the
    /// outcomes to append to its history, oldest first.
    public struct RequestChange<Record> {
        public var requestId: String
        public var current: (status: RequestOutcome.Status, record: Record)?
        public var appended: [Record]
    }

    /// Applies `events` (in log order) to the views as `prior` describes them.
    public static func project<Record>(_ events: [Input<Record>], prior: consuming Prior) -> Changes<Record> {
        var changes = Changes<Record>()
        var state = prior
        var customerAt: [String: Int] = [:], itemAt: [ViewItem: Int] = [:], requestAt: [String: Int] = [:]
        customerAt.reserveCapacity(events.count / 2)
        itemAt.reserveCapacity(events.count / 2)
        requestAt.reserveCapacity(events.count / 2)
        for input in events {
            switch input.payload {
            case .request(let outcome, let record):
                let id = outcome.requestId
                let old = state.requestStatus[id]
                let step = requestStep(current: old, outcome: outcome.status)
                changes.deltas += step.deltas
                if step.becomesCurrent { state.requestStatus[id] = outcome.status }
                let at = requestAt[id] ?? {
                    changes.requests.append(RequestChange(requestId: id, current: nil, appended: []))
                    requestAt[id] = changes.requests.count - 1
                    return changes.requests.count - 1
                }()
                if step.becomesCurrent { changes.requests[at].current = (outcome.status, record) }
                changes.requests[at].appended.append(record)
            case .customer(let customer):
                let no = customer.customerNo
                if state.profiled.insert(no).inserted {
                    changes.deltas.append(CountDelta(entity: "customer", status: "REGISTERED", delta: 1))
                }
                var masked = customer
                masked.phone = Masking.phone(customer.phone)
                masked.email = customer.email.map(Masking.email)
                touch(no, input, profile: masked, changes: &changes, at: &customerAt)
            case .item(let item, let status, let record):
                changes.deltas += move(item.kind.rawValue, from: state.itemStatus[item], to: status)
                state.itemStatus[item] = status
                if let at = itemAt[item] {
                    changes.items[at].status = status
                    changes.items[at].record = record
                } else {
                    itemAt[item] = changes.items.count
                    changes.items.append(ItemChange(item: item, status: status, record: record))
                }
                touch(item.customerNo, input, profile: nil, changes: &changes, at: &customerAt)
            }
        }
        return changes
    }

    /// Records the customer's last event (and new details) in its change.
    private static func touch<Record>(_ no: String, _ input: Input<Record>, profile: Customer?,
                                      changes: inout Changes<Record>, at: inout [String: Int]) {
        if let i = at[no] {
            changes.customers[i].lastEventSeq = input.seq
            changes.customers[i].updatedOn = input.occurredOn
            if let profile { changes.customers[i].profile = profile }
        } else {
            at[no] = changes.customers.count
            changes.customers.append(CustomerChange(customerNo: no, profile: profile,
                                                    lastEventSeq: input.seq, updatedOn: input.occurredOn))
        }
    }

    /// The count change of an entity moving from `old` (nil: new) to `new`.
    static func move(_ entity: String, from old: String?, to new: String) -> [CountDelta] {
        guard old != new else { return [] }
        var deltas: [CountDelta] = []
        if let old { deltas.append(CountDelta(entity: entity, status: old, delta: -1)) }
        deltas.append(CountDelta(entity: entity, status: new, delta: 1))
        return deltas
    }

    /// A request's next outcome: whether it becomes the current one, and the count change. A
    /// line refused for reusing an accepted id does not change the accepted request (it is only
    /// recorded in the history).
    static func requestStep(current: RequestOutcome.Status?, outcome: RequestOutcome.Status)
        -> (becomesCurrent: Bool, deltas: [CountDelta]) {
        guard let current else { return (true, move("request", from: nil, to: outcome.rawValue)) }
        if outcome == .rejected && current != .rejected { return (false, []) }
        return (true, move("request", from: current.rawValue, to: outcome.rawValue))
    }
}

/// A plan, proposal or withdrawal in its customer's view.
public struct ViewItem: Hashable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case plan, proposal, withdrawal
    }

    public var customerNo: String
    public var kind: Kind
    /// The plan's, proposal's or withdrawal's number.
    public var number: String

    public init(customerNo: String, kind: Kind, number: String) {
        self.customerNo = customerNo
        self.kind = kind
        self.number = number
    }

    /// The number alone: it tells the items of a chunk apart (plan, proposal and withdrawal
    /// numbers are unique), and equal items have equal numbers. Hashing the customer's number
    /// too doubled the cost of the views' lookups.
    public func hash(into hasher: inout Hasher) { hasher.combine(number) }
}
