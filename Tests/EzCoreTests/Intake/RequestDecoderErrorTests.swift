import EzCore
import Testing

/// One bad field: the line, the field path the error must name, and a piece of its reason.
struct BadField: CustomTestStringConvertible, Sendable {
    var line: String
    var field: String
    var reason: String
    var testDescription: String { "\(field): \(reason)" }
}

private func customerLine(_ field: String, _ value: JSONValue?) -> String {
    guard case .object(var customer) = json(Lines.customer) else { fatalError() }
    customer[field] = value
    return with(Lines.register, ["customer": .object(customer)])
}

private func paymentLine(_ payment: String) -> String {
    with(Lines.submit, ["payment": json(payment)])
}

@Suite("RequestDecoder: field errors")
struct RequestDecoderErrorTests {
    static let cases: [BadField] = [
        // Common
        BadField(line: with(Lines.document, ["request_id": nil]), field: "request_id", reason: "missing (required for type document.request)"),
        BadField(line: with(Lines.document, ["request_id": .string("")]), field: "request_id", reason: "missing"),
        BadField(line: with(Lines.document, ["request_id": .string(String(repeating: "a", count: 65))]), field: "request_id", reason: "too long: 65 characters (at most 64)"),
        BadField(line: with(Lines.document, ["request_id": .string("req 1")]), field: "request_id", reason: "invalid character \" \""),
        BadField(line: with(Lines.document, ["request_id": .int(12)]), field: "request_id", reason: "expected a string, got number 12"),
        BadField(line: with(Lines.document, ["type": nil]), field: "type", reason: "missing (one of: customer.register, plan.quote"),
        BadField(line: with(Lines.document, ["type": .string("plan.qoute")]), field: "type", reason: "unknown type \"plan.qoute\" (allowed: customer.register, plan.quote, document.request, proposal.submit, enrollment.apply, proposal.withdraw)"),
        BadField(line: with(Lines.document, ["plan_noo": .string("x")]), field: "plan_noo", reason: "unknown field (did you mean \"plan_no\"?)"),
        // Customer
        BadField(line: customerLine("customer_no", .string("1234")), field: "customer.customer_no", reason: "not a customer number: \"1234\""),
        BadField(line: customerLine("name", nil), field: "customer.name", reason: "missing (required for type customer.register)"),
        BadField(line: customerLine("name", .string("  ")), field: "customer.name", reason: "missing"),
        BadField(line: customerLine("name", .string(String(repeating: "가", count: 51))), field: "customer.name", reason: "too long: 51 characters (at most 50)"),
        BadField(line: customerLine("birth_date", .string("1990-02-30")), field: "customer.birth_date", reason: "not a date (YYYY-MM-DD): \"1990-02-30\""),
        BadField(line: customerLine("birth_date", .string("19900228")), field: "customer.birth_date", reason: "not a date (YYYY-MM-DD)"),
        BadField(line: customerLine("gender", .string("X")), field: "customer.gender", reason: "not a gender: \"X\" (M or F)"),
        BadField(line: customerLine("phone", .string("02-123-4567")), field: "customer.phone", reason: "not a Korean mobile number"),
        BadField(line: customerLine("phone", .string("010-1234-56789")), field: "customer.phone", reason: "not a Korean mobile number"),
        BadField(line: customerLine("phone", .string("０１０-1234-5678")), field: "customer.phone", reason: "not a Korean mobile number"),
        BadField(line: customerLine("phone", .string("010-1234-567a")), field: "customer.phone", reason: "not a Korean mobile number"),
        BadField(line: customerLine("email", .string("kim@example")), field: "customer.email", reason: "not an email address: \"kim@example\""),
        BadField(line: customerLine("occupation_class", .int(6)), field: "customer.occupation_class", reason: "must be between 1 and 5, got 6"),
        BadField(line: customerLine("occupation_class", .string("two")), field: "customer.occupation_class", reason: "not a number: \"two\""),
        BadField(line: customerLine("birthdate", .string("1990-01-01")), field: "customer.birthdate", reason: "unknown field (did you mean \"birth_date\"?)"),
        BadField(line: with(Lines.register, ["customer": .string("C1")]), field: "customer", reason: "expected an object, got string \"C1\""),
        BadField(line: with(Lines.register, ["customer": nil]), field: "customer", reason: "missing (required for type customer.register)"),
        // Quote
        BadField(line: with(Lines.quote, ["customer_no": nil]), field: "customer_no", reason: "missing (required for type plan.quote)"),
        BadField(line: with(Lines.quote, ["product_code": .string("P123")]), field: "product_code", reason: "not a product code: \"P123\" (expected P followed by 8 digits"),
        BadField(line: with(Lines.quote, ["sum_insured": .double(1000.5)]), field: "sum_insured", reason: "not a whole number: 1000.5"),
        BadField(line: with(Lines.quote, ["sum_insured": .string("1000.5")]), field: "sum_insured", reason: "not a whole number: \"1000.5\""),
        BadField(line: with(Lines.quote, ["sum_insured": .string("10,000,000")]), field: "sum_insured", reason: "not a whole number: \"10,000,000\""),
        BadField(line: with(Lines.quote, ["sum_insured": .int(0)]), field: "sum_insured", reason: "must be at least 1, got 0"),
        BadField(line: with(Lines.quote, ["sum_insured": .int(-5)]), field: "sum_insured", reason: "must be at least 1, got -5"),
        BadField(line: with(Lines.quote, ["sum_insured": .string("99999999999999999999")]), field: "sum_insured", reason: "not a number"),
        BadField(line: with(Lines.quote, ["term_years": .bool(true)]), field: "term_years", reason: "expected a number of years, got boolean true"),
        BadField(line: with(Lines.quote, ["pay_years": nil]), field: "pay_years", reason: "missing (required for type plan.quote)"),
        BadField(line: with(Lines.quote, ["payment_frequency": .string("weekly")]), field: "payment_frequency", reason: "unknown payment frequency \"weekly\" (monthly or annual)"),
        BadField(line: with(Lines.quote, ["issue_document": .string("maybe")]), field: "issue_document", reason: "not a boolean: \"maybe\""),
        BadField(line: with(Lines.quote, ["riders": .string("R01-100")]), field: "riders", reason: "not a rider list"),
        BadField(line: with(Lines.quote, ["riders": .int(1)]), field: "riders", reason: "expected an array of {code, sum_insured}"),
        BadField(line: with(Lines.quote, ["riders": json(#"[{"code":"R01","sum_insured":1},{"code":"R02","sum_insured":1.5}]"#)]), field: "riders[1].sum_insured", reason: "not a whole number: 1.5"),
        BadField(line: with(Lines.quote, ["riders": json(#"[{"code":"R01","sum_insured":1},{"code":"R01","sum_insured":2}]"#)]), field: "riders[1].code", reason: "duplicate rider \"R01\" (already in riders[0])"),
        BadField(line: with(Lines.quote, ["riders": json(#"[{"code":"R01","sum":1}]"#)]), field: "riders[0].sum", reason: "unknown field"),
        BadField(line: with(Lines.quote, ["riders": json(#"[{"sum_insured":1}]"#)]), field: "riders[0].code", reason: "missing (required for type plan.quote)"),
        BadField(line: with(Lines.quote, ["riders": json(#"["R01"]"#)]), field: "riders[0]", reason: "expected an object {code, sum_insured}"),
        BadField(line: with(Lines.quote, ["payment": json(#"{}"#)]), field: "payment", reason: "unknown field"),
        // References
        BadField(line: with(Lines.document, ["plan_no": nil]), field: "plan_no", reason: "missing: give plan_no or plan_request_id (required for type document.request)"),
        BadField(line: with(Lines.document, ["plan_request_id": .string("req-002")]), field: "plan_no", reason: "give either plan_no or plan_request_id, not both"),
        BadField(line: with(Lines.withdraw, ["proposal_no": nil]), field: "proposal_no", reason: "missing: give proposal_no or proposal_request_id"),
        BadField(line: with(Lines.withdraw, ["requested_on": .string("2025-3-10")]), field: "requested_on", reason: "not a date (YYYY-MM-DD): \"2025-3-10\""),
        BadField(line: with(Lines.withdraw, ["requested_on": nil]), field: "requested_on", reason: "missing (required for type proposal.withdraw)"),
        // Payment
        BadField(line: with(Lines.submit, ["payment": nil]), field: "payment", reason: "missing (required for type proposal.submit)"),
        BadField(line: paymentLine(#"{"method":"cash","holder_name":"A"}"#), field: "payment.method", reason: "unknown payment method \"cash\" (card or account)"),
        BadField(line: paymentLine(#"{"card_token":"t","holder_name":"A"}"#), field: "payment.method", reason: "missing"),
        BadField(line: paymentLine(#"{"method":"card","holder_name":"A"}"#), field: "payment.card_token", reason: "missing (required for type proposal.submit)"),
        BadField(line: paymentLine(#"{"method":"card","card_token":"4111111111111111","holder_name":"A"}"#), field: "payment.card_token", reason: "looks like a card number"),
        BadField(line: paymentLine(#"{"method":"card","card_token":"t","bank_code":"004","holder_name":"A"}"#), field: "payment.bank_code", reason: "not allowed for payment.method card"),
        BadField(line: paymentLine(#"{"method":"account","account_no":"123456789","holder_name":"A"}"#), field: "payment.bank_code", reason: "missing"),
        BadField(line: paymentLine(#"{"method":"account","bank_code":"4","account_no":"123456789","holder_name":"A"}"#), field: "payment.bank_code", reason: "not a bank code: \"4\" (3 digits"),
        BadField(line: paymentLine(#"{"method":"account","bank_code":"004","account_no":"12ab","holder_name":"A"}"#), field: "payment.account_no", reason: "not an account number"),
        BadField(line: paymentLine(#"{"method":"account","bank_code":"004","account_no":"123456789","holder_name":"A","card_token":"t"}"#), field: "payment.card_token", reason: "not allowed for payment.method account"),
        BadField(line: paymentLine(#"{"method":"card","card_token":"t"}"#), field: "payment.holder_name", reason: "missing"),
        BadField(line: paymentLine(#"{"method":"card","card_token":"t","holder_name":"A","cvc":"123"}"#), field: "payment.cvc", reason: "unknown field"),
        // Enrollment
        BadField(line: with(Lines.enrollment, ["customer_no": .string("C999")]), field: "customer_no", reason: "\"C999\" does not match customer.customer_no \"C0001234\""),
        BadField(line: with(Lines.enrollment, ["issue_document": .bool(false)]), field: "issue_document", reason: "must be true or left out for type enrollment.apply"),
        BadField(line: with(Lines.enrollment, ["plan_no": .string("x")]), field: "plan_no", reason: "unknown field"),
        BadField(line: with(Lines.enrollment, ["product_code": nil]), field: "product_code", reason: "missing (required for type enrollment.apply)"),
    ]

    @Test(arguments: cases)
    func fieldErrorIsReported(_ bad: BadField) throws {
        let rejection = try #require(rejected(bad.line))
        let error = rejection.errors.first { $0.field == bad.field }
        #expect(error != nil, "no error for \(bad.field) in \(rejection.errors)")
        if let error {
            #expect(error.reason.contains(bad.reason), "reason was: \(error.reason)")
        }
    }

    @Test func allErrorsOfALineAreCollected() throws {
        let line = #"""
        {"request_id":"bad-1","type":"enrollment.apply",
         "customer":{"customer_no":"C1","name":"","birth_date":"1990-02-30","gender":"X","phone":"123","nickname":"k"},
         "product_code":"X1","sum_insured":1.5,"term_years":"ten","pay_years":0,
         "payment":{"method":"card","holder_name":"A"},"colour":"red"}
        """#
        let rejection = try #require(rejected(line))
        #expect(rejection.requestId == "bad-1")
        #expect(rejection.type == "enrollment.apply")
        let fields = rejection.errors.map(\.field)
        #expect(fields == ["colour", "customer.nickname", "customer.name", "customer.birth_date", "customer.gender",
                           "customer.phone", "product_code", "sum_insured", "term_years", "pay_years",
                           "payment.card_token"])
    }

    @Test func rejectionCarriesRequestIdAndTypeWhenReadable() throws {
        let unknownType = try #require(rejected(#"{"request_id":"r-9","type":"plan.delete"}"#))
        #expect(unknownType.requestId == "r-9")
        #expect(unknownType.type == "plan.delete")
        let badId = try #require(rejected(#"{"request_id":"bad id","type":"document.request","plan_no":"X"}"#))
        #expect(badId.requestId == nil)
        #expect(badId.type == "document.request")
    }

    @Test func nonObjectLineIsRejected() throws {
        guard case .failure(let rejection) = RequestDecoder.decode(.array([])) else {
            Issue.record("accepted"); return
        }
        #expect(rejection.errors == [FieldError(field: "line", reason: "expected a JSON object (one request per line), found an array")])
    }

    @Test func nullCountsAsMissing() throws {
        let rejection = try #require(rejected(with(Lines.quote, ["sum_insured": .null])))
        #expect(rejection.errors == [FieldError(field: "sum_insured", reason: "missing (required for type plan.quote)")])
        #expect(accepted(with(Lines.quote, ["riders": .null, "payment_frequency": .null])) != nil)
    }
}
