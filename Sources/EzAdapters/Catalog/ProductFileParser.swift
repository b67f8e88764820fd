import EzCore
import Foundation
import Yams

/// Parses and validates one product file (`P00000002.yaml`): a product code, its name and its
/// versions. Every problem becomes a diagnostic; nothing stops at the first.
struct ProductFileParser {
    /// A parsed version with the nodes later cross-checks point at.
    struct ParsedVersion {
        var version: ProductVersion
        var versionNode: Node
        var effectiveFromNode: Node
    }

    struct Result {
        var code: String?
        var codeNode: Node?
        var versions: [ParsedVersion]
        var diagnostics: [CatalogDiagnostic]
    }

    static let productKeys = ["code", "name", "versions"]
    static let versionRequired = [
        "version", "kind", "effective_from", "entry_age", "terms", "max_expiry_age", "sum_insured",
        "payment_frequencies", "underwriting", "document", "pricing", "rounding",
    ]
    static let versionOptional = [
        "name", "effective_to", "riders", "withdrawal", "quote_validity_days", "max_payment_attempts",
    ]

    let r: CatalogNodeReader
    /// Tables `pricing.actuarial.mortality.table` may name.
    let mortality: MortalityLibrary

    init(file: String, mortality: MortalityLibrary = MortalityLibrary()) {
        r = CatalogNodeReader(file: file)
        self.mortality = mortality
    }

    /// Parses YAML text.
    func parse(yaml: String) -> Result {
        let root: Node?
        do {
            // No tag resolution (`Resolver.basic`): the reader takes every scalar's text and
            // style and checks it itself, and resolving each plain scalar's tag ran a regular
            // expression per rule (a fifth of a catalog load, 28 million instructions a run).
            root = try Yams.compose(yaml: yaml, .basic)
        } catch let e as YamlError {
            report(e, yaml: yaml)
            return Result(code: nil, codeNode: nil, versions: [], diagnostics: r.diagnostics)
        } catch {
            r.error("cannot parse YAML: \(error)", line: 1, column: 1)
            return Result(code: nil, codeNode: nil, versions: [], diagnostics: r.diagnostics)
        }
        guard let root else {
            r.error("empty file: expected a product with keys code, name, versions", line: 1, column: 1)
            return Result(code: nil, codeNode: nil, versions: [], diagnostics: r.diagnostics)
        }
        return parse(root: root)
    }

    private func report(_ e: YamlError, yaml: String) {
        switch e {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let ctx = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            r.error("YAML syntax error: \(problem)\(ctx)", at: mark)
        case let .duplicatedKeysInMapping(duplicates, context):
            r.error("duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in one mapping",
                    at: context.mark)
        case let .reader(problem, offset, _, _):
            var line = 1, column = 1
            if let offset {
                for ch in yaml.prefix(offset) {
                    if ch == "\n" { line += 1; column = 1 } else { column += ch.unicodeScalars.count }
                }
            }
            r.error("cannot read YAML: \(problem)", line: line, column: column)
        default:
            r.error("cannot parse YAML: \(e)", line: 1, column: 1)
        }
    }

    private func parse(root: Node) -> Result {
        guard let top = r.mapping(root, path: "", required: Self.productKeys) else {
            return Result(code: nil, codeNode: nil, versions: [], diagnostics: r.diagnostics)
        }
        var code: String?
        if let node = top["code"], let text = r.string(node, path: "code") {
            if Self.isProductCode(text) {
                code = text
            } else {
                r.error("code: '\(text)' is not a product code (P followed by 8 digits, e.g. P00000001)", at: node)
            }
        }
        let productName = top["name"].flatMap { r.string($0, path: "name") }
        var versions: [ParsedVersion] = []
        if let node = top["versions"], let items = r.sequence(node, path: "versions") {
            for (i, item) in items.enumerated() {
                if let v = parseVersion(item, path: "versions[\(i)]", code: code, productName: productName) {
                    versions.append(v)
                }
            }
        }
        checkVersions(versions)
        return Result(code: code, codeNode: top["code"], versions: versions, diagnostics: r.diagnostics)
    }

    static func isProductCode(_ text: String) -> Bool {
        text.count == 9 && text.first == "P" && text.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }
    }

    static func isRiderCode(_ text: String) -> Bool {
        guard let first = text.first, first.isASCII, first.isUppercase, (2...16).contains(text.count) else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber || $0 == "_") }
    }

    // MARK: - Cross-version checks

    /// Version numbers unique; effective periods of one product never overlap.
    private func checkVersions(_ versions: [ParsedVersion]) {
        for (j, b) in versions.enumerated() {
            for a in versions[..<j] {
                if a.version.version == b.version.version {
                    r.error("version \(b.version.version) is declared twice (first at line \(a.versionNode.mark?.line ?? 0)); "
                            + "version numbers must be unique", at: b.versionNode)
                    continue
                }
                let aEnd = a.version.effectiveTo, bEnd = b.version.effectiveTo
                let overlap = (aEnd.map { b.version.effectiveFrom <= $0 } ?? true)
                    && (bEnd.map { a.version.effectiveFrom <= $0 } ?? true)
                if overlap {
                    r.error("versions \(a.version.versionId) (\(a.version.effectivePeriod), line \(a.effectiveFromNode.mark?.line ?? 0)) "
                            + "and \(b.version.versionId) (\(b.version.effectivePeriod)) overlap; "
                            + "one product may have only one version in effect on any date",
                            at: b.effectiveFromNode)
                }
            }
        }
    }

    // MARK: - One version

    private func parseVersion(_ node: Node, path: String, code: String?, productName: String?) -> ParsedVersion? {
        guard let f = r.mapping(node, path: path, required: Self.versionRequired, optional: Self.versionOptional) else {
            return nil
        }
        let number: Int? = f["version"].flatMap { n in
            r.int(n, path: f.path("version")).flatMap { v in
                if v >= 1 { return v }
                r.error("\(f.path("version")): must be 1 or more, found \(v)", at: n)
                return nil
            }
        }
        let name = f["name"].flatMap { r.isNull($0) ? nil : r.string($0, path: f.path("name")) } ?? productName
        let kind = f["kind"].flatMap { r.enumeration(ProductKind.self, $0, path: f.path("kind")) }
        let from = f["effective_from"].flatMap { r.date($0, path: f.path("effective_from")) }
        var to: BusinessDate?
        var toFailed = false
        if let n = f["effective_to"], !r.isNull(n) {
            to = r.date(n, path: f.path("effective_to"))
            toFailed = to == nil
            if let from, let t = to, t < from {
                r.error("\(f.path("effective_to")): \(t) is before effective_from \(from)", at: n)
                toFailed = true
            }
        }
        let entryAge = f["entry_age"].flatMap { ageRange($0, path: f.path("entry_age")) }
        let maxExpiry: Int? = f["max_expiry_age"].flatMap { n in
            r.int(n, path: f.path("max_expiry_age")).flatMap { v in
                guard (1...120).contains(v) else {
                    r.error("\(f.path("max_expiry_age")): \(v) is not a plausible age (1..120)", at: n)
                    return nil
                }
                if let entryAge, v <= entryAge.lowerBound {
                    r.error("\(f.path("max_expiry_age")): \(v) must be above the youngest entry age \(entryAge.lowerBound)", at: n)
                    return nil
                }
                return v
            }
        }
        let terms = f["terms"].flatMap { termList($0, path: f.path("terms"), entryAge: entryAge, maxExpiry: maxExpiry) }
        let sumInsured = f["sum_insured"].flatMap { sumInsuredRule($0, path: f.path("sum_insured")) }
        let frequencies = f["payment_frequencies"].flatMap { frequencyList($0, path: f.path("payment_frequencies")) }
        var context = RateContext(entryAge: entryAge, terms: terms, maxExpiry: maxExpiry, frequencies: frequencies)
        context.kind = kind

        var riders: [RiderSpec]? = []
        if let n = f["riders"], !r.isNull(n) {
            riders = riderList(n, path: f.path("riders"), context: context)
        }
        let underwriting = f["underwriting"].flatMap {
            underwritingRules($0, path: f.path("underwriting"), sumInsured: sumInsured)
        }
        var withdrawal: WithdrawalWindow? = .standard
        if let n = f["withdrawal"] { withdrawal = withdrawalWindow(n, path: f.path("withdrawal")) }
        let validity = optionalPositive(f, "quote_validity_days", default: 30)
        let attempts = optionalPositive(f, "max_payment_attempts", default: 3)
        let document = f["document"].flatMap { productDocument($0, path: f.path("document")) }
        let pricing = f["pricing"].flatMap { pricingNode($0, path: f.path("pricing"), context: context) }
        let rounding = f["rounding"].flatMap { roundingRule($0, path: f.path("rounding")) }

        guard let code, let number, let name, let kind, let from, !toFailed, let entryAge, let terms,
              let maxExpiry, let sumInsured, let frequencies, let riders, let underwriting, let withdrawal,
              let validity, let attempts, let document, let pricing, let rounding,
              let versionNode = f["version"], let fromNode = f["effective_from"] else { return nil }
        let version = ProductVersion(
            code: code, version: number, name: name, kind: kind, effectiveFrom: from, effectiveTo: to,
            entryAge: entryAge, terms: terms, maxExpiryAge: maxExpiry, sumInsured: sumInsured,
            paymentFrequencies: frequencies, riders: riders, underwriting: underwriting,
            withdrawal: withdrawal, quoteValidityDays: validity, maxPaymentAttempts: attempts,
            document: document, pricing: pricing, rounding: rounding)
        return ParsedVersion(version: version, versionNode: versionNode, effectiveFromNode: fromNode)
    }

    private func optionalPositive(_ f: CatalogNodeReader.Fields, _ key: String, default value: Int) -> Int? {
        guard let n = f[key], !r.isNull(n) else { return value }
        guard let v = r.int(n, path: f.path(key)) else { return nil }
        guard v >= 1 else {
            r.error("\(f.path(key)): must be 1 or more, found \(v)", at: n)
            return nil
        }
        return v
    }

    /// `{min: 20, max: 65}`: plausible insurance ages, min ≤ max.
    private func ageRange(_ node: Node, path: String) -> ClosedRange<Int>? {
        guard let f = r.mapping(node, path: path, required: ["min", "max"]) else { return nil }
        var ok = true
        func age(_ key: String) -> Int? {
            guard let n = f[key], let v = r.int(n, path: f.path(key)) else { ok = false; return nil }
            guard (0...120).contains(v) else {
                r.error("\(f.path(key)): \(v) is not a plausible insurance age (0..120)", at: n)
                ok = false
                return nil
            }
            return v
        }
        let lo = age("min"), hi = age("max")
        guard ok, let lo, let hi else { return nil }
        guard lo <= hi else {
            r.error("\(path): min (\(lo)) is greater than max (\(hi))", at: f["min"])
            return nil
        }
        return lo...hi
    }

    private func termList(_ node: Node, path: String, entryAge: ClosedRange<Int>?, maxExpiry: Int?) -> [TermOption]? {
        guard let items = r.sequence(node, path: path) else { return nil }
        var out: [TermOption] = [], ok = true
        for (i, item) in items.enumerated() {
            let p = "\(path)[\(i)]"
            guard let f = r.mapping(item, path: p, required: ["term_years", "pay_years"]),
                  let tn = f["term_years"], let pn = f["pay_years"],
                  let t = r.int(tn, path: f.path("term_years")), let pay = r.int(pn, path: f.path("pay_years")) else {
                ok = false
                continue
            }
            guard t >= 1, pay >= 1 else {
                r.error("\(p): term_years and pay_years must be 1 or more", at: t >= 1 ? pn : tn)
                ok = false
                continue
            }
            guard pay <= t else {
                r.error("\(p): pay_years (\(pay)) is greater than term_years (\(t))", at: pn)
                ok = false
                continue
            }
            let option = TermOption(termYears: t, payYears: pay)
            if out.contains(option) {
                r.error("\(p): term \(option) is listed twice", at: item)
                ok = false
                continue
            }
            if let entryAge, let maxExpiry, entryAge.lowerBound + t > maxExpiry {
                r.error("\(p): term \(t) years can never be sold: youngest entry age \(entryAge.lowerBound) + \(t) "
                        + "= \(entryAge.lowerBound + t) exceeds max_expiry_age \(maxExpiry)", at: tn)
                ok = false
                continue
            }
            out.append(option)
        }
        return ok ? out : nil
    }

    /// `{min, max, step}` in KRW: 0 < min ≤ max, step > 0, min and max multiples of step.
    private func sumInsuredRule(_ node: Node, path: String) -> SumInsuredRule? {
        guard let f = r.mapping(node, path: path, required: ["min", "max", "step"]) else { return nil }
        let values = ["min", "max", "step"].map { key in f[key].flatMap { r.int64($0, path: f.path(key)) } }
        guard let lo = values[0], let hi = values[1], let step = values[2] else { return nil }
        var ok = true
        if step <= 0 {
            r.error("\(path).step: must be greater than 0, found \(step)", at: f["step"]); ok = false
        }
        if lo <= 0 {
            r.error("\(path).min: must be greater than 0, found \(lo)", at: f["min"]); ok = false
        }
        if lo > hi {
            r.error("\(path): min (\(lo)) is greater than max (\(hi))", at: f["min"]); ok = false
        }
        if step > 0 {
            if lo % step != 0 {
                r.error("\(path).min: \(lo) is not a multiple of step \(step)", at: f["min"]); ok = false
            }
            if hi % step != 0 {
                r.error("\(path).max: \(hi) is not a multiple of step \(step)", at: f["max"]); ok = false
            }
        }
        return ok ? SumInsuredRule(min: lo, max: hi, step: step) : nil
    }

    private func frequencyList(_ node: Node, path: String) -> [PaymentFrequency]? {
        guard let items = r.sequence(node, path: path) else { return nil }
        var out: [PaymentFrequency] = [], ok = true
        for (i, item) in items.enumerated() {
            guard let f = r.enumeration(PaymentFrequency.self, item, path: "\(path)[\(i)]") else { ok = false; continue }
            if out.contains(f) {
                r.error("\(path)[\(i)]: \(f.rawValue) is listed twice", at: item)
                ok = false
                continue
            }
            out.append(f)
        }
        return ok ? out : nil
    }

    private func riderList(_ node: Node, path: String, context: RateContext) -> [RiderSpec]? {
        guard let items = r.sequence(node, path: path, nonEmpty: false) else { return nil }
        var out: [RiderSpec] = [], ok = true, seen: [String: Int] = [:]
        for (i, item) in items.enumerated() {
            let p = "\(path)[\(i)]"
            guard let f = r.mapping(item, path: p, required: ["code", "name", "sum_insured"],
                                    optional: ["entry_age", "rate_table", "actuarial"]) else { ok = false; continue }
            var code: String?, codeText: String?
            if let n = f["code"], let text = r.string(n, path: f.path("code")) {
                codeText = text
                if !Self.isRiderCode(text) {
                    r.error("\(f.path("code")): '\(text)' is not a rider code (2-16 of A-Z, 0-9, _; starting with a letter, e.g. R201)", at: n)
                } else if let first = seen[text] {
                    r.error("\(f.path("code")): rider \(text) is declared twice (first at line \(first))", at: n)
                } else {
                    code = text
                    seen[text] = n.mark?.line ?? 0
                }
            }
            let name = f["name"].flatMap { r.string($0, path: f.path("name")) }
            let si = f["sum_insured"].flatMap { sumInsuredRule($0, path: f.path("sum_insured")) }
            var entry: ClosedRange<Int>?
            var entryOK = true
            if let n = f["entry_age"], !r.isNull(n) {
                entry = ageRange(n, path: f.path("entry_age"))
                entryOK = entry != nil
                if let e = entry, let product = context.entryAge, !(product.contains(e.lowerBound) && product.contains(e.upperBound)) {
                    r.error("\(f.path("entry_age")): \(e.lowerBound)..\(e.upperBound) must lie within the product's entry ages "
                            + "\(product.lowerBound)..\(product.upperBound)", at: n)
                    entryOK = false
                }
            }
            var riderContext = context
            if let e = entry, entryOK { riderContext.riderEntryAge = e }
            riderContext.coverage = "rider \(codeText ?? "?")"
            riderContext.isRider = true
            let pricing = coveragePricing(f, path: p, context: riderContext)
            guard let code, let name, let si, entryOK, let pricing else { ok = false; continue }
            out.append(RiderSpec(code: code, name: name, sumInsured: si, pricing: pricing, entryAge: entry))
        }
        return ok ? out : nil
    }

    private func underwritingRules(_ node: Node, path: String, sumInsured: SumInsuredRule?) -> UnderwritingRules? {
        guard let f = r.mapping(node, path: path, required: ["max_aggregate_sum_insured", "max_occupation_class",
                                                             "require_occupation_class"]) else { return nil }
        var ok = true
        let agg = f["max_aggregate_sum_insured"].flatMap { r.int64($0, path: f.path("max_aggregate_sum_insured")) }
        if let agg, let si = sumInsured, agg < si.min {
            r.error("\(f.path("max_aggregate_sum_insured")): \(agg) is below the minimum sum insured \(si.min); "
                    + "nobody could buy the product", at: f["max_aggregate_sum_insured"])
            ok = false
        }
        let cls = f["max_occupation_class"].flatMap { r.int($0, path: f.path("max_occupation_class")) }
        if let c = cls, !(1...5).contains(c) {
            r.error("\(f.path("max_occupation_class")): must be 1 to 5, found \(c)", at: f["max_occupation_class"])
            ok = false
        }
        let req = f["require_occupation_class"].flatMap { r.bool($0, path: f.path("require_occupation_class")) }
        guard ok, let agg, let cls, let req else { return nil }
        return UnderwritingRules(maxAggregateSumInsured: agg, maxOccupationClass: cls, requireOccupationClass: req)
    }

    private func withdrawalWindow(_ node: Node, path: String) -> WithdrawalWindow? {
        guard let f = r.mapping(node, path: path, required: [],
                                optional: ["delivery_days", "proposal_days", "refund_due_days"]) else { return nil }
        let d = optionalPositive(f, "delivery_days", default: 15)
        let p = optionalPositive(f, "proposal_days", default: 30)
        let rf = optionalPositive(f, "refund_due_days", default: 3)
        guard let d, let p, let rf else { return nil }
        return WithdrawalWindow(deliveryDays: d, proposalDays: p, refundDueDays: rf)
    }

    private func productDocument(_ node: Node, path: String) -> ProductDocument? {
        guard let f = r.mapping(node, path: path, required: ["title", "sections"]) else { return nil }
        let title = f["title"].flatMap { r.string($0, path: f.path("title")) }
        var sections: [ProductDocument.Section]? = []
        if let n = f["sections"], let items = r.sequence(n, path: f.path("sections")) {
            for (i, item) in items.enumerated() {
                let p = "\(f.path("sections"))[\(i)]"
                guard let s = r.mapping(item, path: p, required: ["heading", "body"]),
                      let h = s["heading"].flatMap({ r.string($0, path: s.path("heading")) }),
                      let b = s["body"].flatMap({ r.string($0, path: s.path("body")) }) else { sections = nil; continue }
                sections?.append(.init(heading: h, body: b))
            }
        } else {
            sections = nil
        }
        guard let title, let sections else { return nil }
        return ProductDocument(title: title, sections: sections)
    }

    private func pricingNode(_ node: Node, path: String, context: RateContext) -> Pricing? {
        guard let f = r.mapping(node, path: path, required: [], optional: ["rate_table", "actuarial"]) else { return nil }
        var ctx = context
        ctx.coverage = "main coverage"
        return coveragePricing(f, path: path, context: ctx)
    }

    /// Exactly one of `rate_table` and `actuarial` in a mapping (`pricing`, or a rider).
    func coveragePricing(_ f: CatalogNodeReader.Fields, path: String, context: RateContext) -> Pricing? {
        switch (f["rate_table"], f["actuarial"]) {
        case (let table?, nil):
            return rateTable(table, path: f.path("rate_table"), context: context).map(Pricing.rateTable)
        case (nil, let basis?):
            return actuarialBasis(basis, path: f.path("actuarial"), context: context).map(Pricing.actuarial)
        case (_?, _?):
            r.error("\(path): give either rate_table or actuarial, not both", at: f.keyNodes["actuarial"])
            return nil
        case (nil, nil):
            r.error("\(path): missing pricing: give 'rate_table' or 'actuarial'", at: f.node)
            return nil
        }
    }

    private func roundingRule(_ node: Node, path: String) -> Rounding? {
        guard let f = r.mapping(node, path: path, required: ["unit", "mode"]) else { return nil }
        var unit = f["unit"].flatMap { r.int64($0, path: f.path("unit")) }
        if let u = unit, u <= 0 {
            r.error("\(f.path("unit")): must be greater than 0, found \(u)", at: f["unit"])
            unit = nil
        }
        let mode = f["mode"].flatMap { r.enumeration(Rounding.Mode.self, $0, path: f.path("mode")) }
        guard let unit, let mode else { return nil }
        return Rounding(unit: unit, mode: mode)
    }
}
