import EzCore

// The records read on every event, as `JSONReadable`: each reads what its `Decodable`
// conformance reads (`DomainJSONTests` holds them to Foundation's results), fields in
// declaration order, an optional through `optional` (missing or null is nil).

extension Gender: JSONReadableRawString {}
extension PaymentFrequency: JSONReadableRawString {}
extension PlanStatus: JSONReadableRawString {}
extension ProposalStatus: JSONReadableRawString {}
extension WithdrawalStatus: JSONReadableRawString {}
extension RequestOutcome.Status: JSONReadableRawString {}

typealias JSONDoc = UnsafePointer<FastJSONDecoder.Document>

extension Customer: JSONReadable {
    static func read(_ doc: JSONDoc, at index: Int) throws -> Customer {
        let f = try JSONFields(doc, at: index)
        return Customer(customerNo: try f("customer_no"), name: try f("name"), birthDate: try f("birth_date"),
                        gender: try f("gender"), phone: try f("phone"), email: try f.optional("email"),
                        occupationClass: try f.optional("occupation_class"))
    }
}

extension AlarmRecipient: JSONReadable {
    // Its synthesized coding keys: the property names.
    static func read(_ doc: JSONDoc, at index: Int) throws -> AlarmRecipient {
        let f = try JSONFields(doc, at: index)
        return AlarmRecipient(customerNo: try f("customerNo"), name: try f("name"), phone: try f("phone"))
    }
}

extension RiderSelection: JSONReadable {
    static func read(_ doc: JSONDoc, at index: Int) throws -> RiderSelection {
        let f = try JSONFields(doc, at: index)
        return RiderSelection(code: try f("code"), sumInsured: try f("sum_insured"))
    }
}

extension PlanDeclineReason: JSONReadable {
    static func read(_ doc: JSONDoc, at index: Int) throws -> PlanDeclineReason {
        let f = try JSONFields(doc, at: index)
        return PlanDeclineReason(code: try f("code"), field: try f("field"), message: try f("message"))
    }
}

extension Plan: JSONReadable {
    static func read(_ doc: JSONDoc, at index: Int) throws -> Plan {
        let f = try JSONFields(doc, at: index)
        return Plan(planNo: try f("plan_no"), requestId: try f("request_id"), customerNo: try f("customer_no"),
                    productCode: try f("product_code"), productName: try f("product_name"),
                    versionId: try f("version_id"), quoteDate: try f("quote_date"),
                    insuranceAge: try f("insurance_age"), sumInsured: try f("sum_insured"),
                    termYears: try f("term_years"), payYears: try f("pay_years"),
                    paymentFrequency: try f("payment_frequency"), riders: try f("riders"),
                    premium: try f.optional("premium"), status: try f("status"),
                    declineReasons: try f("decline_reasons"), expiresOn: try f("expires_on"),
                    documentNo: try f.optional("document_no"))
    }
}

extension Proposal: JSONReadable {
    static func read(_ doc: JSONDoc, at index: Int) throws -> Proposal {
        let f = try JSONFields(doc, at: index)
        var p = Proposal(proposalNo: try f("proposal_no"), requestId: try f("request_id"), planNo: try f("plan_no"),
                         customerNo: try f("customer_no"), productCode: try f("product_code"),
                         productName: try f("product_name"), versionId: try f("version_id"),
                         sumInsured: try f("sum_insured"), premium: try f("premium"),
                         submittedOn: try f("submitted_on"), paymentMethod: try f("payment_method"),
                         status: try f("status"))
        p.attempts = try f("attempts")
        p.nextAttemptOn = try f.optional("next_attempt_on")
        p.lastDecline = try f.optional("last_decline")
        p.policyNo = try f.optional("policy_no")
        p.establishedOn = try f.optional("established_on")
        return p
    }
}

extension Withdrawal: JSONReadable {
    static func read(_ doc: JSONDoc, at index: Int) throws -> Withdrawal {
        let f = try JSONFields(doc, at: index)
        let withdrawalNo: String = try f("withdrawal_no"), requestId: String = try f("request_id")
        let proposalNo: String = try f("proposal_no"), customerNo: String = try f("customer_no")
        let policyNo: String? = try f.optional("policy_no")
        var w = Withdrawal(withdrawalNo: withdrawalNo, requestId: requestId, proposalNo: proposalNo,
                           customerNo: customerNo, requestedOn: try f("requested_on"), reason: try f.optional("reason"))
        w.policyNo = policyNo
        w.status = try f("status")
        w.refundAmount = try f("refund_amount")
        w.refundDueOn = try f.optional("refund_due_on")
        w.decidedOn = try f.optional("decided_on")
        w.rejectionReasons = try f("rejection_reasons")
        return w
    }
}

extension FieldError: JSONReadable {
    static func read(_ doc: JSONDoc, at index: Int) throws -> FieldError {
        let f = try JSONFields(doc, at: index)
        return FieldError(field: try f("field"), reason: try f("reason"))
    }
}

extension RequestOutcome: JSONReadable {
    static func read(_ doc: JSONDoc, at index: Int) throws -> RequestOutcome {
        let f = try JSONFields(doc, at: index)
        return RequestOutcome(requestId: try f("request_id"), type: try f.optional("type"), status: try f("status"),
                              file: try f.optional("file"), line: try f.optional("line"), errors: try f("errors"),
                              customerNo: try f.optional("customer_no"), planNo: try f.optional("plan_no"),
                              proposalNo: try f.optional("proposal_no"), withdrawalNo: try f.optional("withdrawal_no"))
    }
}

extension EventPayload: JSONReadable {
    static func read(_ doc: JSONDoc, at index: Int) throws -> EventPayload {
        let f = try JSONFields(doc, at: index)
        if let v: RequestOutcome = try f.optional("request") { return .request(v) }
        if let v: Customer = try f.optional("customer") { return .customer(v) }
        if let v: Plan = try f.optional("plan") { return .plan(v) }
        if let v: Proposal = try f.optional("proposal") { return .proposal(v) }
        return .withdrawal(try f("withdrawal"))
    }
}
