import EzCore

/// A deterministic generator of realistic requests for benchmarks and load tests: the same
/// catalog, business date, seed and count give the same lines.
///
/// Mix (per line): about 82% `enrollment.apply` across every product on sale (ages drawn over
/// the entry ages, valid terms and sums insured; about 5% with a declining card, about 4% that
/// underwriting declines), 6% `plan.quote` for an earlier customer, 6% `proposal.withdraw` of
/// an earlier application (requested on the current day: inside the window, or outside it when
/// the application was generated for a day more than 15 days earlier, see `startDay`), 2% exact
/// duplicate lines and 2%
/// bad lines (broken JSON, impossible dates, unknown types, missing fields). CSV output holds
/// the applications only (and the bad rows), as agencies send them.
public struct RequestGenerator {
    public enum Format: String, Sendable { case jsonl, csv }

    private var rng: SplitMix64
    private let products: [ProductVersion]
    private var asOf: BusinessDate
    private let format: Format
    private var index = 0
    private var applied: [(requestId: String, customerNo: String, day: BusinessDate)] = []
    private var recentLines: [String] = []
    private let prefix: String

    static let familyNames = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권", "황", "안", "송", "류", "홍"]
    static let givenNames = ["민준", "서연", "지훈", "유나", "하준", "도윤", "서아", "지민", "세훈", "수빈", "현우", "예은", "준서", "하은", "건우", "지아", "우진", "채원", "시우", "다은"]

    public init(catalog: ProductCatalog, asOf: BusinessDate, seed: UInt64, format: Format, prefix: String = "GEN") {
        rng = SplitMix64(seed: seed)
        products = catalog.products.compactMap { catalog.version(code: $0, on: asOf) }
        self.asOf = asOf
        self.format = format
        self.prefix = prefix
    }

    /// Moves on to the next business day: the following lines are requests of `day`, and
    /// withdrawals may now name applications of earlier days (more than 15 days back, they
    /// fall outside the withdrawal window and are rejected).
    public mutating func startDay(_ day: BusinessDate) {
        asOf = day
        recentLines.removeAll()
    }

    /// The CSV header (CSV format only).
    public static let csvHeader = "request_id,customer.customer_no,customer.name,customer.birth_date,customer.gender,customer.phone,customer.occupation_class,product_code,sum_insured,term_years,pay_years,payment_frequency,payment.method,payment.card_token,payment.bank_code,payment.account_no,payment.holder_name"

    /// The next line (without newline).
    public mutating func next() -> String {
        index += 1
        let roll = rng.unit()
        let line: String
        if roll < 0.02 {
            line = badLine()
        } else if roll < 0.04, let earlier = recentLines.randomElement(using: &rng) {
            line = earlier
        } else if format == .jsonl && roll < 0.10 && !applied.isEmpty {
            line = quote()
        } else if format == .jsonl && roll < 0.16 && !applied.isEmpty {
            line = withdraw()
        } else {
            line = apply()
        }
        if recentLines.count < 64 { recentLines.append(line) } else { recentLines[index % 64] = line }
        return line
    }

    private var requestId: String { "\(prefix)-\(asOf.year)\(pad(asOf.month, 2))\(pad(asOf.day, 2))-\(pad(index, 8))" }

    private mutating func apply() -> String {
        let product = products[rng.below(products.count)]
        let term = product.terms[rng.below(product.terms.count)]
        let declineByAge = rng.unit() < 0.04
        let maxAge = min(product.entryAge.upperBound, product.maxExpiryAge - term.termYears)
        let age = declineByAge ? product.entryAge.upperBound + 1 + rng.below(10)
            : product.entryAge.lowerBound + rng.below(max(1, maxAge - product.entryAge.lowerBound + 1))
        let birth = BusinessDate(year: asOf.year - age, month: 1 + rng.below(12), day: 1 + rng.below(28))!
        let steps = Int((product.sumInsured.max - product.sumInsured.min) / product.sumInsured.step)
        let si = product.sumInsured.min + Int64(rng.below(max(1, min(steps, 20)) + 1)) * product.sumInsured.step
        let customerNo = "C" + pad(index, 9)
        let name = Self.familyNames[rng.below(20)] + Self.givenNames[rng.below(20)]
        let gender = rng.below(2) == 0 ? "M" : "F"
        let phone = "010-\(1000 + rng.below(9000))-\(1000 + rng.below(9000))"
        let occupation = 1 + rng.below(product.underwriting.maxOccupationClass)
        let frequency = product.paymentFrequencies.contains(.annual) && rng.unit() < 0.15 ? "annual" : "monthly"
        let account = rng.unit() < 0.05
        let token = rng.unit() < 0.05 ? "tok_decline_\(index)" : "tok_visa_\(index)"
        applied.append((requestId, customerNo, asOf))
        if format == .csv {
            return [requestId, customerNo, name, birth.description, gender, phone, String(occupation), product.code,
                    String(si), String(term.termYears), String(term.payYears), frequency, account ? "account" : "card",
                    account ? "" : token, account ? "088" : "", account ? "1101\(pad(index, 8))" : "", name]
                .joined(separator: ",")
        }
        let payment = account
            ? "{\"method\":\"account\",\"bank_code\":\"088\",\"account_no\":\"1101\(pad(index, 8))\",\"holder_name\":\"\(name)\"}"
            : "{\"method\":\"card\",\"card_token\":\"\(token)\",\"holder_name\":\"\(name)\"}"
        return "{\"request_id\":\"\(requestId)\",\"type\":\"enrollment.apply\",\"customer\":{\"customer_no\":\"\(customerNo)\",\"name\":\"\(name)\",\"birth_date\":\"\(birth)\",\"gender\":\"\(gender)\",\"phone\":\"\(phone)\",\"occupation_class\":\(occupation)},\"product_code\":\"\(product.code)\",\"sum_insured\":\(si),\"term_years\":\(term.termYears),\"pay_years\":\(term.payYears),\"payment_frequency\":\"\(frequency)\",\"payment\":\(payment)}"
    }

    private mutating func quote() -> String {
        let earlier = applied[rng.below(applied.count)]
        let product = products[rng.below(products.count)]
        let term = product.terms[rng.below(product.terms.count)]
        return "{\"request_id\":\"\(requestId)\",\"type\":\"plan.quote\",\"customer_no\":\"\(earlier.customerNo)\",\"product_code\":\"\(product.code)\",\"sum_insured\":\(product.sumInsured.min),\"term_years\":\(term.termYears),\"pay_years\":\(term.payYears),\"issue_document\":true}"
    }

    private mutating func withdraw() -> String {
        // Half of the withdrawals name an application of an earlier day, when there is one.
        let older = applied.firstIndex { $0.day == asOf } ?? applied.count
        let earlier = older > 0 && rng.below(2) == 0 ? applied[rng.below(older)] : applied[rng.below(applied.count)]
        return "{\"request_id\":\"\(requestId)\",\"type\":\"proposal.withdraw\",\"proposal_request_id\":\"\(earlier.requestId)\",\"requested_on\":\"\(asOf)\",\"reason\":\"단순 변심\"}"
    }

    private mutating func badLine() -> String {
        switch (rng.below(4), format) {
        case (_, .csv): return "\(requestId),C1,이름,1990-02-30,X,02-123,9,P1,abc,,,weekly,cash,,,,"
        case (0, _): return "{\"request_id\":\"\(requestId)\",\"type\":\"plan.quote\", broken"
        case (1, _): return "{\"request_id\":\"\(requestId)\",\"type\":\"customer.register\",\"customer\":{\"customer_no\":\"C1\",\"name\":\"오류\",\"birth_date\":\"1990-02-30\",\"gender\":\"M\",\"phone\":\"010-1234-5678\"}}"
        case (2, _): return "{\"request_id\":\"\(requestId)\",\"type\":\"plan.estimate\"}"
        default: return "{\"request_id\":\"\(requestId)\",\"type\":\"plan.quote\",\"customer_no\":\"C1\"}"
        }
    }

    private func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

/// SplitMix64: a small, fast, seedable generator (Steele, Lea & Flood 2014), so generated
/// inputs are the same on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
}
