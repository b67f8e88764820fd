/// Underwriting (인수조건 체크): checks a plan against its product version's rules.
///
/// EVERY rule is evaluated and EVERY failing one is reported; nothing stops at the first
/// failure. `verdicts(_:)` returns each rule with its verdict (for `explain`); `evaluate(_:)`
/// returns the decline reasons of the failing ones (empty = accepted).
///
/// Rules, in order (`rules`), with their decline codes:
/// - `product`: the quote's product code is the version's (`PRODUCT_MISMATCH`)
/// - `payment_frequency`: the frequency is offered (`PAYMENT_FREQUENCY`)
/// - `entry_age`: insurance age within the entry ages (`ENTRY_AGE`)
/// - `term`: the (term, pay) pair is offered (`TERM_NOT_ALLOWED`)
/// - `expiry_age`: insurance age + term ≤ maximum age at expiry (`EXPIRY_AGE`)
/// - `sum_insured_min`, `sum_insured_max`, `sum_insured_step` (`SUM_INSURED_MIN`/`_MAX`/`_STEP`)
/// - `aggregate_sum_insured`: existing + this plan's main sum insured ≤ the per-customer
///   limit (`AGGREGATE_SUM_INSURED`); riders do not count toward it
/// - `occupation_class`: stated when required (`OCCUPATION_CLASS_MISSING`), and 1 … max
///   (`OCCUPATION_CLASS`)
/// - per selected rider `i` (suffix `[code]`): `rider_known` (`RIDER_UNKNOWN`),
///   `rider_unique` (`RIDER_DUPLICATE`), `rider_sum_insured_min`/`_max`/`_step`
///   (`RIDER_SUM_INSURED_MIN`/`_MAX`/`_STEP`), `rider_entry_age` (`RIDER_ENTRY_AGE`).
///   The sum-insured and age rules of an unknown rider are not evaluated (nothing to check
///   against); its `rider_known` failure is reported.
public enum Underwriter {
    /// Names of the plan-level rules in evaluation order; rider rules follow per rider.
    public static let rules: [String] = [
        "product", "payment_frequency", "entry_age", "term", "expiry_age",
        "sum_insured_min", "sum_insured_max", "sum_insured_step", "aggregate_sum_insured",
        "occupation_class",
    ]
    /// Names of the rules evaluated for each selected rider, in order.
    public static let riderRules: [String] = [
        "rider_known", "rider_unique", "rider_sum_insured_min", "rider_sum_insured_max",
        "rider_sum_insured_step", "rider_entry_age",
    ]

    /// The decline reasons of every failing rule; empty when the plan is accepted.
    public static func evaluate(_ input: UnderwritingInput) -> [DeclineReason] {
        verdicts(input, details: false).compactMap(\.reason)
    }

    /// Every rule with its verdict, in evaluation order.
    public static func verdicts(_ input: UnderwritingInput) -> [RuleVerdict] {
        verdicts(input, details: true)
    }

    /// `details`: whether each verdict's detail is written. `explain` shows them; a quote keeps
    /// only the reasons, and formatting every rule's figures for it was six sevenths of the
    /// rules' cost.
    private static func verdicts(_ input: UnderwritingInput, details: Bool) -> [RuleVerdict] {
        let v = input.version, q = input.quote, age = input.insuranceAge.years
        let term = TermOption(termYears: q.termYears, payYears: q.payYears)
        typealias T = CatalogText
        var out: [RuleVerdict] = []

        func check(_ rule: String, _ passed: Bool, _ detail: @autoclosure () -> String,
                   _ code: String, _ field: String, _ message: @autoclosure () -> String) {
            out.append(RuleVerdict(rule: rule, passed: passed, detail: details ? detail() : "",
                                   reason: passed ? nil : DeclineReason(code: code, message: message(), field: field)))
        }

        check("product", q.productCode == v.code,
              "quote product \(q.productCode), version \(v.versionId)",
              "PRODUCT_MISMATCH", "product_code",
              "요청 상품코드(\(q.productCode))가 상품(\(v.code) \(v.name))과 다릅니다")

        let freqs = v.paymentFrequencies
        check("payment_frequency", freqs.contains(q.paymentFrequency),
              "\(q.paymentFrequency.rawValue) in [\(freqs.map(\.rawValue).joined(separator: ", "))]",
              "PAYMENT_FREQUENCY", "payment_frequency",
              "납입주기(\(T.korean(q.paymentFrequency)))는 이 상품에서 선택할 수 없습니다"
                + "(가능: \(freqs.map(T.korean).joined(separator: ", ")))")

        check("entry_age", v.entryAge.contains(age),
              "insurance age \(age) within \(v.entryAge.lowerBound)..\(v.entryAge.upperBound)",
              "ENTRY_AGE", "birth_date",
              "가입나이(\(age)세)가 가입가능나이(\(v.entryAge.lowerBound)~\(v.entryAge.upperBound)세)를 벗어났습니다")

        check("term", v.terms.contains(term),
              "term/pay \(term) in [\(v.terms.map(\.description).joined(separator: ", "))]",
              "TERM_NOT_ALLOWED", "term_years",
              "보험기간 \(term.termYears)년/납입기간 \(term.payYears)년은 선택할 수 없습니다"
                + "(가능: \(v.terms.map { "\($0.termYears)년/\($0.payYears)년" }.joined(separator: ", ")))")

        let expiry = age + q.termYears
        check("expiry_age", expiry <= v.maxExpiryAge,
              "age at expiry \(age) + \(q.termYears) = \(expiry) <= \(v.maxExpiryAge)",
              "EXPIRY_AGE", "term_years",
              "만기나이(\(expiry)세)가 최대만기나이(\(v.maxExpiryAge)세)를 초과합니다")

        let si = q.sumInsured, rule = v.sumInsured
        check("sum_insured_min", si >= rule.min,
              "sum insured \(T.grouped(si)) >= \(T.grouped(rule.min))",
              "SUM_INSURED_MIN", "sum_insured",
              "가입금액(\(T.won(si)))이 최저가입금액(\(T.won(rule.min)))보다 적습니다")
        check("sum_insured_max", si <= rule.max,
              "sum insured \(T.grouped(si)) <= \(T.grouped(rule.max))",
              "SUM_INSURED_MAX", "sum_insured",
              "가입금액(\(T.won(si)))이 최고가입금액(\(T.won(rule.max)))을 초과합니다")
        check("sum_insured_step", rule.step > 0 && si % rule.step == 0,
              "sum insured \(T.grouped(si)) is a multiple of \(T.grouped(rule.step))",
              "SUM_INSURED_STEP", "sum_insured",
              "가입금액(\(T.won(si)))은 \(T.won(rule.step)) 단위로만 가입할 수 있습니다")

        let existing = input.existingAggregateSumInsured
        let (total, overflow) = existing.addingReportingOverflow(si)
        let limit = v.underwriting.maxAggregateSumInsured
        check("aggregate_sum_insured", !overflow && total <= limit,
              "existing \(T.grouped(existing)) + this \(T.grouped(si)) = \(T.grouped(total)) <= \(T.grouped(limit))",
              "AGGREGATE_SUM_INSURED", "sum_insured",
              "기존 가입금액(\(T.won(existing)))과 이번 가입금액(\(T.won(si)))의 합계(\(T.won(total)))가 "
                + "1인당 가입한도(\(T.won(limit)))를 초과합니다")

        let maxClass = v.underwriting.maxOccupationClass
        switch input.occupationClass {
        case nil:
            let required = v.underwriting.requireOccupationClass
            check("occupation_class", !required,
                  required ? "occupation class missing, required by the product"
                           : "occupation class not stated, not required",
                  "OCCUPATION_CLASS_MISSING", "occupation_class",
                  "이 상품은 직업급수 확인이 필요합니다(직업급수가 입력되지 않았습니다)")
        case let cls?:
            check("occupation_class", (1...maxClass).contains(cls),
                  "occupation class \(cls) within 1..\(maxClass)",
                  "OCCUPATION_CLASS", "occupation_class",
                  cls < 1 ? "직업급수(\(cls))가 올바르지 않습니다(1~5급)"
                          : "직업급수(\(cls)급)가 가입가능 직업급수(\(maxClass)급 이하)를 초과합니다")
        }

        var seen = Set<String>()
        for (i, selection) in q.riders.enumerated() {
            let code = selection.code, tag = "[\(code)]"
            let codeField = "riders[\(i)].code", siField = "riders[\(i)].sum_insured"
            let spec = v.rider(code: code)
            check("rider_known" + tag, spec != nil,
                  "rider \(code) offered by \(v.versionId)",
                  "RIDER_UNKNOWN", codeField,
                  "특약코드(\(code))는 이 상품에 없는 특약입니다")
            let first = seen.insert(code).inserted
            check("rider_unique" + tag, first,
                  first ? "rider \(code) selected once" : "rider \(code) selected more than once",
                  "RIDER_DUPLICATE", codeField,
                  "특약(\(code)\(spec.map { " \($0.name)" } ?? ""))이 중복 선택되었습니다")
            guard let spec else { continue }
            let rsi = selection.sumInsured, rr = spec.sumInsured
            check("rider_sum_insured_min" + tag, rsi >= rr.min,
                  "rider \(code) sum insured \(T.grouped(rsi)) >= \(T.grouped(rr.min))",
                  "RIDER_SUM_INSURED_MIN", siField,
                  "\(spec.name) 가입금액(\(T.won(rsi)))이 최저가입금액(\(T.won(rr.min)))보다 적습니다")
            check("rider_sum_insured_max" + tag, rsi <= rr.max,
                  "rider \(code) sum insured \(T.grouped(rsi)) <= \(T.grouped(rr.max))",
                  "RIDER_SUM_INSURED_MAX", siField,
                  "\(spec.name) 가입금액(\(T.won(rsi)))이 최고가입금액(\(T.won(rr.max)))을 초과합니다")
            check("rider_sum_insured_step" + tag, rr.step > 0 && rsi % rr.step == 0,
                  "rider \(code) sum insured \(T.grouped(rsi)) is a multiple of \(T.grouped(rr.step))",
                  "RIDER_SUM_INSURED_STEP", siField,
                  "\(spec.name) 가입금액(\(T.won(rsi)))은 \(T.won(rr.step)) 단위로만 가입할 수 있습니다")
            let ages = spec.entryAge ?? v.entryAge
            check("rider_entry_age" + tag, ages.contains(age),
                  "insurance age \(age) within rider \(code) ages \(ages.lowerBound)..\(ages.upperBound)",
                  "RIDER_ENTRY_AGE", codeField,
                  "가입나이(\(age)세)가 \(spec.name) 가입가능나이(\(ages.lowerBound)~\(ages.upperBound)세)를 벗어났습니다")
        }
        return out
    }
}
