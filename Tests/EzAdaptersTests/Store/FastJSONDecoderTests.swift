import Foundation
import Testing
@testable import EzAdapters
import EzCore

// MARK: - Helpers

/// JSON as the store writes it with Foundation.
private func fjdEncode<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

/// How a decode ended, errors reduced to their `DecodingError` case and coding path.
private enum FJDOutcome<T: Equatable>: Equatable, CustomStringConvertible {
    case value(T)
    case keyNotFound(String, [String])
    case typeMismatch([String])
    case valueNotFound([String])
    case dataCorrupted
    case other(String)

    init(_ body: () throws -> T) {
        do {
            self = .value(try body())
        } catch let error as DecodingError {
            switch error {
            case .keyNotFound(let key, let context):
                self = .keyNotFound(key.stringValue, context.codingPath.map(\.stringValue))
            case .typeMismatch(_, let context):
                self = .typeMismatch(context.codingPath.map(\.stringValue))
            case .valueNotFound(_, let context):
                self = .valueNotFound(context.codingPath.map(\.stringValue))
            case .dataCorrupted:
                // Foundation reports most malformed JSON with an empty path; the paths are not compared.
                self = .dataCorrupted
            @unknown default:
                self = .other("\(error)")
            }
        } catch {
            self = .other("\(error)")
        }
    }

    var description: String {
        switch self {
        case .value(let v): "value(\(v))"
        case .keyNotFound(let k, let p): "keyNotFound(\(k), \(p))"
        case .typeMismatch(let p): "typeMismatch(\(p))"
        case .valueNotFound(let p): "valueNotFound(\(p))"
        case .dataCorrupted: "dataCorrupted"
        case .other(let s): "other(\(s))"
        }
    }
}

/// Decodes `json` with both decoders; both outcomes, Foundation's first.
private func fjdBoth<T: Decodable & Equatable>(_ type: T.Type, _ json: String) -> (FJDOutcome<T>, FJDOutcome<T>) {
    let foundation = FJDOutcome { try JSONDecoder().decode(T.self, from: Data(json.utf8)) }
    let fast = FJDOutcome { try FastJSONDecoder.decode(T.self, from: json) }
    return (foundation, fast)
}

/// Both decoders agree on `json` (same value, or same kind of error with the same path).
private func fjdAgree<T: Decodable & Equatable>(_ type: T.Type, _ json: String,
                                                sourceLocation: SourceLocation = #_sourceLocation) {
    let (foundation, fast) = fjdBoth(type, json)
    #expect(fast == foundation, "\(T.self) from \(json.prefix(200).debugDescription)", sourceLocation: sourceLocation)
}

/// Encodes with Foundation and checks both decoders give the same value, and that it is `value`.
private func fjdRoundTrip<T: Codable & Equatable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let json = try fjdEncode(value)
    let foundation = try JSONDecoder().decode(T.self, from: Data(json.utf8))
    let fast = try FastJSONDecoder.decode(T.self, from: json)
    #expect(fast == foundation, "\(json.prefix(300))", sourceLocation: sourceLocation)
    #expect(fast == value, "\(json.prefix(300))", sourceLocation: sourceLocation)
}

// MARK: - Local test types

private struct FJDPrimitives: Codable, Equatable {
    var string: String
    var bool: Bool
    var int: Int
    var int8: Int8
    var int16: Int16
    var int32: Int32
    var int64: Int64
    var uint: UInt
    var uint8: UInt8
    var uint16: UInt16
    var uint32: UInt32
    var uint64: UInt64
    var float: Float
    var double: Double
    var optionalString: String?
    var optionalInt: Int?
    var optionalInt64: Int64?
    var optionalBool: Bool?
    var optionalDouble: Double?
    var optionalFloat: Float?
    var optionalUInt8: UInt8?
    var optionalInner: FJDInner?
}

private struct FJDInner: Codable, Hashable {
    var name: String
    var count: Int
    var tags: [String]
}

private enum FJDColor: String, Codable, Equatable {
    case red, green
    case darkBlue = "dark_blue"
}

private enum FJDShape: Codable, Equatable {
    case circle(radius: Double)
    case rect(Int, Int)
    case labeled(String, inner: FJDInner)
    case empty
    case nested(FJDColor?)
}

private struct FJDOuter: Codable, Equatable {
    var id: Int64
    var inner: FJDInner
    var inners: [FJDInner]
    var counts: [String: Int]
    var byNumber: [Int: String]
    var innerByName: [String: FJDInner]
    var matrix: [[Int]]
    var maybeInts: [Int?]
    var shapes: [FJDShape]
    var colors: [FJDColor]
    var color: FJDColor
    var date: Date
    var data: Data
    var url: URL
    var decimal: Decimal
    var set: Set<String>
    var empty: [String]
    var emptyObject: [String: Int]
}

private struct FJDKorean: Codable, Equatable {
    var name: String
    var amount: Int
    enum CodingKeys: String, CodingKey {
        case name = "이름"
        case amount = "금액"
    }
}

/// Uses the container API the synthesized code does not: nested and unkeyed containers, nil in
/// arrays, `superDecoder`, `count`/`isAtEnd`/`currentIndex`.
private struct FJDManual: Decodable, Equatable {
    var values: [Int?]
    var pairs: [[String]]
    var count: Int?
    var indexes: [Int]
    var parent: FJDInner
    var flag: Bool?
    var missingIsNil: Bool

    enum Keys: String, CodingKey { case values, pairs, parent, flag, missing, nested }
    enum NestedKeys: String, CodingKey { case a }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        var list = try c.nestedUnkeyedContainer(forKey: .values)
        count = list.count
        values = []
        indexes = []
        while !list.isAtEnd {
            indexes.append(list.currentIndex)
            if try list.decodeNil() {
                values.append(nil)
            } else {
                values.append(try list.decodeIfPresent(Int.self))
            }
        }
        var outer = try c.nestedUnkeyedContainer(forKey: .pairs)
        pairs = []
        while !outer.isAtEnd {
            var inner = try outer.nestedUnkeyedContainer()
            var pair: [String] = []
            while !inner.isAtEnd { pair.append(try inner.decode(String.self)) }
            pairs.append(pair)
        }
        parent = try FJDInner(from: try c.superDecoder(forKey: .parent))
        flag = try c.decodeIfPresent(Bool.self, forKey: .flag)
        missingIsNil = try c.decodeIfPresent(String.self, forKey: .missing) == nil && !c.contains(.missing)
        let nested = try c.nestedContainer(keyedBy: NestedKeys.self, forKey: .nested)
        indexes.append(try nested.decode(Int.self, forKey: .a))
    }
}

/// A value type decoded through a single-value container (like `BusinessDate`).
private struct FJDCode: Codable, Hashable {
    var raw: String
    init(_ raw: String) { self.raw = raw }
    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard text.hasPrefix("C") else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad code \(text)"))
        }
        raw = text
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(raw)
    }
}

private struct FJDCodes: Codable, Equatable {
    var primary: FJDCode
    var others: [FJDCode]
    var byKey: [String: FJDCode]
}

// MARK: - Tests

@Suite("FastJSONDecoder: same results as Foundation's JSONDecoder")
struct FastJSONDecoderTests {
    static let awkwardStrings = [
        "", "plain", "홍길동", "테스트건강보험 (무배당)", "say \"hi\"", "back\\slash", "a/b//c", "tab\there",
        "line\nbreak\r\n", "\u{0}\u{1}\u{8}\u{C}\u{1F}\u{7F}", "emoji 😀👍🏽🇰🇷", "\u{2028}\u{2029}", "é vs e\u{301}",
        "ends with backslash \\", "\"", "\\\"\\", String(repeating: "긴 문자열 ", count: 50),
    ]

    static let doubles: [Double] = [
        0, -0.0, 0.1, 1e-05, 123456.789, -1.5, 1, 3, 1e300, -1e-300, .leastNonzeroMagnitude, 2.2250738585072014e-308,
        1.7976931348623157e308, .pi, 0.30000000000000004, 9007199254740992, 9.007199254740994e15,
        1.2345678901234567e19, 1e22, 1e23, 123456789012345680, 0.000001, 1e-7, 4.35, 2460.0000000004,
    ]

    @Test("every primitive type, optionals present and absent")
    func primitives() throws {
        let full = FJDPrimitives(
            string: "홍길동 \"quoted\" \\ /", bool: true, int: Int.min, int8: Int8.min, int16: Int16.max, int32: Int32.min,
            int64: Int64.max, uint: UInt.max, uint8: UInt8.max, uint16: 0, uint32: UInt32.max, uint64: UInt64.max,
            float: 0.1, double: 123456.789, optionalString: "", optionalInt: -1, optionalInt64: Int64.min,
            optionalBool: false, optionalDouble: 1e-05, optionalFloat: -3.25, optionalUInt8: 7,
            optionalInner: FJDInner(name: "n", count: 2, tags: ["x"]))
        try fjdRoundTrip(full)
        var sparse = full
        sparse.optionalString = nil
        sparse.optionalInt = nil
        sparse.optionalInt64 = nil
        sparse.optionalBool = nil
        sparse.optionalDouble = nil
        sparse.optionalFloat = nil
        sparse.optionalUInt8 = nil
        sparse.optionalInner = nil
        sparse.int64 = Int64.min
        sparse.int = Int.max
        try fjdRoundTrip(sparse)
        // Explicit nulls decode as nil.
        let json = try fjdEncode(sparse).dropLast()
            + #","optionalString":null,"optionalInt":null,"optionalInt64":null,"optionalBool":null,"optionalDouble":null,"optionalFloat":null,"optionalUInt8":null,"optionalInner":null}"#
        let decoded = try FastJSONDecoder.decode(FJDPrimitives.self, from: String(json))
        #expect(decoded == sparse)
        fjdAgree(FJDPrimitives.self, String(json))
    }

    @Test("nested structs, arrays, dictionaries, enums with associated values, Foundation types")
    func nested() throws {
        let inner = FJDInner(name: "이름", count: 3, tags: ["a", "b", "한글"])
        let value = FJDOuter(
            id: -42, inner: inner,
            inners: [inner, FJDInner(name: "", count: 0, tags: []), FJDInner(name: "x\"y", count: Int.max, tags: ["\\"])],
            counts: ["a": 1, "b": -2, "zero": 0, "한글키": 5, "": 7], byNumber: [1: "one", -5: "minus five", 100: "백"],
            innerByName: ["first": inner], matrix: [[1, 2], [], [3]], maybeInts: [1, nil, 3, nil],
            shapes: [.circle(radius: 2.5), .rect(3, 4), .labeled("라벨", inner: inner), .empty, .nested(.darkBlue), .nested(nil)],
            colors: [.red, .green, .darkBlue], color: .darkBlue,
            date: Date(timeIntervalSinceReferenceDate: 123_456.5), data: Data([0, 1, 2, 250, 255]),
            url: URL(string: "https://example.com/a/b?c=d&e=한")!, decimal: Decimal(string: "12345.6789")!,
            set: ["x", "y", "z"], empty: [], emptyObject: [:])
        try fjdRoundTrip(value)
        try fjdRoundTrip([value, value])
        try fjdRoundTrip(["k": [inner]])
        try fjdRoundTrip(FJDShape.rect(Int.min, Int.max))
        try fjdRoundTrip(FJDCodes(primary: FJDCode("C1"), others: [FJDCode("C2"), FJDCode("C3")], byKey: ["k": FJDCode("C4")]))
    }

    @Test("strings: Korean, quotes, backslashes, control characters, emoji, escaped surrogate pairs")
    func strings() throws {
        for text in Self.awkwardStrings {
            try fjdRoundTrip(text)
            try fjdRoundTrip([text: text])
            try fjdRoundTrip(FJDInner(name: text, count: 1, tags: [text, text]))
        }
        let escaped = #""\u0041\u00e9\u00E9\uD83D\uDE00\ud83d\ude00 \" \\ \/ \b \f \n \r \t \u0000 \u001f \u2028 \uFFFF""#
        let expected = "Aéé😀😀 \" \\ / \u{8} \u{C} \n \r \t \u{0} \u{1F} \u{2028} \u{FFFF}"
        #expect(try FastJSONDecoder.decode(String.self, from: escaped) == expected)
        fjdAgree(String.self, escaped)
        // Escapes in keys are unescaped before keys are compared.
        fjdAgree(FJDInner.self, #"{"n\u0061me":"x","count":1,"tags":[]}"#)
        fjdAgree([String: Int].self, #"{"\uD55C":1,"a\"b":2,"c\\d":3}"#)
        #expect(try FastJSONDecoder.decode([String: Int].self, from: #"{"\uD55C":1}"#) == ["한": 1])
        // Non-ASCII keys, raw.
        try fjdRoundTrip(FJDKorean(name: "홍길동", amount: 2_460))
        fjdAgree(FJDKorean.self, #"{"\uc774\ub984":"x","금액":1}"#)
    }

    @Test("a string's first quote, escape, control or non-ASCII byte at every place of the eight-byte scan")
    func stringScanBoundaries() throws {
        // The scan reads eight bytes at a time and goes straight to the first special byte of
        // the word that holds one: each kind of special byte, after 0 to 17 plain ones, in a
        // value and in a key, must read as Foundation reads it (a raw control byte is refused).
        let specials = [#"\""#, #"\\"#, #"\n"#, #"\u00e9"#, "한", "😀", "é", "\u{1}", "\u{1F}", "~", " ", "\u{7F}"]
        for before in 0...17 {
            let plain = String(repeating: "a", count: before)
            for special in specials {
                for after in ["", "b", "bcdefghijk"] {
                    let text = plain + special + after
                    fjdAgree(String.self, "\"\(text)\"")
                    fjdAgree([String].self, "[\"\(text)\",\"\(text)\"]")
                    fjdAgree([String: Int].self, "{\"\(text)\":1,\"z\":2}")
                }
            }
            // The closing quote itself at each place, then more text in the input.
            fjdAgree([String].self, "[\"\(plain)\",\"\(plain)x\"]")
        }
    }

    @Test("integers: extremes, overflow, and fractions as Foundation reads them")
    func integers() throws {
        try fjdRoundTrip([Int64.min, Int64.max, 0, -1, 1])
        try fjdRoundTrip([UInt64.max, 0])
        try fjdRoundTrip([Int8.min, Int8.max])
        try fjdRoundTrip([Int32.min, Int32.max])
        #expect(try FastJSONDecoder.decode(Int64.self, from: "-9223372036854775808") == Int64.min)
        #expect(try FastJSONDecoder.decode(UInt64.self, from: "18446744073709551615") == UInt64.max)
        // Foundation accepts integral fractions and exponents for integers.
        #expect(try FastJSONDecoder.decode(Int.self, from: "1.0") == 1)
        #expect(try FastJSONDecoder.decode(Int.self, from: "1e2") == 100)
        #expect(try FastJSONDecoder.decode(UInt8.self, from: "2.55e2") == 255)
        let cases: [String] = [
            "1.0", "1e2", "1E+2", "1.5", "-0", "-0.0", "0.1e1", "100e-2", "1e-2", "1.00000000000000000001",
            "9007199254740993", "9007199254740993.0", "9007199254740993.5", "9.007199254740994e+15",
            "1.2345678901234567e+19", "1e20", "1e400", "9223372036854775807", "9223372036854775808",
            "-9223372036854775808", "-9223372036854775809", "-9223372036854775808.0", "18446744073709551615",
            "18446744073709551616", "123456789012345678901234567890", "01", "-01", "00", "1.", ".5", "-", "+1",
            "1e", "1e+", "--1", "1.2.3", "0x10", "\"1\"", "true", "null", "[1]", "{}",
        ]
        for json in cases {
            fjdAgree(Int.self, json)
            fjdAgree(Int64.self, json)
            fjdAgree(Int32.self, json)
            fjdAgree(Int8.self, json)
            fjdAgree(UInt.self, json)
            fjdAgree(UInt64.self, json)
            fjdAgree(UInt8.self, json)
            fjdAgree(Int?.self, json)
        }
    }

    @Test("doubles and floats: exact values, -0.0, overflow and underflow")
    func doubles() throws {
        for value in Self.doubles {
            try fjdRoundTrip(value)
            try fjdRoundTrip(-value)
            let json = try fjdEncode(value)
            let fast = try FastJSONDecoder.decode(Double.self, from: json)
            #expect(fast.bitPattern == value.bitPattern, "\(json)")
            fjdAgree(Float.self, json)
        }
        #expect(try FastJSONDecoder.decode(Double.self, from: "-0").sign == .minus)
        #expect(try FastJSONDecoder.decode(Double.self, from: "-0.0").sign == .minus)
        var random = SplitMix(seed: 7)
        for _ in 0..<2_000 {
            let value = Double(bitPattern: random.next())
            guard value.isFinite else { continue }
            let json = try fjdEncode(value)
            #expect(try FastJSONDecoder.decode(Double.self, from: json).bitPattern == value.bitPattern, "\(json)")
            let float = Float(bitPattern: UInt32(truncatingIfNeeded: random.next()))
            guard float.isFinite else { continue }
            let floatJSON = try fjdEncode(float)
            #expect(try FastJSONDecoder.decode(Float.self, from: floatJSON).bitPattern == float.bitPattern, "\(floatJSON)")
        }
        let cases = [
            "1e400", "-1e400", "1e-400", "0e-400", "0.0000", "5e-324", "2e-324", "1e-320", "1.7976931348623159e308",
            "123456789012345678901234567890", "0.1e1", "1E+2", "1.5e", "NaN", "Infinity", "-", "1.", "01", "\"1\"",
            "1e-46", "1e39", "3.4028235e38", "16777217", "0.30000000000000004", "100000000000000000000000e-5",
            "0.000000000000000000000000000000000000000000000001",
        ]
        for json in cases {
            fjdAgree(Double.self, json)
            fjdAgree(Float.self, json)
        }
    }

    @Test("the store's own types decode as Foundation decodes them")
    func projectTypes() throws {
        let customer = StoreFx.customer()
        var noEmail = StoreFx.customer("C00000002")
        noEmail.email = nil
        noEmail.occupationClass = nil
        noEmail.gender = .female
        try fjdRoundTrip(customer)
        try fjdRoundTrip(noEmail)
        try fjdRoundTrip(AlarmRecipient(customerNo: "C00000001", name: "김철수 \"철\"", phone: "010-1234-5678"))

        var plan = StoreFx.plan("PL00000001")
        plan.riders = [RiderSelection(code: "R001", sumInsured: 10_000_000), RiderSelection(code: "R002", sumInsured: 1)]
        plan.declineReasons = [PlanDeclineReason(code: "AGE", field: "birth_date", message: "가입 연령이 아닙니다 \"60세\"")]
        plan.documentNo = "DOC-1"
        let declined = StoreFx.plan("PL00000002", status: .declined)
        var unpriced = declined
        unpriced.premium = nil
        try fjdRoundTrip(plan)
        try fjdRoundTrip(declined)
        try fjdRoundTrip(unpriced)

        var proposal = StoreFx.proposal("PR00000001", plan: "PL00000001")
        try fjdRoundTrip(proposal)
        proposal.attempts = 2
        proposal.nextAttemptOn = StoreFx.d("2025-03-05")
        proposal.lastDecline = "한도 초과"
        proposal.policyNo = "PO00000001"
        proposal.establishedOn = StoreFx.d("2025-03-04")
        proposal.sumInsured = Int64.max
        try fjdRoundTrip(proposal)

        var withdrawal = Withdrawal(withdrawalNo: "WD00000001", requestId: "REQ-W1", proposalNo: "PR00000001",
                                    customerNo: "C00000001", requestedOn: StoreFx.d("2025-03-10"), reason: nil)
        try fjdRoundTrip(withdrawal)
        withdrawal.reason = "단순 변심"
        withdrawal.policyNo = "PO00000001"
        withdrawal.refundAmount = 2_460
        withdrawal.refundDueOn = StoreFx.d("2025-03-13")
        withdrawal.decidedOn = StoreFx.d("2025-03-10")
        withdrawal.rejectionReasons = ["기간 경과", "이미 철회됨"]
        try fjdRoundTrip(withdrawal)

        let outcomes = [
            RequestOutcome(requestId: "REQ-1", type: "customer.register", status: .processed, file: "requests.jsonl",
                           line: 3, customerNo: "C00000001"),
            RequestOutcome(requestId: "REQ-2", type: nil, status: .rejected, file: nil, line: nil,
                           errors: [FieldError(field: "customer.birth_date", reason: "not a date: \"1985-13-01\""),
                                    FieldError(field: "riders[1].code", reason: "unknown rider")]),
            RequestOutcome(requestId: "REQ-3", type: "plan.quote", status: .failed, file: "a.csv", line: 1,
                           errors: [], customerNo: "C1", planNo: "PL1", proposalNo: "PR1", withdrawalNo: "WD1"),
        ]
        for outcome in outcomes { try fjdRoundTrip(outcome) }

        let payloads: [EventPayload] = [
            .request(outcomes[1]), .customer(customer), .plan(plan), .proposal(proposal), .withdrawal(withdrawal),
        ]
        for payload in payloads { try fjdRoundTrip(payload) }
        try fjdRoundTrip(payloads)

        let quote = QuoteInput(customerNo: "C00000001", productCode: "P00000077", sumInsured: 20_000_000, termYears: 20,
                               payYears: 10, paymentFrequency: .annual,
                               riders: [RiderSelection(code: "R1", sumInsured: 5_000_000)], issueDocument: true)
        let account = PaymentInfo(instrument: .account(bankCode: "004", accountNo: "123-456"), holderName: "김철수")
        let requests = [
            Request(requestId: "R1", body: .customerRegister(customer)),
            Request(requestId: "R2", body: .planQuote(quote)),
            Request(requestId: "R3", body: .documentRequest(plan: .number("PL00000001"))),
            Request(requestId: "R4", body: .proposalSubmit(plan: .requestId("REQ-PL"), payment: StoreFx.card)),
            Request(requestId: "R5", body: .enrollmentApply(customer: noEmail, quote: quote, payment: account)),
            Request(requestId: "R6", body: .proposalWithdraw(proposal: .number("PR1"), requestedOn: StoreFx.d("2025-03-10"),
                                                             reason: nil)),
            Request(requestId: "R7", body: .proposalWithdraw(proposal: .requestId("REQ-PR"),
                                                             requestedOn: StoreFx.d("2024-02-29"), reason: "이유")),
        ]
        for request in requests { try fjdRoundTrip(request) }
        try fjdRoundTrip(requests)

        let breakdown = PremiumBreakdown(
            versionId: "P00000077-v1", premium: 2_460, frequency: .monthly, annualPremium: 29_520,
            components: [PremiumComponent(coverage: "main", name: "주계약", sumInsured: 20_000_000, rate: 0.123,
                                          per: 10_000, modalFactor: 0.0875, rawAmount: 2_152.5),
                         PremiumComponent(coverage: "R1", name: "특약", sumInsured: 5_000_000, rate: 1.0 / 3.0,
                                          per: 1_000, modalFactor: 1, rawAmount: 0.30000000000000004, method: "rate_table")],
            rawTotal: 2_152.8000000000002, rounding: Rounding(unit: 10, mode: .roundHalfUp),
            quote: PricedQuote(gender: .male, age: 33, termYears: 20, payYears: 20),
            writtenSteps: ["main: 20,000,000 / 10,000 × 0.123 = 246", "합계 2,460원"])
        try fjdRoundTrip(breakdown)
        var rendered = breakdown
        rendered.writtenSteps = nil
        rendered.components[1].rateKey = "M, age 33"
        try fjdRoundTrip(rendered)

        let json: JSONValue = .object([
            "s": .string("홍길동"), "i": .int(Int64.min), "d": .double(0.5), "b": .bool(true), "n": .null,
            "a": .array([.int(1), .string("x"), .array([]), .object([:])]), "o": .object(["k": .double(1e-05)]),
        ])
        try fjdRoundTrip(json)
        // The raw text of a dropped request line.
        let line = #"{"request_id":"REQ-1","type":"customer.register","customer":{"name":"홍길동","birth_date":"1985-01-10","gender":"M","occupation_class":1.0,"score":3.5,"tags":["a",null,true]}}"#
        fjdAgree(JSONValue.self, line)
    }

    @Test("errors: missing key, wrong type, null, overflow, malformed JSON")
    func errors() throws {
        let good = try fjdEncode(FJDInner(name: "n", count: 1, tags: ["t"]))
        // Missing key.
        let missing = #"{"name":"n","tags":[]}"#
        #expect {
            _ = try FastJSONDecoder.decode(FJDInner.self, from: missing)
        } throws: { error in
            guard case DecodingError.keyNotFound(let key, _) = error else { return false }
            return key.stringValue == "count"
        }
        fjdAgree(FJDInner.self, missing)
        // Wrong type, at a nested path.
        let wrong = #"{"id":1,"inners":[{"name":"a","count":1,"tags":[]},{"name":"b","count":"2","tags":[]}]}"#
        #expect {
            _ = try FastJSONDecoder.decode(FJDOuterLite.self, from: wrong)
        } throws: { error in
            guard case DecodingError.typeMismatch(_, let context) = error else { return false }
            return context.codingPath.map(\.stringValue) == ["inners", "Index 1", "count"]
                && context.codingPath[1].intValue == 1
        }
        fjdAgree(FJDOuterLite.self, wrong)
        fjdAgree(FJDOuterLite.self, #"{"id":1,"inners":[{"name":"a","count":1,"tags":[1]}]}"#)
        fjdAgree(FJDOuterLite.self, #"{"id":1,"inners":[{"name":"a","count":1,"tags":["x", null]}]}"#)
        fjdAgree(FJDOuterLite.self, #"{"id":1,"inners":{}}"#)
        fjdAgree(FJDOuterLite.self, #"{"id":1,"inners":null}"#)
        fjdAgree(FJDOuterLite.self, #"{"id":1,"inners":[null]}"#)
        fjdAgree(FJDOuterLite.self, #"{"id":null,"inners":[]}"#)
        fjdAgree(FJDOuterLite.self, #"[]"#)
        fjdAgree(FJDOuterLite.self, #"null"#)
        fjdAgree(FJDInner.self, #"{"name":1,"count":1,"tags":[]}"#)
        fjdAgree(FJDInner.self, #"{"name":null,"count":1,"tags":[]}"#)
        fjdAgree(FJDPrimitivesLite.self, #"{"flag":1}"#)
        fjdAgree(FJDPrimitivesLite.self, #"{"flag":null}"#)
        fjdAgree(FJDPrimitivesLite.self, #"{"flag":"true"}"#)
        fjdAgree(FJDShape.self, #"{"circle":{"radius":1},"empty":{}}"#)
        fjdAgree(FJDShape.self, #"{"square":{}}"#)
        fjdAgree(FJDShape.self, #"{"rect":{"_0":1}}"#)
        fjdAgree(FJDColor.self, #""blue""#)
        fjdAgree(FJDCodes.self, #"{"primary":"X1","others":[],"byKey":{}}"#)
        fjdAgree(FJDCodes.self, #"{"primary":"C1","others":["C2","X"],"byKey":{}}"#)
        fjdAgree(FJDCodes.self, #"{"primary":"C1","others":[],"byKey":{"k":"bad"}}"#)
        fjdAgree(Customer.self, try fjdEncode(StoreFx.customer()).replacingOccurrences(of: "1985-01-10", with: "1985-13-10"))
        fjdAgree(AlarmRecipient.self, #"{"customerNo":"C1","name":"김"}"#)
        fjdAgree(AlarmRecipient.self, #"{"customerNo":"C1","name":null,"phone":"010"}"#)
        fjdAgree(Data.self, #""not base64!""#)
        fjdAgree(Data.self, "1")
        fjdAgree(URL.self, #""""#)
        fjdAgree(Decimal.self, #""1""#)
        fjdAgree(Decimal.self, "1.25")

        // Overflow.
        for (json, decode) in [
            ("128", { try FastJSONDecoder.decode(Int8.self, from: "128") as Any }),
            ("9223372036854775808", { try FastJSONDecoder.decode(Int64.self, from: "9223372036854775808") as Any }),
            ("-1", { try FastJSONDecoder.decode(UInt.self, from: "-1") as Any }),
            ("1.5", { try FastJSONDecoder.decode(Int.self, from: "1.5") as Any }),
            ("1e400", { try FastJSONDecoder.decode(Double.self, from: "1e400") as Any }),
        ] as [(String, () throws -> Any)] {
            #expect(throws: DecodingError.self, "\(json)") { try decode() }
            #expect {
                try decode()
            } throws: { error in
                if case DecodingError.dataCorrupted = error { return true }
                return false
            }
        }
        #expect {
            _ = try FastJSONDecoder.decode([String: Int32].self, from: #"{"a":1,"b":2147483648}"#)
        } throws: { error in
            guard case DecodingError.dataCorrupted(let context) = error else { return false }
            return context.codingPath.map(\.stringValue) == ["b"] && context.debugDescription.contains("2147483648")
        }

        // Malformed JSON: truncated, trailing garbage, bad escapes, bad structure.
        let malformed = [
            "", " ", String(good.dropLast()), String(good.dropLast(5)), good + "x", good + " }", good + good,
            #""\x""#, #""\u12""#, #""\u12G4""#, #""\uD800""#, #""\uDC00""#, #""\uD83D\u0041""#, #""\uDE00\uD83D""#,
            "\"a\tb\"", "\"abc", "[1 2]", "[1,,2]", "[,1]", "[,]", "{,}", #"{"a" 1}"#, #"{1:1}"#, #"{"a":1"#, "[1",
            "[1,2]]", "tru", "nul", "truex", "true1", "[1]\u{0}", "{\"a\":1}}", "\u{FEFF}", "[01]", "[-]", "[1.]",
            #"{"a":"b"]"#, #"["a":1]"#, "[\"\\", "'a'", "[true false]", "{\"a\":tru}", "[nan]",
        ]
        for json in malformed {
            #expect(throws: DecodingError.self, "\(json.debugDescription)") {
                _ = try FastJSONDecoder.decode(JSONValue.self, from: json)
            }
            fjdAgree(JSONValue.self, json)
            fjdAgree(String.self, json)
            fjdAgree([Int].self, json)
        }
        #expect {
            _ = try FastJSONDecoder.decode([String].self, from: #"["ok", "bad \q escape"]"#)
        } throws: { error in
            guard case DecodingError.dataCorrupted(let context) = error else { return false }
            return context.debugDescription.contains("byte offset 12") && context.codingPath.map(\.stringValue) == ["Index 1"]
        }
        #expect {
            _ = try FastJSONDecoder.decode([Int].self, from: "[1, 2, 3] x")
        } throws: { error in
            guard case DecodingError.dataCorrupted(let context) = error else { return false }
            return context.debugDescription.contains("byte offset 10")
        }
        // Invalid UTF-8 in a decoded string.
        for bad: [UInt8] in [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80]] {
            let bytes = Array("[\"a".utf8) + bad + Array("\"]".utf8)
            #expect(throws: DecodingError.self) {
                _ = try bytes.withUnsafeBytes { try FastJSONDecoder.decode([String].self, from: $0) }
            }
            let foundation = FJDOutcome { try JSONDecoder().decode([String].self, from: Data(bytes)) }
            let fast = FJDOutcome { try bytes.withUnsafeBytes { try FastJSONDecoder.decode([String].self, from: $0) } }
            #expect(fast == foundation)
        }
    }

    @Test("Foundation's quirks: trailing commas, duplicate keys, lazy checks, nesting limit, BOM, Unicode keys")
    func quirks() throws {
        for json in ["[1,]", "[1, ]", "[[1,],]", "[1 ,]", #"{"a":1,}"#, #"{"a":1 , }"#, "[1,,]", "[]", "{}", " [ ] "] {
            fjdAgree([Int].self, json)
            fjdAgree([String: Int].self, json)
            fjdAgree(JSONValue.self, json)
        }
        // Duplicate keys: the first one wins, also when decoding in another order.
        fjdAgree([String: Int].self, #"{"a":1,"a":2}"#)
        fjdAgree([String: Int].self, #"{"b":0,"a":1,"c":3,"a":2}"#)
        fjdAgree(FJDInner.self, #"{"tags":[],"count":1,"name":"first","count":2,"name":"second"}"#)
        #expect(try FastJSONDecoder.decode(FJDInner.self, from: #"{"tags":[],"count":1,"name":"a","count":2}"#).count == 1)
        fjdAgree([String: Int].self, #"{"\u0061":1,"a":2}"#)
        // Keys are compared as Strings: canonically equivalent keys are the same key.
        fjdAgree([String: Int].self, "{\"e\u{301}\":1,\"\u{E9}\":2}")
        fjdAgree(FJDKelvin.self, "{\"\u{212A}\":1}")
        fjdAgree(FJDKelvin.self, "{\"x\":0,\"\u{212A}\":1,\"K\":2}")
        fjdAgree(FJDKorean.self, "{\"\u{110B}\u{1175}\u{1105}\u{1173}\u{11B7}\":\"decomposed\",\"금액\":1}")
        // Values that are never decoded are not checked (Foundation checks them lazily too).
        for json in [#"{"count":1,"name":"n","tags":[],"x":01}"#, #"{"count":1,"name":"n","tags":[],"x":"\q"}"#,
                     "{\"count\":1,\"name\":\"n\",\"tags\":[],\"x\":\"\u{1}\"}", #"{"count":1,"name":"n","tags":[],"x":-}"#,
                     #"{"count":1,"name":"n","tags":[],"x":1.}"#] {
            fjdAgree(FJDInner.self, json)
        }
        // ...but a \u escape needs four more bytes, none of them a quote, even there.
        for json in [#"{"count":1,"name":"n","tags":[],"x":"\u12"}"#, #"{"count":1,"name":"n","tags":[],"x":"\u12G4"}"#,
                     #"{"count":1,"name":"n","tags":[],"x":"\uD800"}"#, #"{"count":1,"name":"n","tags":[],"x":"\u"}"#] {
            fjdAgree(FJDInner.self, json)
        }
        // Nesting: 512 levels are fine, 513 are not.
        for depth in [511, 512, 513] {
            let json = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            fjdAgree(JSONValue.self, json)
            fjdAgree(FJDNest.self, json)
        }
        // A UTF-8 byte order mark is skipped.
        fjdAgree(Int.self, "\u{FEFF}1")
        fjdAgree([String].self, "\u{FEFF} [\"a\"]")
        // Whitespace of every JSON kind, and no other.
        fjdAgree([Int].self, " \t\r\n[ 1 ,\n\t2\r] \n")
        fjdAgree([Int].self, "\u{0B}[1]")
        fjdAgree([Int].self, "[1]\u{A0}")
        // Top-level scalars.
        fjdAgree(Int.self, "42")
        fjdAgree(Bool.self, " true ")
        fjdAgree(String?.self, "null")
        fjdAgree(Double.self, "-0")
        // Manual container use.
        let manual = #"{"values":[1,null,3,null],"pairs":[["a","b"],[],["c"]],"parent":{"name":"p","count":1,"tags":[]},"flag":null,"nested":{"a":9}}"#
        fjdAgree(FJDManual.self, manual)
        let decoded = try FastJSONDecoder.decode(FJDManual.self, from: manual)
        #expect(decoded.values == [1, nil, 3, nil])
        #expect(decoded.count == 4)
        #expect(decoded.indexes == [0, 1, 2, 3, 9])
        #expect(decoded.pairs == [["a", "b"], [], ["c"]])
        #expect(decoded.missingIsNil)
        fjdAgree(FJDManual.self, #"{"values":[],"pairs":[[1]],"parent":{},"nested":{"a":1}}"#)
        fjdAgree(FJDManual.self, #"{"values":[],"pairs":[],"nested":{"a":1}}"#)
        fjdAgree(FJDManual.self, #"{"values":[],"pairs":[],"parent":{"name":"p","count":1,"tags":[]},"nested":[]}"#)
        fjdAgree(FJDUnkeyedPastEnd.self, "[1]")
        fjdAgree(FJDUnkeyedPastEnd.self, "[1,2]")
    }

    @Test("decode(from: bytes) reads the same as decode(from: text)")
    func bytes() throws {
        let json = try fjdEncode(StoreFx.plan("PL00000009"))
        let fromBytes = try Array(json.utf8).withUnsafeBytes { try FastJSONDecoder.decode(Plan.self, from: $0) }
        #expect(fromBytes == StoreFx.plan("PL00000009"))
        let data = Data(("\u{FEFF}" + json).utf8)
        let withBOM = try data.withUnsafeBytes { try FastJSONDecoder.decode(Plan.self, from: $0) }
        #expect(withBOM == fromBytes)
        // A slice in the middle of a larger buffer: nothing past its end is read.
        let padded = Array("xx".utf8) + Array("[12345".utf8)
        #expect(throws: DecodingError.self) {
            _ = try padded.withUnsafeBytes { try FastJSONDecoder.decode([Int].self, from: UnsafeRawBufferPointer(rebasing: $0[2...])) }
        }
        let number = Array("1234567".utf8)
        #expect(try number.withUnsafeBytes { try FastJSONDecoder.decode(Int.self, from: UnsafeRawBufferPointer(rebasing: $0[0..<3])) } == 123)
        #expect(try number.withUnsafeBytes { try FastJSONDecoder.decode(Double.self, from: UnsafeRawBufferPointer(rebasing: $0[0..<3])) } == 123)
    }

    @Test("concurrent decodes share nothing")
    func concurrent() throws {
        let plans = (0..<50).map { StoreFx.plan(String(format: "PL%08d", $0)) }
        let texts = try plans.map(fjdEncode)
        let failures = FJDCounter()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for round in 0..<200 {
                let index = (worker * 7 + round) % texts.count
                if (try? FastJSONDecoder.decode(Plan.self, from: texts[index])) != plans[index] {
                    failures.increment()
                }
            }
        }
        #expect(failures.value == 0)
    }

    @Test("random JSONValue trees decode as Foundation decodes them")
    func randomTrees() throws {
        var random = SplitMix(seed: 0x5EED_2025)
        let keyPool = ["a", "b", "id", "name", "이름", "금액", "x_y", "", "with space", "quote\"", "back\\", "emoji😀", "K",
                       "customer_no", "sum_insured", "\u{1}", "e\u{301}", "\u{E9}"]
        let charPool: [String] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1F}", "\u{7F}", "홍", "길",
                                  "동", "😀", "🇰🇷", "é", "e\u{301}", "\u{2028}", "\u{FFFD}", "<", "&"]

        func string() -> String {
            (0..<random.below(12)).map { _ in random.pick(charPool) }.joined()
        }

        func number() -> JSONValue {
            switch random.below(8) {
            case 0: return .int(Int64(bitPattern: random.next()))
            case 1: return .int(Int64(random.below(2_000)) - 1_000)
            case 2: return .int(random.pick([Int64.min, Int64.max, 0, -1, 1 << 53, (1 << 53) + 1]))
            case 3:
                let value = Double(bitPattern: random.next())
                return .double(value.isFinite ? value : 0.5)
            case 4: return .double(Double(random.below(1_000_000)) / 1_000)
            case 5: return .double(random.pick([0.1, 1e-05, 123456.789, -0.0, 1e300, .leastNonzeroMagnitude, 9.007199254740994e15, 1e22,
                                                 1.2345678901234567e19, -9.223372036854776e18, 0.30000000000000004]))
            case 6: return .double(Double(random.below(100)) * pow(10, Double(random.below(40) - 20)))
            default: return .double(Double(Int64(bitPattern: random.next()) >> random.below(60)))
            }
        }

        func tree(_ depth: Int) -> JSONValue {
            let kind = depth > 4 ? random.below(4) : random.below(7)
            switch kind {
            case 0: return .null
            case 1: return .bool(random.below(2) == 0)
            case 2: return number()
            case 3: return .string(string())
            case 4, 5:
                return .array((0..<random.below(6)).map { _ in tree(depth + 1) })
            default:
                var object: [String: JSONValue] = [:]
                for _ in 0..<random.below(8) {
                    object[random.below(3) == 0 ? string() : random.pick(keyPool)] = tree(depth + 1)
                }
                return .object(object)
            }
        }

        var compared = 0
        for _ in 0..<400 {
            let value = tree(0)
            let json = try fjdEncode(value)
            let foundation = FJDOutcome { try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)) }
            let fast = FJDOutcome { try FastJSONDecoder.decode(JSONValue.self, from: json) }
            #expect(fast == foundation, "\(json.prefix(500))")
            // Also as [String: JSONValue] / [JSONValue] where the top level allows it.
            if case .object = value { fjdAgree([String: JSONValue].self, json) }
            if case .array = value { fjdAgree([JSONValue].self, json) }
            compared += 1
        }
        #expect(compared == 400)
    }
}

// MARK: - More local types

private struct FJDOuterLite: Codable, Equatable {
    var id: Int
    var inners: [FJDInner]
}

private struct FJDPrimitivesLite: Codable, Equatable {
    var flag: Bool
}

private struct FJDKelvin: Codable, Equatable {
    var value: Int
    enum CodingKeys: String, CodingKey { case value = "K" }
}

/// Nested arrays to any depth.
private struct FJDNest: Decodable, Equatable {
    var depth: Int
    init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        depth = c.isAtEnd ? 1 : try c.decode(FJDNest.self).depth + 1
    }
}

/// Reads past the end of an unkeyed container.
private struct FJDUnkeyedPastEnd: Decodable, Equatable {
    var values: [Int?]
    init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        values = [try c.decodeIfPresent(Int.self), try c.decodeIfPresent(Int.self), try c.decodeIfPresent(Int.self)]
        values.append(c.currentIndex)
        values.append(try c.decode(Int.self))
    }
}

private final class FJDCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
