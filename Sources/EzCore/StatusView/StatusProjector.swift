/// Applies events to the status read models. Pure: the caller loads and saves the views.
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
        var out: [CountDelta] = []
        var index: [String: Int] = [:]
        for d in deltas {
            let key = d.entity + "\u{0}" + d.status
            if let at = index[key] {
                out[at].delta += d.delta
            } else {
                index[key] = out.count
                out.append(d)
            }
        }
        return out
    }

    /// Updates the customer's view with `stored`; returns the summary count changes.
    @discardableResult
    public static func apply(_ stored: StoredEvent, to view: inout CustomerView) -> [CountDelta] {
        var deltas: [CountDelta] = []
        func move(_ entity: String, from old: String?, to new: String) {
            guard old != new else { return }
            if let old { deltas.append(CountDelta(entity: entity, status: old, delta: -1)) }
            deltas.append(CountDelta(entity: entity, status: new, delta: 1))
        }
        switch stored.event.payload {
        case .request:
            break
        case .customer(let c):
            if view.name == nil { move("customer", from: nil, to: "REGISTERED") }
            view.name = c.name
            view.birthDate = c.birthDate
            view.gender = c.gender
            view.phone = Masking.phone(c.phone)
            view.email = c.email.map(Masking.email)
            view.occupationClass = c.occupationClass
        case .plan(let p):
            let old = upsert(p, into: &view.plans, key: \.planNo)
            move("plan", from: old?.status.rawValue, to: p.status.rawValue)
        case .proposal(let p):
            let old = upsert(p, into: &view.proposals, key: \.proposalNo)
            move("proposal", from: old?.status.rawValue, to: p.status.rawValue)
        case .withdrawal(let w):
            let old = upsert(w, into: &view.withdrawals, key: \.withdrawalNo)
            move("withdrawal", from: old?.status.rawValue, to: w.status.rawValue)
        }
        view.lastEventSeq = stored.seq
        view.updatedOn = stored.event.occurredOn
        return deltas
    }

    /// Updates (or starts) a request's view; returns the summary count changes.
    @discardableResult
    public static func apply(_ outcome: RequestOutcome, to view: inout RequestView?) -> [CountDelta] {
        guard var current = view else {
            view = RequestView(current: outcome)
            return [CountDelta(entity: "request", status: outcome.status.rawValue, delta: 1)]
        }
        current.history.append(outcome)
        // A line refused for reusing an accepted id does not change the accepted request.
        let conflictOnAccepted = outcome.status == .rejected && current.current.status != .rejected
        var deltas: [CountDelta] = []
        if !conflictOnAccepted, outcome.status != current.current.status {
            deltas = [CountDelta(entity: "request", status: current.current.status.rawValue, delta: -1),
                      CountDelta(entity: "request", status: outcome.status.rawValue, delta: 1)]
        }
        if !conflictOnAccepted { current.current = outcome }
        view = current
        return deltas
    }

    /// Replaces the element with the same key or inserts it in key order; returns the old one.
    static func upsert<T>(_ item: T, into list: inout [T], key: KeyPath<T, String>) -> T? {
        if let i = list.firstIndex(where: { $0[keyPath: key] == item[keyPath: key] }) {
            let old = list[i]
            list[i] = item
            return old
        }
        let at = list.firstIndex(where: { $0[keyPath: key] > item[keyPath: key] }) ?? list.endIndex
        list.insert(item, at: at)
        return nil
    }
}
