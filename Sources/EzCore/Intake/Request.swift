/// How a premium is paid over the payment period.
public enum PaymentFrequency: String, Sendable, Codable, CaseIterable {
    case monthly
    case annual
}

/// A rider (특약) chosen on a quote.
public struct RiderSelection: Hashable, Sendable, Codable {
    public var code: String
    public var sumInsured: Int64
    public init(code: String, sumInsured: Int64) {
        self.code = code
        self.sumInsured = sumInsured
    }
    enum CodingKeys: String, CodingKey { case code, sumInsured = "sum_insured" }
}

/// What a customer asks us to price (가입설계).
public struct QuoteInput: Hashable, Sendable, Codable {
    public var customerNo: String
    public var productCode: String
    public var sumInsured: Int64
    public var termYears: Int
    public var payYears: Int
    public var paymentFrequency: PaymentFrequency
    public var riders: [RiderSelection]
    public var issueDocument: Bool

    public init(customerNo: String, productCode: String, sumInsured: Int64, termYears: Int,
                payYears: Int, paymentFrequency: PaymentFrequency = .monthly,
                riders: [RiderSelection] = [], issueDocument: Bool = false) {
        self.customerNo = customerNo
        self.productCode = productCode
        self.sumInsured = sumInsured
        self.termYears = termYears
        self.payYears = payYears
        self.paymentFrequency = paymentFrequency
        self.riders = riders
        self.issueDocument = issueDocument
    }

    enum CodingKeys: String, CodingKey {
        case customerNo = "customer_no", productCode = "product_code", sumInsured = "sum_insured"
        case termYears = "term_years", payYears = "pay_years", paymentFrequency = "payment_frequency"
        case riders, issueDocument = "issue_document"
    }
}

/// Points at one of our records either by our number or by the request that created it.
public enum RecordReference: Hashable, Sendable, Codable {
    case number(String)
    case requestId(String)
}

/// How the first premium is paid.
public enum PaymentInstrument: Hashable, Sendable, Codable {
    case card(token: String)
    case account(bankCode: String, accountNo: String)
}

public struct PaymentInfo: Hashable, Sendable, Codable {
    public var instrument: PaymentInstrument
    public var holderName: String
    public init(instrument: PaymentInstrument, holderName: String) {
        self.instrument = instrument
        self.holderName = holderName
    }
}

/// The request types of the file drop (SPEC section 5).
public enum RequestType: String, Sendable, Codable, CaseIterable {
    case customerRegister = "customer.register"
    case planQuote = "plan.quote"
    case documentRequest = "document.request"
    case proposalSubmit = "proposal.submit"
    case enrollmentApply = "enrollment.apply"
    case proposalWithdraw = "proposal.withdraw"
}

/// The body of a valid request, one case per request type.
public enum RequestBody: Hashable, Sendable, Codable {
    case customerRegister(Customer)
    case planQuote(QuoteInput)
    case documentRequest(plan: RecordReference)
    case proposalSubmit(plan: RecordReference, payment: PaymentInfo)
    case enrollmentApply(customer: Customer, quote: QuoteInput, payment: PaymentInfo)
    case proposalWithdraw(proposal: RecordReference, requestedOn: BusinessDate, reason: String?)

    public var type: RequestType {
        switch self {
        case .customerRegister: .customerRegister
        case .planQuote: .planQuote
        case .documentRequest: .documentRequest
        case .proposalSubmit: .proposalSubmit
        case .enrollmentApply: .enrollmentApply
        case .proposalWithdraw: .proposalWithdraw
        }
    }
}

/// A validated request from upstream.
public struct Request: Hashable, Sendable, Codable {
    /// Unique per request, chosen by upstream.
    public var requestId: String
    public var body: RequestBody
    public var type: RequestType { body.type }

    public init(requestId: String, body: RequestBody) {
        self.requestId = requestId
        self.body = body
    }
}

/// Why one line of a dropped file was refused: where, which field, and what to do.
public struct FieldError: Hashable, Sendable, Codable, Error, CustomStringConvertible {
    /// Dotted path of the field (`customer.birth_date`, `riders[1].code`), or `line` for the line as a whole.
    public var field: String
    public var reason: String
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }
    public var description: String { "\(field): \(reason)" }
}
