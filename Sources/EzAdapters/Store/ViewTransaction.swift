import EzCore
import Foundation
import GRDB

/// The views database's operations inside one transaction.
public struct ViewTransaction {
    public let db: Database
    /// The statements this transaction has used.
    let statements = StatementMemo()

    /// The views consumer's checkpoint, kept with the views.
    static let checkpoint = CheckpointTable("checkpoint")

    /// The last event of the state store's log applied to these views (0: none).
    public func offset() throws -> Int64 {
        try Self.checkpoint.offset(of: ViewStore.consumer, in: db)
    }

    /// Stops a chunk prepared from `seq` if the checkpoint has moved since: another process
    /// applied events without holding the views stage's lock.
    public func expectOffset(at seq: Int64) throws {
        try Self.checkpoint.expect(ViewStore.consumer, at: seq, in: db)
    }

    public func setOffset(to seq: Int64) throws {
        try Self.checkpoint.set(ViewStore.consumer, to: seq, in: db)
    }

    /// What the views hold for the customers, plans, proposals, withdrawals and requests that
    /// `inputs` touch: one lookup per request, and per customer one for its details and one for
    /// its entries.
    public func prior<Record>(for inputs: [StatusProjector.Input<Record>]) throws -> StatusProjector.Prior {
        var prior = StatusProjector.Prior()
        var profilesRead = Set<String>(), itemsRead = Set<String>(), requestsRead = Set<String>()
        for input in inputs {
            switch input.payload {
            case .request(let outcome, _):
                if requestsRead.insert(outcome.requestId).inserted, let status = try requestStatus(outcome.requestId) {
                    prior.requestStatus[outcome.requestId] = status
                }
            case .customer(let customer):
                if profilesRead.insert(customer.customerNo).inserted, try isProfiled(customer.customerNo) {
                    prior.profiled.insert(customer.customerNo)
                }
            case .item(let item, _, _):
                if itemsRead.insert(item.customerNo).inserted {
                    for (item, status) in try itemStatuses(of: item.customerNo) { prior.itemStatus[item] = status }
                }
            }
        }
        return prior
    }

    /// Saves what a chunk changed (`StatusProjector.project`), its count changes summed.
    public func save(_ changes: StatusProjector.Changes<UTF8Text>) throws {
        for change in changes.customers { try save(change) }
        for change in changes.items { try save(change) }
        for change in changes.requests { try save(change) }
        try apply(StatusProjector.summed(changes.deltas))
    }

    /// Whether the customer's view has the customer's details (a customer event was applied).
    public func isProfiled(_ customerNo: String) throws -> Bool {
        try firstRow("SELECT profile IS NOT NULL FROM customers WHERE customer_no = ?", [customerNo]) { $0[0] as Bool } ?? false
    }

    /// The status of each plan, proposal and withdrawal in the customer's view.
    public func itemStatuses(of customerNo: String) throws -> [(item: ViewItem, status: String)] {
        try rows("SELECT kind, item_no, status FROM customer_items WHERE customer_no = ?", [customerNo]) { row in
            guard let kind = ViewItem.Kind(rawValue: row[0] as String) else {
                throw StoreError.corrupt("views: customer \(customerNo) has an entry of kind \(row[0] as String)")
            }
            return (ViewItem(customerNo: customerNo, kind: kind, number: row[1]), row[2])
        }
    }

    /// The status of a request's current outcome.
    public func requestStatus(_ requestId: String) throws -> RequestOutcome.Status? {
        guard let text = try firstRow("SELECT status FROM requests WHERE request_id = ?", [requestId], { $0[0] as String }) else {
            return nil
        }
        guard let status = RequestOutcome.Status(rawValue: text) else {
            throw StoreError.corrupt("views: request \(requestId) has status \(text)")
        }
        return status
    }

    /// Saves a customer's details (when they changed) and last event.
    public func save(_ change: StatusProjector.CustomerChange) throws {
        try run("""
            INSERT INTO customers(customer_no, profile, last_event_seq, updated_on) VALUES (?, ?, ?, ?)
            ON CONFLICT(customer_no) DO UPDATE SET profile = coalesce(excluded.profile, profile),
                last_event_seq = excluded.last_event_seq, updated_on = excluded.updated_on
            """, [change.customerNo, try change.profile.map { UTF8Text(try JSONCodec.encodeBytes($0)) },
                  change.lastEventSeq, change.updatedOn.description])
    }

    /// Saves a plan's, proposal's or withdrawal's entry.
    public func save(_ change: StatusProjector.ItemChange<UTF8Text>) throws {
        try run("""
            INSERT INTO customer_items(customer_no, kind, item_no, status, doc) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(customer_no, kind, item_no) DO UPDATE SET status = excluded.status, doc = excluded.doc
            """, [change.item.customerNo, change.item.kind.rawValue, change.item.number, change.status, change.record])
    }

    /// Saves a request's new outcomes: appended to its history, the current one replaced when
    /// it changed.
    public func save(_ change: StatusProjector.RequestChange<UTF8Text>) throws {
        var history: [UInt8] = []
        for record in change.appended {
            if !history.isEmpty { history.append(UInt8(ascii: ",")) }
            history += record.bytes
        }
        if let current = change.current {
            try run("""
                INSERT INTO requests(request_id, status, current, history) VALUES (?, ?, ?, ?)
                ON CONFLICT(request_id) DO UPDATE SET status = excluded.status, current = excluded.current,
                    history = history || ',' || excluded.history
                """, [change.requestId, current.status.rawValue, current.record, UTF8Text(history)])
        } else {
            try run("UPDATE requests SET history = history || ',' || ? WHERE request_id = ?", [UTF8Text(history), change.requestId])
            guard db.changesCount == 1 else {
                throw StoreError.corrupt("views: outcomes of request \(change.requestId) to add to a view that is not there")
            }
        }
    }

    public func customerView(_ no: String) throws -> CustomerView? {
        try firstRow("SELECT \(Self.headColumns) FROM customers WHERE customer_no = ?", [no], Self.head)
            .map { try customerView($0) }
    }

    /// A customer's row as `customerView` reads it: number, details, last event.
    private typealias Head = (customerNo: String, profile: String?, lastEventSeq: Int64, updatedOn: String?)
    private static let headColumns = "customer_no, profile, last_event_seq, updated_on"
    private static func head(_ row: ColumnRow) -> Head {
        (row[0] as String, row.optional(1) as String?, row[2] as Int64, row.optional(3) as String?)
    }

    /// The view of the customer whose row is `head`: its entries read and the parts put together.
    private func customerView(_ head: Head) throws -> CustomerView {
        let no = head.customerNo
        var plans: [Plan] = [], proposals: [Proposal] = [], withdrawals: [Withdrawal] = []
        _ = try rows("SELECT kind, doc FROM customer_items WHERE customer_no = ? ORDER BY kind, item_no", [no]) { row in
            switch row[0] as String {
            case ViewItem.Kind.plan.rawValue: plans.append(try row.json(Plan.self, 1))
            case ViewItem.Kind.proposal.rawValue: proposals.append(try row.json(Proposal.self, 1))
            case ViewItem.Kind.withdrawal.rawValue: withdrawals.append(try row.json(Withdrawal.self, 1))
            case let kind: throw StoreError.corrupt("views: customer \(no) has an entry of kind \(kind)")
            }
        }
        var updatedOn: BusinessDate?
        if let text = head.updatedOn {
            guard let date = BusinessDate(text) else { throw StoreError.corrupt("views: customer \(no) updated on \(text)") }
            updatedOn = date
        }
        return CustomerView(customerNo: no, profile: try head.profile.map { try JSONCodec.decode(Customer.self, from: $0) },
                            plans: plans, proposals: proposals, withdrawals: withdrawals,
                            lastEventSeq: head.lastEventSeq, updatedOn: updatedOn)
    }

    public func requestView(_ id: String) throws -> RequestView? {
        try firstRow("SELECT current, history FROM requests WHERE request_id = ?", [id]) { row in
            var view = RequestView(current: try row.json(RequestOutcome.self, 0))
            view.history = try JSONCodec.decode([RequestOutcome].self, from: "[" + (row[1] as String) + "]")
            return view
        }
    }

    /// Customer views in number order, after `customerNo` (nil: from the first), at most `limit`.
    public func customerViews(after customerNo: String?, limit: Int) throws -> [CustomerView] {
        try rows("SELECT \(Self.headColumns) FROM customers WHERE customer_no > ? ORDER BY customer_no LIMIT ?",
                 [customerNo ?? "", limit], Self.head).map { try customerView($0) }
    }

    public func apply(_ deltas: [StatusProjector.CountDelta]) throws {
        for d in deltas {
            try run("""
                INSERT INTO counts(entity, status, count) VALUES (?, ?, ?)
                ON CONFLICT(entity, status) DO UPDATE SET count = count + excluded.count
                """, [d.entity, d.status, d.delta])
        }
    }

    public func counts() throws -> [String: [String: Int]] {
        var out: [String: [String: Int]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT entity, status, count FROM counts WHERE count <> 0") {
            out[row["entity"], default: [:]][row["status"]] = row["count"]
        }
        return out
    }

    /// Drops every view and the checkpoint, so the consumer rebuilds them from the first event.
    public func reset() throws {
        try db.execute(sql: "DELETE FROM customers; DELETE FROM customer_items; DELETE FROM requests; DELETE FROM counts; DELETE FROM checkpoint;")
    }
}
