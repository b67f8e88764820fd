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
extension ActuarialBenefit: JSONWritableRawString {}
extension Rounding.Mode: JSONWritableRawString {}

extension Customer: JSONWritable {
    func writeJSON(to w: inout JSONWriter) {
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
    func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.field("code", code)
            w.field("sum_insured", sumInsured)
        }
    }
}

extension PlanDeclineReason: JSONWritable {
    func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.field("code", code)
            w.field("field", field)
            w.field("message", message)
        }
    }
}

extension Plan: JSONWritable {
    func writeJSON(to w: inout JSONWriter) {
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
    func writeJSON(to w: inout JSONWriter) {
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
    func writeJSON(to w: inout JSONWriter) {
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
    func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.field("field", field)
            w.field("reason", reason)
        }
    }
}

extension RequestOutcome: JSONWritable {
    func writeJSON(to w: inout JSONWriter) {
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
    func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.field("current", current)
            w.field("history", history)
        }
    }
}

extension CustomerView: JSONWritable {
    func writeJSON(to w: inout JSONWriter) {
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
    func writeJSON(to w: inout JSONWriter) {
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
    func writeJSON(to w: inout JSONWriter) {
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
            w.field("variables", variables)
        }
    }
}

extension AlarmMessageVariables: JSONWritable {
    /// An object of the entries in their order (the names' UTF-8 order: sorted keys).
    func writeJSON(to w: inout JSONWriter) {
        w.pairs(entries.lazy.map { ($0.name, $0.value) })
    }
}

extension Rounding: JSONWritable {
    func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.field("mode", mode)
            w.field("unit", unit)
        }
    }
}

extension ExpenseLoadings: JSONWritable {
    func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.field("alpha", alpha)
            w.field("beta", beta)
            w.field("gamma", gamma)
            w.field("gamma_after_payment", gammaAfterPayment)
        }
    }
}

extension ActuarialValues: JSONWritable {
    func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.field("age", age)
            w.field("annuity_cover", annuityCover)
            w.field("annuity_pay", annuityPay)
            w.field("benefit", benefit)
            w.field("commutation", commutation)
            w.field("coverage_years", coverageYears)
            w.field("gross_annual_premium", grossAnnualPremium)
            w.field("insurance", insurance)
            w.field("interest", interest)
            w.field("loadings", loadings)
            w.field("mortality", mortality)
            w.field("mortality_scale", mortalityScale)
            w.field("mortality_table", mortalityTable)
            w.field("net_annual_premium", netAnnualPremium)
            w.field("pay_years", payYears)
            w.field("premium_per_payment", premiumPerPayment)
            w.field("pure_endowment", pureEndowment)
            w.field("pure_endowment_pay", pureEndowmentPay)
            w.field("radix_age", radixAge)
            w.field("term_insurance", termInsurance)
            w.field("woolhouse_annuity", woolhouseAnnuity)
        }
    }
}

extension PremiumComponent: JSONWritable {
    func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.field("actuarial", actuarial)
            w.field("coverage", coverage)
            w.field("method", method)
            w.field("modal_factor", modalFactor)
            w.field("name", name)
            w.field("per", per)
            w.field("rate", rate)
            w.field("rate_key", rateKey)
            w.field("raw_amount", rawAmount)
            w.field("sum_insured", sumInsured)
        }
    }
}

extension PricedQuote: JSONWritable {
    func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.field("age", age)
            w.field("gender", gender)
            w.field("pay_years", payYears)
            w.field("term_years", termYears)
        }
    }
}

extension PremiumBreakdown: JSONWritable {
    func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.field("annual_premium", annualPremium)
            w.field("components", components)
            w.field("frequency", frequency)
            w.field("premium", premium)
            w.field("quote", quote)
            w.field("raw_total", rawTotal)
            w.field("rounding", rounding)
            w.field("steps", writtenSteps)
            w.field("version_id", versionId)
        }
    }
}
