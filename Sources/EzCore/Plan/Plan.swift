/// A plan (가입설계): one priced and underwritten quote for one customer.
///
/// The plan keeps the product version it was priced with for life; its full premium
/// breakdown is stored beside it for `explain`.
public struct Plan: Hashable, Sendable, Codable {
    public var planNo: String
    public var requestId: String
    public var customerNo: String
    public var productCode: String
    public var productName: String
    public var versionId: String
    public var quoteDate: BusinessDate
    public var insuranceAge: Int
    public var sumInsured: Int64
    public var termYears: Int
    public var payYears: Int
    public var paymentFrequency: PaymentFrequency
    public var riders: [RiderSelection]
    /// Premium per payment at `paymentFrequency`; nil when declined before pricing.
    public var premium: Int64?
    public var status: PlanStatus
    public var declineReasons: [PlanDeclineReason]
    public var expiresOn: BusinessDate
    public var documentNo: String?

    public init(planNo: String, requestId: String, customerNo: String, productCode: String,
                productName: String, versionId: String, quoteDate: BusinessDate, insuranceAge: Int,
                sumInsured: Int64, termYears: Int, payYears: Int, paymentFrequency: PaymentFrequency,
                riders: [RiderSelection], premium: Int64?, status: PlanStatus,
                declineReasons: [PlanDeclineReason], expiresOn: BusinessDate, documentNo: String? = nil) {
        self.planNo = planNo
        self.requestId = requestId
        self.customerNo = customerNo
        self.productCode = productCode
        self.productName = productName
        self.versionId = versionId
        self.quoteDate = quoteDate
        self.insuranceAge = insuranceAge
        self.sumInsured = sumInsured
        self.termYears = termYears
        self.payYears = payYears
        self.paymentFrequency = paymentFrequency
        self.riders = riders
        self.premium = premium
        self.status = status
        self.declineReasons = declineReasons
        self.expiresOn = expiresOn
        self.documentNo = documentNo
    }

    /// A plan may be proposed while quoted and not past its validity.
    public func isProposable(on date: BusinessDate) -> Bool {
        status == .quoted && date <= expiresOn
    }

    enum CodingKeys: String, CodingKey {
        case planNo = "plan_no", requestId = "request_id", customerNo = "customer_no"
        case productCode = "product_code", productName = "product_name", versionId = "version_id"
        case quoteDate = "quote_date", insuranceAge = "insurance_age", sumInsured = "sum_insured"
        case termYears = "term_years", payYears = "pay_years", paymentFrequency = "payment_frequency"
        case riders, premium, status, declineReasons = "decline_reasons", expiresOn = "expires_on"
        case documentNo = "document_no"
    }
}

/// One reason a plan was declined, as kept on the plan and shown to the customer.
public struct PlanDeclineReason: Hashable, Sendable, Codable {
    public var code: String
    public var field: String
    public var message: String
    public init(code: String, field: String, message: String) {
        self.code = code
        self.field = field
        self.message = message
    }
}
