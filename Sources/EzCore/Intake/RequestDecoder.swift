/// Turns one parsed request line (JSON Lines object, or a CSV row rebuilt as an object) into a
/// validated `Request`, or a rejection listing every field error of the line.
///
/// The rules are the file-drop contract (SPEC section 5; field reference in
/// `data/samples/README-requests.md`). Shape only: whether a product exists, the customer's
/// age or a sum insured within limits are decided later by the catalog and underwriting.
public enum RequestDecoder {
    /// Longest `request_id` (and `*_request_id`, `plan_no`, `proposal_no`) accepted.
    public static let maxIdLength = 64

    public static func decode(_ value: JSONValue) -> Result<Request, RequestRejection> {
        guard case .object(let top) = value else {
            let found = RequestFieldReader.describe(value)
            return .failure(RequestRejection(requestId: nil, type: nil, errors: [
                FieldError(field: "line", reason: "expected a JSON object (one request per line), found \(found)"),
            ]))
        }

        let rawType = RequestFieldReader.present(top, "type").flatMap(\.stringValue).map(RequestFieldReader.trim)
        var reader = RequestFieldReader(typeName: rawType ?? "?")
        let requestId = reader.identifier(top, "request_id", path: "", required: true)
        let type = reader.requestType(top)

        guard let type else {
            return .failure(RequestRejection(requestId: requestId, type: rawType, errors: reader.errors))
        }
        reader.typeName = type.rawValue
        let body: RequestBody?
        switch type {
        case .customerRegister: body = reader.customerRegister(top)
        case .planQuote: body = reader.planQuote(top)
        case .documentRequest: body = reader.documentRequest(top)
        case .proposalSubmit: body = reader.proposalSubmit(top)
        case .enrollmentApply: body = reader.enrollmentApply(top)
        case .proposalWithdraw: body = reader.proposalWithdraw(top)
        }
        if let requestId, let body, reader.errors.isEmpty {
            return .success(Request(requestId: requestId, body: body))
        }
        return .failure(RequestRejection(requestId: requestId, type: type.rawValue, errors: reader.errors))
    }

    /// The top-level fields each type accepts, in the order they are checked and documented.
    public static func allowedFields(for type: RequestType) -> [String] {
        let common = ["request_id", "type"]
        switch type {
        case .customerRegister: return common + ["customer"]
        case .planQuote: return common + ["customer_no"] + quoteFields
        case .documentRequest: return common + ["plan_no", "plan_request_id"]
        case .proposalSubmit: return common + ["plan_no", "plan_request_id", "payment"]
        case .enrollmentApply: return common + ["customer", "customer_no"] + quoteFields + ["payment"]
        case .proposalWithdraw: return common + ["proposal_no", "proposal_request_id", "requested_on", "reason"]
        }
    }

    /// The quote fields, at the top level of `plan.quote` and `enrollment.apply`.
    public static let quoteFields = ["product_code", "sum_insured", "term_years", "pay_years",
                                     "payment_frequency", "riders", "issue_document"]
    /// The fields of the `customer` object.
    public static let customerFields = ["customer_no", "name", "birth_date", "gender", "phone", "email",
                                 "occupation_class"]
    /// The fields of the `payment` object.
    public static let paymentFields = ["method", "card_token", "bank_code", "account_no", "holder_name"]
    /// The fields of each `riders[i]` object.
    public static let riderFields = ["code", "sum_insured"]
}

extension RequestDecoder {
    /// The name in `names` nearest to a misspelt `name` (edit distance at most 2), for hints.
    public static func closestName(to name: String, in names: [String]) -> String? {
        RequestFieldReader.closest(to: name, in: names)
    }
}

// MARK: - One function per request type

extension RequestFieldReader {
    mutating func requestType(_ top: [String: JSONValue]) -> RequestType? {
        // Written only for an error (made for every line, it was most of this function's cost).
        var allowed: String { RequestType.allCases.map(\.rawValue).joined(separator: ", ") }
        guard let value = Self.present(top, "type") else {
            fail("type", "missing (one of: \(allowed))")
            return nil
        }
        guard case .string(let raw) = value else {
            fail("type", "expected a string, got \(Self.describe(value)) (one of: \(allowed))")
            return nil
        }
        guard let type = RequestType(rawValue: Self.trim(raw)) else {
            fail("type", "unknown type \(Self.quote(raw)) (allowed: \(allowed))")
            return nil
        }
        return type
    }

    mutating func customerRegister(_ top: [String: JSONValue]) -> RequestBody? {
        rejectUnknown(top, allowed: RequestDecoder.allowedFields(for: .customerRegister), path: "")
        guard let object = object(top, "customer", path: "", required: true),
              let customer = customer(object, path: "customer") else { return nil }
        return .customerRegister(customer)
    }

    mutating func planQuote(_ top: [String: JSONValue]) -> RequestBody? {
        rejectUnknown(top, allowed: RequestDecoder.allowedFields(for: .planQuote), path: "")
        let customerNo = customerNumber(top, "customer_no", path: "", required: true)
        guard let quote = quote(top, customerNo: customerNo, impliedDocument: false) else { return nil }
        return .planQuote(quote)
    }

    mutating func documentRequest(_ top: [String: JSONValue]) -> RequestBody? {
        rejectUnknown(top, allowed: RequestDecoder.allowedFields(for: .documentRequest), path: "")
        guard let plan = reference(top, numberKey: "plan_no", requestKey: "plan_request_id") else { return nil }
        return .documentRequest(plan: plan)
    }

    mutating func proposalSubmit(_ top: [String: JSONValue]) -> RequestBody? {
        rejectUnknown(top, allowed: RequestDecoder.allowedFields(for: .proposalSubmit), path: "")
        let plan = reference(top, numberKey: "plan_no", requestKey: "plan_request_id")
        let payment = payment(top)
        guard let plan, let payment else { return nil }
        return .proposalSubmit(plan: plan, payment: payment)
    }

    mutating func enrollmentApply(_ top: [String: JSONValue]) -> RequestBody? {
        rejectUnknown(top, allowed: RequestDecoder.allowedFields(for: .enrollmentApply), path: "")
        var customer: Customer?
        if let customerObject = object(top, "customer", path: "", required: true) {
            customer = self.customer(customerObject, path: "customer")
        }
        // The quote is for the customer being registered; a top-level customer_no may only repeat it.
        let topCustomerNo = customerNumber(top, "customer_no", path: "", required: false)
        if let topCustomerNo, let customer, topCustomerNo != customer.customerNo {
            fail("customer_no", "\(Self.quote(topCustomerNo)) does not match customer.customer_no "
                + "\(Self.quote(customer.customerNo)) (leave it out or make them equal)")
        }
        let quote = quote(top, customerNo: customer?.customerNo ?? "", impliedDocument: true)
        let payment = payment(top)
        guard let customer, let quote, let payment else { return nil }
        return .enrollmentApply(customer: customer, quote: quote, payment: payment)
    }

    mutating func proposalWithdraw(_ top: [String: JSONValue]) -> RequestBody? {
        rejectUnknown(top, allowed: RequestDecoder.allowedFields(for: .proposalWithdraw), path: "")
        let proposal = reference(top, numberKey: "proposal_no", requestKey: "proposal_request_id")
        let requestedOn = date(top, "requested_on", path: "", required: true)
        let reason = string(top, "reason", path: "", required: false, maxLength: 500)
        guard let proposal, let requestedOn else { return nil }
        return .proposalWithdraw(proposal: proposal, requestedOn: requestedOn, reason: reason)
    }
}
