/// What a customer sees on 마이페이지 and an operator on the console: the customer, their
/// plans, proposals/contracts and withdrawals, with phone, email and payment numbers masked.
public struct CustomerView: Hashable, Sendable, Codable {
    public var customerNo: String
    public var name: String?
    public var birthDate: BusinessDate?
    public var gender: Gender?
    public var phone: String?
    public var email: String?
    public var occupationClass: Int?
    public var plans: [Plan] = []
    public var proposals: [Proposal] = []
    public var withdrawals: [Withdrawal] = []
    /// Sequence number of the last event applied.
    public var lastEventSeq: Int64 = 0
    public var updatedOn: BusinessDate?

    public init(customerNo: String) { self.customerNo = customerNo }

    /// The view from its stored parts (`StatusProjector`): the customer's details as last
    /// applied (masked; nil before any customer event) and the entries in number order.
    public init(customerNo: String, profile: Customer?, plans: [Plan], proposals: [Proposal],
                withdrawals: [Withdrawal], lastEventSeq: Int64, updatedOn: BusinessDate?) {
        self.customerNo = customerNo
        if let profile {
            name = profile.name
            birthDate = profile.birthDate
            gender = profile.gender
            phone = profile.phone
            email = profile.email
            occupationClass = profile.occupationClass
        }
        self.plans = plans
        self.proposals = proposals
        self.withdrawals = withdrawals
        self.lastEventSeq = lastEventSeq
        self.updatedOn = updatedOn
    }

    enum CodingKeys: String, CodingKey {
        case customerNo = "customer_no", name, birthDate = "birth_date", gender, phone, email
        case occupationClass = "occupation_class", plans, proposals, withdrawals
        case lastEventSeq = "last_event_seq", updatedOn = "updated_on"
    }
}

/// The status of one request and every line that carried its id.
public struct RequestView: Hashable, Sendable, Codable {
    public var current: RequestOutcome
    /// Every outcome recorded under this request id, oldest first (conflicting lines included).
    public var history: [RequestOutcome]

    public init(current: RequestOutcome) {
        self.current = current
        self.history = [current]
    }
}
