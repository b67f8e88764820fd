import EzCore

// The records written on every request, as `JSONWritable`: each writes exactly what its
// `Encodable` conformance writes (`DomainJSONTests` holds them to Foundation's bytes). Fields
// in UTF-8 order of their keys; a nil optional is left out.

extension Gender: JSONWritableRawString {}
extension PaymentFrequency: JSONWritableRawString {}
extension PlanStatus: JSONWritableRawString {}
extension ProposalStatus: JSONWritableRawString {}
extension WithdrawalStatus: JSONWritableRawString {}
extension RequestOutcome.Status: JSONWritableRawString {}

extension Customer: JSONWritable {
    public func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.field("birth_date", birthDate)
            w.field("customer_no", customerNo)
            w.field("email", email)
            w.field("gender", gender)
            w.field("name", name)
            w.field("occupation_class", occupationClass)
            w.field("phone", phone)
        }
    }
}

extension RiderSelection: JSONWritable {
    public func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.field("code", code)
            w.field("sum_insured", sumInsured)
        }
    }
}

extension PlanDeclineReason: JSONWritable {
    public func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.field("code", code)
            w.field("field", field)
            w.field("message", message)
        }
    }
}

extension Plan: JSONWritable {
    public func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.field("customer_no", customerNo)
            w.field("decline_reasons", declineReasons)
            w.field("document_no", documentNo)
            w.field("expires_on", expiresOn)
            w.field("insurance_age", insuranceAge)
            w.field("pay_years", payYears)
            w.field("payment_frequency", paymentFrequency)
            w.field("plan_no", planNo)
            w.field("premium", premium)
            w.field("product_code", productCode)
            w.field("product_name", productName)
            w.field("quote_date", quoteDate)
            w.field("request_id", requestId)
            w.field("riders", riders)
            w.field("status", status)
            w.field("sum_insured", sumInsured)
            w.field("term_years", termYears)
            w.field("version_id", versionId)
        }
    }
}

extension Proposal: JSONWritable {
    public func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.field("attempts", attempts)
            w.field("customer_no", customerNo)
            w.field("established_on", establishedOn)
            w.field("last_decline", lastDecline)
            w.field("next_attempt_on", nextAttemptOn)
            w.field("payment_method", paymentMethod)
            w.field("plan_no", planNo)
            w.field("policy_no", policyNo)
            w.field("premium", premium)
            w.field("product_code", productCode)
            w.field("product_name", productName)
            w.field("proposal_no", proposalNo)
            w.field("request_id", requestId)
            w.field("status", status)
            w.field("submitted_on", submittedOn)
            w.field("sum_insured", sumInsured)
            w.field("version_id", versionId)
        }
    }
}

extension Withdrawal: JSONWritable {
    public func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.field("customer_no", customerNo)
            w.field("decided_on", decidedOn)
            w.field("policy_no", policyNo)
            w.field("proposal_no", proposalNo)
            w.field("reason", reason)
            w.field("refund_amount", refundAmount)
            w.field("refund_due_on", refundDueOn)
            w.field("rejection_reasons", rejectionReasons)
            w.field("request_id", requestId)
            w.field("requested_on", requestedOn)
            w.field("status", status)
            w.field("withdrawal_no", withdrawalNo)
        }
    }
}

extension FieldError: JSONWritable {
    public func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.field("field", field)
            w.field("reason", reason)
        }
    }
}

extension RequestOutcome: JSONWritable {
    public func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.field("customer_no", customerNo)
            w.field("errors", errors)
            w.field("file", file)
            w.field("line", line)
            w.field("plan_no", planNo)
            w.field("proposal_no", proposalNo)
            w.field("request_id", requestId)
            w.field("status", status)
            w.field("type", type)
            w.field("withdrawal_no", withdrawalNo)
        }
    }
}

extension RequestView: JSONWritable {
    public func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.field("current", current)
            w.field("history", history)
        }
    }
}

extension CustomerView: JSONWritable {
    public func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.field("birth_date", birthDate)
            w.field("customer_no", customerNo)
            w.field("email", email)
            w.field("gender", gender)
            w.field("last_event_seq", lastEventSeq)
            w.field("name", name)
            w.field("occupation_class", occupationClass)
            w.field("phone", phone)
            w.field("plans", plans)
            w.field("proposals", proposals)
            w.field("updated_on", updatedOn)
            w.field("withdrawals", withdrawals)
        }
    }
}

extension Correlation: JSONWritable {
    public func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.field("customer_no", customerNo)
            w.field("plan_no", planNo)
            w.field("policy_no", policyNo)
            w.field("proposal_no", proposalNo)
            w.field("request_id", requestId)
        }
    }
}

extension AlarmMessage: JSONWritable {
    public func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.field("correlation", correlation)
            w.field("customer_no", customerNo)
            w.field("event_seq", eventSeq)
            w.field("event_type", eventType)
            w.field("message_id", messageId)
            w.field("occurred_on", occurredOn)
            w.field("phone", phone)
            w.field("template_code", templateCode)
            w.field("text", text)
            w.field("variables", StringMap(variables))
        }
    }
}

/// A `[String: String]` as a field value.
struct StringMap: JSONWritable {
    let map: [String: String]
    init(_ map: [String: String]) { self.map = map }
    func writeJSON(to w: inout JSONWriter) { w.stringMap(map) }
}
