/// Readers for the parts several request types share: identifiers, customer, quote, payment.
extension RequestFieldReader {
    // MARK: - Identifiers

    /// `request_id`, `plan_no`, …: 1 to 64 of `A-Z a-z 0-9 . _ : -`.
    mutating func identifier(_ object: [String: JSONValue], _ key: String, path: String, required: Bool) -> String? {
        var field: String { Self.join(path, key) }  // made only for an error message
        guard let text = string(object, key, path: path, required: required) else { return nil }
        guard text.count <= RequestDecoder.maxIdLength else {
            fail(field, "too long: \(text.count) characters (at most \(RequestDecoder.maxIdLength))")
            return nil
        }
        if let bad = text.unicodeScalars.first(where: { !Self.isIdentifierScalar($0) }) {
            fail(field, "invalid character \(Self.quote(String(bad))) in \(Self.quote(text)) "
                + "(allowed: letters A-Z a-z, digits, '.', '_', ':', '-')")
            return nil
        }
        return text
    }

    static func isIdentifierScalar(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "A"..."Z", "a"..."z", "0"..."9", ".", "_", ":", "-": true
        default: false
        }
    }

    /// Customer number: `C` followed by 1 to 19 digits (`C0000123`).
    mutating func customerNumber(_ object: [String: JSONValue], _ key: String, path: String, required: Bool) -> String? {
        guard let text = string(object, key, path: path, required: required) else { return nil }
        let digits = text.dropFirst()
        guard text.first == "C", (1...19).contains(digits.count),
              digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            fail(Self.join(path, key), "not a customer number: \(Self.quote(text)) (expected C followed by digits, e.g. C0001234)")
            return nil
        }
        return text
    }

    /// Either our number or the id of the request that created the record, exactly one of them.
    mutating func reference(_ object: [String: JSONValue], numberKey: String, requestKey: String) -> RecordReference? {
        let number = identifier(object, numberKey, path: "", required: false)
        let requestId = identifier(object, requestKey, path: "", required: false)
        let givenNumber = Self.present(object, numberKey) != nil
        let givenRequest = Self.present(object, requestKey) != nil
        switch (givenNumber, givenRequest) {
        case (true, true):
            fail(numberKey, "give either \(numberKey) or \(requestKey), not both")
            return nil
        case (false, false):
            fail(numberKey, "missing: give \(numberKey) or \(requestKey) (required for type \(typeName))")
            return nil
        default:
            if let number { return .number(number) }
            if let requestId { return .requestId(requestId) }
            return nil
        }
    }

    // MARK: - Customer

    mutating func customer(_ object: [String: JSONValue], path: String) -> Customer? {
        rejectUnknown(object, allowed: RequestDecoder.customerFields, path: path)
        let customerNo = customerNumber(object, "customer_no", path: path, required: true)
        let name = string(object, "name", path: path, required: true, maxLength: 50)
        let birthDate = date(object, "birth_date", path: path, required: true)
        let gender = gender(object, path: path)
        let phone = phone(object, path: path)
        let email = email(object, path: path)
        let occupation = integer(object, "occupation_class", path: path, required: false, range: 1...5,
                                 what: "an occupation class 1 to 5")
        guard let customerNo, let name, let birthDate, let gender, let phone,
              Self.present(object, "email") == nil || email != nil,
              Self.present(object, "occupation_class") == nil || occupation != nil else { return nil }
        return Customer(customerNo: customerNo, name: name, birthDate: birthDate, gender: gender,
                        phone: phone, email: email, occupationClass: occupation.map { Int($0) })
    }

    mutating func gender(_ object: [String: JSONValue], path: String) -> Gender? {
        guard let text = string(object, "gender", path: path, required: true) else { return nil }
        guard let gender = Gender(rawValue: text.uppercased()) else {
            fail(Self.join(path, "gender"), "not a gender: \(Self.quote(text)) (M or F)")
            return nil
        }
        return gender
    }

    /// A Korean mobile number, normalised to `010-1234-5678` (or `011-123-4567` for 10 digits).
    mutating func phone(_ object: [String: JSONValue], path: String) -> String? {
        guard let text = string(object, "phone", path: path, required: true) else { return nil }
        if let normal = Self.normalisePhone(text) { return normal }
        fail(Self.join(path, "phone"), "not a Korean mobile number: \(Self.quote(text)) "
            + "(expected 01X-XXXX-XXXX, 01X-XXX-XXXX or 10 to 11 digits)")
        return nil
    }

    static func normalisePhone(_ text: String) -> String? {
        // Read as UTF-8 bytes: any byte of a non-ASCII character fails the number, as the
        // character would (by characters, 6% of the ingest stage).
        var body = Substring(text).utf8[...]
        var digits: [UInt8] = []
        digits.reserveCapacity(12)
        if body.starts(with: "+82".utf8) {
            body = body.dropFirst(3).drop(while: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "-") })
            digits.append(UInt8(ascii: "0"))
        }
        for byte in body {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") { digits.append(byte) }
            else if byte == UInt8(ascii: "-") || byte == UInt8(ascii: " ") { continue }
            else { return nil }
        }
        guard (10...11).contains(digits.count), digits[0] == UInt8(ascii: "0"), digits[1] == UInt8(ascii: "1"),
              "016789".utf8.contains(digits[2]) else { return nil }
        let middle = digits.count == 11 ? 4 : 3
        func part(_ range: Range<Int>) -> String { String(decoding: digits[range], as: UTF8.self) }
        return part(0..<3) + "-" + part(3..<(3 + middle)) + "-" + part((3 + middle)..<digits.count)
    }

    mutating func email(_ object: [String: JSONValue], path: String) -> String? {
        guard let text = string(object, "email", path: path, required: false, maxLength: 254) else { return nil }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        let shapeOK = parts.count == 2 && !parts[0].isEmpty
            && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && !parts[1].contains("..") && !text.contains(where: \.isWhitespace)
        guard shapeOK else {
            fail(Self.join(path, "email"), "not an email address: \(Self.quote(text)) (expected name@domain.tld)")
            return nil
        }
        return text
    }

    // MARK: - Quote

    /// The quote fields at the top level of `plan.quote` and `enrollment.apply`.
    mutating func quote(_ top: [String: JSONValue], customerNo: String?, impliedDocument: Bool) -> QuoteInput? {
        let productCode = productCode(top)
        let sumInsured = integer(top, "sum_insured", path: "", required: true, range: 1...Int64.max,
                                 what: "a positive whole amount in KRW")
        let termYears = integer(top, "term_years", path: "", required: true, range: 1...999, what: "a number of years")
        let payYears = integer(top, "pay_years", path: "", required: true, range: 1...999, what: "a number of years")
        let frequency = paymentFrequency(top)
        let riders = riders(top)
        let issueDocument = bool(top, "issue_document", path: "")
        if impliedDocument, issueDocument == false {
            fail("issue_document", "must be true or left out for type \(typeName) (an enrollment always issues the document)")
        }
        guard let customerNo, let productCode, let sumInsured, let termYears, let payYears,
              let frequency, let riders,
              Self.present(top, "issue_document") == nil || issueDocument != nil else { return nil }
        return QuoteInput(customerNo: customerNo, productCode: productCode, sumInsured: sumInsured,
                          termYears: Int(termYears), payYears: Int(payYears), paymentFrequency: frequency,
                          riders: riders, issueDocument: impliedDocument || (issueDocument ?? false))
    }

    /// `P` followed by exactly 8 digits.
    mutating func productCode(_ top: [String: JSONValue]) -> String? {
        guard let text = string(top, "product_code", path: "", required: true) else { return nil }
        let digits = text.dropFirst()
        guard text.first == "P", digits.count == 8, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            fail("product_code", "not a product code: \(Self.quote(text)) (expected P followed by 8 digits, e.g. P00000001)")
            return nil
        }
        return text
    }

    /// Defaults to monthly when absent; nil only on error.
    mutating func paymentFrequency(_ top: [String: JSONValue]) -> PaymentFrequency? {
        guard Self.present(top, "payment_frequency") != nil else { return .monthly }
        guard let text = string(top, "payment_frequency", path: "", required: false) else { return nil }
        guard let frequency = PaymentFrequency(rawValue: text.lowercased()) else {
            fail("payment_frequency", "unknown payment frequency \(Self.quote(text)) (monthly or annual)")
            return nil
        }
        return frequency
    }

    /// An array of `{code, sum_insured}`, or (CSV) the string `CODE:SUM;CODE:SUM`. Nil only on error.
    mutating func riders(_ top: [String: JSONValue]) -> [RiderSelection]? {
        guard let value = Self.present(top, "riders") else { return [] }
        let items: [JSONValue]
        switch value {
        case .array(let array):
            items = array
        case .string(let text):
            guard let parsed = Self.splitRiders(text) else {
                fail("riders", "not a rider list: \(Self.quote(text)) (expected CODE:SUM;CODE:SUM, e.g. R01:10000000;R02:5000000)")
                return nil
            }
            items = parsed
        default:
            fail("riders", "expected an array of {code, sum_insured}, got \(Self.describe(value))")
            return nil
        }
        var riders: [RiderSelection] = []
        var ok = true
        var seen: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            let path = "riders[\(index)]"
            guard case .object(let rider) = item else {
                fail(path, "expected an object {code, sum_insured}, got \(Self.describe(item))")
                ok = false
                continue
            }
            rejectUnknown(rider, allowed: RequestDecoder.riderFields, path: path)
            let code = riderCode(rider, path: path)
            let sum = integer(rider, "sum_insured", path: path, required: true, range: 1...Int64.max,
                              what: "a positive whole amount in KRW")
            if let code {
                if let first = seen[code] {
                    fail(path + ".code", "duplicate rider \(Self.quote(code)) (already in riders[\(first)])")
                    ok = false
                } else {
                    seen[code] = index
                }
            }
            if let code, let sum { riders.append(RiderSelection(code: code, sumInsured: sum)) } else { ok = false }
        }
        return ok ? riders : nil
    }

    /// Rider codes: 1 to 32 of letters, digits, '_' and '-'.
    mutating func riderCode(_ rider: [String: JSONValue], path: String) -> String? {
        guard let text = string(rider, "code", path: path, required: true) else { return nil }
        guard text.count <= 32, text.unicodeScalars.allSatisfy({
            Self.isIdentifierScalar($0) && $0 != "." && $0 != ":"
        }) else {
            fail(path + ".code", "not a rider code: \(Self.quote(text)) (1 to 32 letters, digits, '_' or '-')")
            return nil
        }
        return text
    }

    /// `R01:1000;R02:2000` as rider objects with string sums (validated like JSON input).
    static func splitRiders(_ text: String) -> [JSONValue]? {
        var items: [JSONValue] = []
        for part in text.split(separator: ";", omittingEmptySubsequences: true) {
            let piece = trim(String(part))
            if piece.isEmpty { continue }
            let pair = piece.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { return nil }
            items.append(.object(["code": .string(trim(String(pair[0]))), "sum_insured": .string(trim(String(pair[1])))]))
        }
        return items
    }

    // MARK: - Payment

    mutating func payment(_ top: [String: JSONValue]) -> PaymentInfo? {
        guard let object = object(top, "payment", path: "", required: true) else { return nil }
        let path = "payment"
        rejectUnknown(object, allowed: RequestDecoder.paymentFields, path: path)
        let holder = string(object, "holder_name", path: path, required: true, maxLength: 50)
        guard let method = string(object, "method", path: path, required: true) else { return nil }
        let instrument: PaymentInstrument?
        switch method.lowercased() {
        case "card":
            for key in ["bank_code", "account_no"] where Self.present(object, key) != nil {
                fail("payment." + key, "not allowed for payment.method card (only card_token)")
            }
            instrument = cardToken(object).map { .card(token: $0) }
        case "account":
            if Self.present(object, "card_token") != nil {
                fail("payment.card_token", "not allowed for payment.method account (only bank_code and account_no)")
            }
            let bank = bankCode(object)
            let account = accountNo(object)
            if let bank, let account { instrument = .account(bankCode: bank, accountNo: account) } else { instrument = nil }
        default:
            fail("payment.method", "unknown payment method \(Self.quote(method)) (card or account)")
            instrument = nil
        }
        guard let instrument, let holder else { return nil }
        return PaymentInfo(instrument: instrument, holderName: holder)
    }

    /// A gateway token, never a card number: 1 to 128 token characters, not 13 to 19 bare digits.
    mutating func cardToken(_ object: [String: JSONValue]) -> String? {
        guard let text = string(object, "card_token", path: "payment", required: true) else { return nil }
        let digitsOnly = text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || $0 == "-" || $0 == " " }
        let digitCount = text.unicodeScalars.filter { ("0"..."9").contains($0) }.count
        if digitsOnly, (13...19).contains(digitCount) {
            fail("payment.card_token", "looks like a card number; send the payment gateway's card token instead")
            return nil
        }
        guard text.count <= 128, text.unicodeScalars.allSatisfy(Self.isIdentifierScalar) else {
            fail("payment.card_token", "not a card token: \(Self.quote(text)) "
                + "(1 to 128 letters, digits, '.', '_', ':', '-')")
            return nil
        }
        return text
    }

    /// Korean bank code: exactly 3 digits as a string (`004`, `088`).
    mutating func bankCode(_ object: [String: JSONValue]) -> String? {
        guard let text = string(object, "bank_code", path: "payment", required: true) else { return nil }
        guard text.count == 3, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            fail("payment.bank_code", "not a bank code: \(Self.quote(text)) (3 digits, e.g. \"004\")")
            return nil
        }
        return text
    }

    /// Account number: 6 to 20 digits, dashes allowed and removed.
    mutating func accountNo(_ object: [String: JSONValue]) -> String? {
        guard let text = string(object, "account_no", path: "payment", required: true) else { return nil }
        let digits = text.filter { $0 != "-" }
        guard (6...20).contains(digits.count), digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            fail("payment.account_no", "not an account number: \(Self.quote(text)) (6 to 20 digits, dashes allowed)")
            return nil
        }
        return digits
    }
}
