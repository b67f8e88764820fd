import EzCore

/// An event's payload read as far as the status views need it: a request's outcome and a
/// customer's details in full; of a plan, proposal or withdrawal only its customer, number and
/// status (the views keep that record's JSON as the payload holds it, unread).
///
/// Read as `EventPayload` reads (the first case key present wins), through `JSONReadable`
/// with the fast decoder and through `Decodable` with Foundation's (`EZINSURANCE_JSON`);
/// `DomainJSONTests` holds the two to the same results.
struct ViewedPayload: Equatable {
    enum Head: Equatable {
        case request(RequestOutcome)
        case customer(Customer)
        case item(ViewItem, status: String)
    }

    var head: Head
    /// Whether the payload object was read to hold this one key and nothing else (known to the
    /// fast reader only; false when Foundation's decoder read it).
    var onlyKey = false
    /// The payload's case key (`plan`, `request`...).
    var key: String {
        switch head {
        case .request: "request"
        case .customer: "customer"
        case .item(let item, _): item.kind.rawValue
        }
    }

    /// Equal when they read the same of the payload (which reader read it is not compared).
    static func == (a: ViewedPayload, b: ViewedPayload) -> Bool { a.head == b.head }

    /// The key of an item's number, by kind.
    static func numberKey(_ kind: ViewItem.Kind) -> StaticString {
        switch kind {
        case .plan: "plan_no"
        case .proposal: "proposal_no"
        case .withdrawal: "withdrawal_no"
        }
    }
}

extension ViewedPayload: JSONReadable {
    static func read(_ doc: JSONDoc, at index: Int) throws -> ViewedPayload {
        var payload = try readHead(doc, at: index)
        payload.onlyKey = doc.pointee.nodes[index].kind == .object && doc.pointee.nodes[index].b == 1
        return payload
    }

    private static func readHead(_ doc: JSONDoc, at index: Int) throws -> ViewedPayload {
        let f = try JSONFields(doc, at: index)
        if let v: RequestOutcome = try f.optional("request") { return ViewedPayload(head: .request(v)) }
        if let v: Customer = try f.optional("customer") { return ViewedPayload(head: .customer(v)) }
        if let v: ItemHead<PlanStatus> = try f.optional("plan") { return v.payload }
        if let v: ItemHead<ProposalStatus> = try f.optional("proposal") { return v.payload }
        let v: ItemHead<WithdrawalStatus> = try f("withdrawal")
        return v.payload
    }
}

extension ViewedPayload: Decodable {
    private enum Key: String, CodingKey { case request, customer, plan, proposal, withdrawal }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        if let v = try c.decodeIfPresent(RequestOutcome.self, forKey: .request) { head = .request(v) }
        else if let v = try c.decodeIfPresent(Customer.self, forKey: .customer) { head = .customer(v) }
        else if let v = try c.decodeIfPresent(ItemHead<PlanStatus>.self, forKey: .plan) { self = v.payload }
        else if let v = try c.decodeIfPresent(ItemHead<ProposalStatus>.self, forKey: .proposal) { self = v.payload }
        else { self = try c.decode(ItemHead<WithdrawalStatus>.self, forKey: .withdrawal).payload }
    }
}

/// Which item statuses belong to which kind.
protocol ViewItemStatus: JSONReadableRawString, Decodable {
    static var kind: ViewItem.Kind { get }
}
extension PlanStatus: ViewItemStatus { static var kind: ViewItem.Kind { .plan } }
extension ProposalStatus: ViewItemStatus { static var kind: ViewItem.Kind { .proposal } }
extension WithdrawalStatus: ViewItemStatus { static var kind: ViewItem.Kind { .withdrawal } }

/// A plan's, proposal's or withdrawal's customer, number and status; its other fields are
/// not read (a status is checked to be one of its kind's).
private struct ItemHead<Status: ViewItemStatus>: JSONReadable, Decodable {
    var customerNo: String
    var number: String
    var status: Status

    var payload: ViewedPayload {
        ViewedPayload(head: .item(ViewItem(customerNo: customerNo, kind: Status.kind, number: number), status: status.rawValue))
    }

    static func read(_ doc: JSONDoc, at index: Int) throws -> ItemHead {
        let f = try JSONFields(doc, at: index)
        return ItemHead(customerNo: try f("customer_no"), number: try f(ViewedPayload.numberKey(Status.kind)), status: try f("status"))
    }

    private struct Key: CodingKey {
        var stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    init(customerNo: String, number: String, status: Status) {
        self.customerNo = customerNo
        self.number = number
        self.status = status
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        customerNo = try c.decode(String.self, forKey: Key(stringValue: "customer_no"))
        number = try c.decode(String.self, forKey: Key(stringValue: ViewedPayload.numberKey(Status.kind).description))
        status = try c.decode(Status.self, forKey: Key(stringValue: "status"))
    }
}
