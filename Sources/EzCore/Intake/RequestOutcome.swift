/// Where one request stands: what intake said of it and what processing made of it.
public struct RequestOutcome: Hashable, Sendable, Codable {
    public enum Status: String, Sendable, Codable {
        /// Accepted at intake, waiting for processing.
        case accepted = "ACCEPTED"
        /// Refused at intake (invalid line or request_id conflict).
        case rejected = "REJECTED"
        /// Processed; the records it made are named.
        case processed = "PROCESSED"
        /// Valid, but its business preconditions failed (unknown customer, plan not proposable).
        case failed = "FAILED"
    }

    public var requestId: String
    public var type: String?
    public var status: Status
    public var file: String?
    public var line: Int?
    public var errors: [FieldError]
    public var customerNo: String?
    public var planNo: String?
    public var proposalNo: String?
    public var withdrawalNo: String?

    public init(requestId: String, type: String?, status: Status, file: String?, line: Int?,
                errors: [FieldError] = [], customerNo: String? = nil, planNo: String? = nil,
                proposalNo: String? = nil, withdrawalNo: String? = nil) {
        self.requestId = requestId
        self.type = type
        self.status = status
        self.file = file
        self.line = line
        self.errors = errors
        self.customerNo = customerNo
        self.planNo = planNo
        self.proposalNo = proposalNo
        self.withdrawalNo = withdrawalNo
    }

    enum CodingKeys: String, CodingKey {
        case requestId = "request_id", type, status, file, line, errors, customerNo = "customer_no"
        case planNo = "plan_no", proposalNo = "proposal_no", withdrawalNo = "withdrawal_no"
    }
}
