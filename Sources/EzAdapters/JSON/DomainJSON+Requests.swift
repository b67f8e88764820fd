import EzCore

// Requests as stored (the `body` of `requests`, written at ingest, read by the requests
// stage), as `JSONWritable` and `JSONReadable`: the JSON of their synthesized `Codable`
// conformances (`DomainJSONTests` holds both to Foundation's). An enum with associated values
// is an object with one key, its case, whose value holds the values by label (`_0` when
// unlabeled); reading requires exactly one case key, as synthesized `Decodable` does.

extension QuoteInput: JSONWritable, JSONReadable {
    func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.field("customer_no", customerNo)
            w.field("issue_document", issueDocument)
            w.field("pay_years", payYears)
            w.field("payment_frequency", paymentFrequency)
            w.field("product_code", productCode)
            w.field("riders", riders)
            w.field("sum_insured", sumInsured)
            w.field("term_years", termYears)
        }
    }

    static func read(_ doc: JSONDoc, at index: Int) throws -> QuoteInput {
        let f = try JSONFields(doc, at: index)
        return QuoteInput(customerNo: try f("customer_no"), productCode: try f("product_code"),
                          sumInsured: try f("sum_insured"), termYears: try f("term_years"), payYears: try f("pay_years"),
                          paymentFrequency: try f("payment_frequency"), riders: try f("riders"),
                          issueDocument: try f("issue_document"))
    }
}

extension RecordReference: JSONWritable, JSONReadable {
    func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            switch self {
            case .number(let no): w.field("number", object: { $0.field("_0", no) })
            case .requestId(let id): w.field("requestId", object: { $0.field("_0", id) })
            }
        }
    }

    static func read(_ doc: JSONDoc, at index: Int) throws -> RecordReference {
        let (key, value) = try JSONFields(doc, at: index).oneCase(of: ["number", "requestId"], in: RecordReference.self)
        let text: String = try JSONFields(doc, at: value)("_0")
        return key == 0 ? .number(text) : .requestId(text)
    }
}

extension PaymentInstrument: JSONWritable, JSONReadable {
    func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            switch self {
            case .account(let bankCode, let accountNo):
                w.field("account", object: { w in
                    w.field("accountNo", accountNo)
                    w.field("bankCode", bankCode)
                })
            case .card(let token):
                w.field("card", object: { $0.field("token", token) })
            }
        }
    }

    static func read(_ doc: JSONDoc, at index: Int) throws -> PaymentInstrument {
        let (key, value) = try JSONFields(doc, at: index).oneCase(of: ["card", "account"], in: PaymentInstrument.self)
        let f = try JSONFields(doc, at: value)
        return key == 0 ? .card(token: try f("token")) : .account(bankCode: try f("bankCode"), accountNo: try f("accountNo"))
    }
}

extension PaymentInfo: JSONWritable, JSONReadable {
    func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.field("holderName", holderName)
            w.field("instrument", instrument)
        }
    }

    static func read(_ doc: JSONDoc, at index: Int) throws -> PaymentInfo {
        let f = try JSONFields(doc, at: index)
        return PaymentInfo(instrument: try f("instrument"), holderName: try f("holderName"))
    }
}

extension RequestBody: JSONWritable, JSONReadable {
    func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            switch self {
            case .customerRegister(let customer):
                w.field("customerRegister", object: { $0.field("_0", customer) })
            case .documentRequest(let plan):
                w.field("documentRequest", object: { $0.field("plan", plan) })
            case .enrollmentApply(let customer, let quote, let payment):
                w.field("enrollmentApply", object: { w in
                    w.field("customer", customer)
                    w.field("payment", payment)
                    w.field("quote", quote)
                })
            case .planQuote(let quote):
                w.field("planQuote", object: { $0.field("_0", quote) })
            case .proposalSubmit(let plan, let payment):
                w.field("proposalSubmit", object: { w in
                    w.field("payment", payment)
                    w.field("plan", plan)
                })
            case .proposalWithdraw(let proposal, let requestedOn, let reason):
                w.field("proposalWithdraw", object: { w in
                    w.field("proposal", proposal)
                    w.field("reason", reason)
                    w.field("requestedOn", requestedOn)
                })
            }
        }
    }

    static func read(_ doc: JSONDoc, at index: Int) throws -> RequestBody {
        let (key, value) = try JSONFields(doc, at: index).oneCase(
            of: ["customerRegister", "planQuote", "documentRequest", "proposalSubmit", "enrollmentApply", "proposalWithdraw"],
            in: RequestBody.self)
        let f = try JSONFields(doc, at: value)
        switch key {
        case 0: return .customerRegister(try f("_0"))
        case 1: return .planQuote(try f("_0"))
        case 2: return .documentRequest(plan: try f("plan"))
        case 3: return .proposalSubmit(plan: try f("plan"), payment: try f("payment"))
        case 4: return .enrollmentApply(customer: try f("customer"), quote: try f("quote"), payment: try f("payment"))
        default: return .proposalWithdraw(proposal: try f("proposal"), requestedOn: try f("requestedOn"), reason: try f.optional("reason"))
        }
    }
}

extension Request: JSONWritable, JSONReadable {
    func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.field("body", body)
            w.field("requestId", requestId)
        }
    }

    static func read(_ doc: JSONDoc, at index: Int) throws -> Request {
        let f = try JSONFields(doc, at: index)
        return Request(requestId: try f("requestId"), body: try f("body"))
    }
}
