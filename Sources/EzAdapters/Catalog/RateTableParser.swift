import EzCore
import Yams

/// What a rate table must price, known from the rest of its version.
struct RateContext {
    var entryAge: ClosedRange<Int>?
    var terms: [TermOption]?
    var maxExpiry: Int?
    var frequencies: [PaymentFrequency]?
    /// A rider's own entry ages (within the product's), when it states them.
    var riderEntryAge: ClosedRange<Int>?
    /// "main coverage" or "rider R201", for messages.
    var coverage = "main coverage"
    /// The version's kind (the default benefit of actuarial main coverages).
    var kind: ProductKind?
    /// Whether the coverage is a rider (an actuarial rider's benefit defaults to `term`).
    var isRider = false

    /// Ages a row for `termYears` must cover: entry ages whose age + term fits the maximum
    /// expiry age. Nil when the context is incomplete or no age qualifies.
    func requiredAges(termYears: Int) -> ClosedRange<Int>? {
        guard let entry = riderEntryAge ?? entryAge, let maxExpiry else { return nil }
        let hi = min(entry.upperBound, maxExpiry - termYears)
        return hi >= entry.lowerBound ? entry.lowerBound...hi : nil
    }
}

extension ProductFileParser {
    static let rateTableKeys = ["per", "base_frequency", "modal_factors", "by_term", "rows"]

    /// Parses a rate table and checks it is complete for everything the version sells.
    func rateTable(_ node: Node, path: String, context: RateContext) -> RateTable? {
        guard let f = r.mapping(node, path: path, required: Self.rateTableKeys) else { return nil }
        var ok = true
        var per = f["per"].flatMap { r.int64($0, path: f.path("per")) }
        if let p = per, p <= 0 {
            r.error("\(f.path("per")): must be greater than 0, found \(p)", at: f["per"])
            per = nil
        }
        let base = f["base_frequency"].flatMap { r.enumeration(PaymentFrequency.self, $0, path: f.path("base_frequency")) }
        let byTerm = f["by_term"].flatMap { r.bool($0, path: f.path("by_term")) }

        var factors: [PaymentFrequency: Double]? = [:]
        if let n = f["modal_factors"], let m = r.mapping(n, path: f.path("modal_factors"), required: [],
                                                         optional: PaymentFrequency.allCases.map(\.rawValue)) {
            for frequency in PaymentFrequency.allCases {
                guard let v = m[frequency.rawValue] else { continue }
                guard let x = r.double(v, path: m.path(frequency.rawValue)) else { factors = nil; continue }
                guard x > 0 else {
                    r.error("\(m.path(frequency.rawValue)): must be greater than 0, found \(x)", at: v)
                    factors = nil
                    continue
                }
                factors?[frequency] = x
            }
            if let base, let fs = factors, let b = fs[base], b != 1 {
                r.error("\(m.path(base.rawValue)): the base frequency's factor must be 1.0, found \(b)", at: m[base.rawValue])
                ok = false
            }
            if let base, factors != nil, m[base.rawValue] == nil {
                r.error("\(f.path("modal_factors")): missing the base frequency '\(base.rawValue)' (factor 1.0)", at: n)
                ok = false
            }
            for frequency in context.frequencies ?? [] where m[frequency.rawValue] == nil && frequency != base {
                r.error("\(f.path("modal_factors")): no factor for '\(frequency.rawValue)', which payment_frequencies allows",
                        at: n)
                ok = false
            }
        } else {
            factors = nil
        }

        var rows: [RateTable.Row]? = []
        if let n = f["rows"], let items = r.sequence(n, path: f.path("rows")) {
            var seen: [String: Int] = [:]
            // Rows whose gender, term and age_from are readable take part in the completeness
            // check even when other parts failed; rows with unreadable rates are not re-reported.
            var known: [(row: RateTable.Row, ratesNode: Node?, checkAges: Bool)] = []
            for (i, item) in items.enumerated() {
                let p = "\(f.path("rows"))[\(i)]"
                let parsed = rateRow(item, path: p, byTerm: byTerm, context: context)
                if !parsed.valid { rows = nil }
                guard let row = parsed.row else { continue }
                let key = "\(row.gender.rawValue) \(row.term?.description ?? "")"
                if let first = seen[key] {
                    r.error("\(p): a second row for gender \(row.gender.rawValue)"
                            + (row.term.map { ", term \($0)" } ?? "") + " (first at line \(first))", at: item)
                    rows = nil
                    continue
                }
                seen[key] = item.mark?.line ?? 0
                known.append((row, parsed.ratesNode, parsed.ratesValid))
                if parsed.valid { rows?.append(row) }
            }
            if let byTerm {
                ok = checkComplete(known, rowsNode: n, path: f.path("rows"), byTerm: byTerm, context: context) && ok
            }
        } else {
            rows = nil
        }
        guard ok, let per, let base, let byTerm, let factors, let rows else { return nil }
        return RateTable(per: per, baseFrequency: base, modalFactors: factors, byTerm: byTerm, rows: rows)
    }

    /// A row as far as it could be read: `row` is set when gender, term and age_from are
    /// readable (rates may then be partial); `valid` when nothing was wrong with it.
    struct ParsedRow {
        var row: RateTable.Row?
        var ratesNode: Node?
        var ratesValid: Bool
        var valid: Bool
    }

    private func rateRow(_ node: Node, path: String, byTerm: Bool?, context: RateContext) -> ParsedRow {
        let termKeys = ["term_years", "pay_years"]
        let required = ["gender", "age_from", "rates"] + (byTerm == true ? termKeys : [])
        let optional = byTerm == nil || byTerm == false ? termKeys : []
        guard let f = r.mapping(node, path: path, required: required, optional: optional) else {
            return ParsedRow(row: nil, ratesNode: nil, ratesValid: false, valid: false)
        }
        var ok = true
        if byTerm == false {
            // Not reported as an unknown key: say why it is wrong.
            for key in termKeys where f[key] != nil {
                r.error("\(f.path(key)): only allowed when by_term is true", at: f.keyNodes[key])
                ok = false
            }
        }
        let gender = f["gender"].flatMap { r.enumeration(Gender.self, $0, path: f.path("gender")) }
        var ageFrom = f["age_from"].flatMap { r.int($0, path: f.path("age_from")) }
        if let a = ageFrom, !(0...120).contains(a) {
            r.error("\(f.path("age_from")): \(a) is not a plausible insurance age (0..120)", at: f["age_from"])
            ageFrom = nil
        }
        var term: TermOption?
        var termOK = byTerm != true
        if byTerm == true, let tn = f["term_years"], let pn = f["pay_years"] {
            if let t = r.int(tn, path: f.path("term_years")), let p = r.int(pn, path: f.path("pay_years")) {
                term = TermOption(termYears: t, payYears: p)
                termOK = true
                if let terms = context.terms, !terms.contains(TermOption(termYears: t, payYears: p)) {
                    r.error("\(path): term \(t)/\(p) is not one of the version's terms "
                            + "(\(terms.map(\.description).joined(separator: ", ")))", at: tn)
                    ok = false
                }
            }
        }
        var rates: [Double] = [], ratesOK = true
        if let n = f["rates"], let items = r.sequence(n, path: f.path("rates")) {
            for (i, item) in items.enumerated() {
                let p = "\(f.path("rates"))[\(i)]"
                guard let x = r.double(item, path: p) else { ratesOK = false; continue }
                guard x > 0 else {
                    let age = ageFrom.map { " (age \($0 + i))" } ?? ""
                    r.error("\(p): rate\(age) must be greater than 0, found \(x)", at: item)
                    ratesOK = false
                    continue
                }
                rates.append(x)
            }
        } else {
            ratesOK = false
        }
        guard let gender, let ageFrom, termOK else {
            return ParsedRow(row: nil, ratesNode: f["rates"], ratesValid: ratesOK, valid: false)
        }
        return ParsedRow(row: RateTable.Row(gender: gender, term: term, ageFrom: ageFrom, rates: rates),
                         ratesNode: f["rates"], ratesValid: ratesOK, valid: ok && ratesOK)
    }

    /// Every (gender, term) the version sells has a row covering every required age.
    private func checkComplete(_ known: [(row: RateTable.Row, ratesNode: Node?, checkAges: Bool)], rowsNode: Node,
                               path: String, byTerm: Bool, context: RateContext) -> Bool {
        let rows = known.map(\.row)
        guard let terms = context.terms, !terms.isEmpty else { return true }
        var ok = true
        let keys: [TermOption?] = byTerm ? terms.map { $0 } : [nil]
        for gender in Gender.allCases {
            for term in keys {
                let years = term?.termYears ?? terms.map(\.termYears).min()!
                guard let needed = context.requiredAges(termYears: years) else { continue }
                let label = "gender \(gender.rawValue)" + (term.map { ", term \($0)" } ?? "")
                guard let index = rows.firstIndex(where: { $0.gender == gender && $0.term == term }) else {
                    r.error("\(path): \(context.coverage) has no rates for \(label) "
                            + "(ages \(needed.lowerBound)..\(needed.upperBound) needed)", at: rowsNode)
                    ok = false
                    continue
                }
                let row = rows[index]
                guard known[index].checkAges else { continue }
                let covered = row.ages
                if covered == nil || !covered!.contains(needed.lowerBound) || !covered!.contains(needed.upperBound) {
                    let has = covered.map { "\($0.lowerBound)..\($0.upperBound)" } ?? "no ages"
                    r.error("\(path): \(context.coverage) rates for \(label) cover \(has) "
                            + "but must cover ages \(needed.lowerBound)..\(needed.upperBound)", at: known[index].ratesNode)
                    ok = false
                }
            }
        }
        return ok
    }
}
