import EzCore
import Yams

extension ProductFileParser {
    static let actuarialKeys = (required: ["mortality", "interest", "loadings"], optional: ["benefit"])

    /// Parses `pricing.actuarial` (or a rider's `actuarial`) and checks that its mortality
    /// table covers every age and term the coverage sells.
    ///
    /// ```yaml
    /// actuarial:
    ///   mortality: {table: kr-illustrative, scale: {M: 0.12, F: 0.10}}   # or makeham: {a, b, c, from_age?, to_age?}
    ///   interest: 0.025
    ///   benefit: term            # term | endowment | whole_life; main default: the version's kind; rider default: term
    ///   loadings: {alpha: 0.002, beta: 0.08, gamma: 0.0001, gamma_after_payment: 0.0001}
    /// ```
    func actuarialBasis(_ node: Node, path: String, context: RateContext) -> ActuarialBasis? {
        let keys = Self.actuarialKeys
        guard let f = r.mapping(node, path: path, required: keys.required, optional: keys.optional) else { return nil }
        let mortality = f["mortality"].flatMap { mortalityBasis($0, path: f.path("mortality")) }

        var interest = f["interest"].flatMap { r.double($0, path: f.path("interest")) }
        if let i = interest, !(0...0.15).contains(i) {
            r.error("\(f.path("interest")): \(i) is not a plausible annual interest rate (0 to 0.15; 2.5% is 0.025)", at: f["interest"])
            interest = nil
        }

        var benefit: ActuarialBenefit?
        if let n = f["benefit"] {
            benefit = r.enumeration(ActuarialBenefit.self, n, path: f.path("benefit"))
        } else if context.isRider {
            benefit = .term
        } else if let kind = context.kind {
            benefit = ActuarialBenefit(kind: kind)
            if benefit == nil {
                r.error("\(path): a \(kind.rawValue) product has no mortality benefit of its own; "
                        + "state benefit: term, endowment or whole_life", at: node)
            }
        }
        let loadings = f["loadings"].flatMap { expenseLoadings($0, path: f.path("loadings")) }

        guard let mortality, let interest, let benefit, let loadings else { return nil }
        let basis = ActuarialBasis(mortality: mortality, interest: interest, benefit: benefit, loadings: loadings)
        guard checkCovers(basis, mortalityNode: f["mortality"], path: path, context: context) else { return nil }
        return basis
    }

    private func mortalityBasis(_ node: Node, path: String) -> MortalityBasis? {
        guard let f = r.mapping(node, path: path, required: [], optional: ["table", "makeham", "scale"]) else { return nil }
        var origin: MortalityBasis.Origin?, table: MortalityTable?
        switch (f["table"], f["makeham"]) {
        case (let n?, nil):
            if let name = r.string(n, path: f.path("table")) {
                if let found = mortality.tables[name] {
                    origin = .table(name)
                    table = found
                } else {
                    let known = mortality.tables.keys.sorted()
                    r.error("\(f.path("table")): no mortality table '\(name)' in \(mortality.location) "
                            + "(available: \(known.isEmpty ? "none" : known.joined(separator: ", ")))", at: n)
                }
            }
        case (nil, let n?):
            if let law = makeham(n, path: f.path("makeham")) {
                origin = .makeham(law.law)
                table = law.law.table(name: "makeham", title: law.law.description,
                                      source: "Makeham parameters in the catalog", from: law.from, to: law.to)
            }
        case (_?, _?):
            r.error("\(path): give either table or makeham, not both", at: f.keyNodes["makeham"])
        case (nil, nil):
            r.error("\(path): missing mortality: give 'table' (a file in \(mortality.location)) or 'makeham' {a, b, c}", at: node)
        }
        var male = 1.0, female = 1.0, scaleOK = true
        if let n = f["scale"] {
            if let s = r.mapping(n, path: f.path("scale"), required: [], optional: Gender.allCases.map(\.rawValue)) {
                for gender in Gender.allCases {
                    guard let v = s[gender.rawValue] else { continue }
                    guard let x = r.double(v, path: s.path(gender.rawValue)) else { scaleOK = false; continue }
                    guard x > 0, x <= 10 else {
                        r.error("\(s.path(gender.rawValue)): a mortality scale must be above 0 and at most 10, found \(x)", at: v)
                        scaleOK = false
                        continue
                    }
                    if gender == .male { male = x } else { female = x }
                }
            } else {
                scaleOK = false
            }
        }
        guard let origin, let table, scaleOK else { return nil }
        return MortalityBasis(origin: origin, table: table, maleScale: male, femaleScale: female)
    }

    private func makeham(_ node: Node, path: String) -> (law: MakehamLaw, from: Int, to: Int)? {
        guard let f = r.mapping(node, path: path, required: ["a", "b", "c"], optional: ["from_age", "to_age"]) else { return nil }
        var a = f["a"].flatMap { r.double($0, path: f.path("a")) }
        var b = f["b"].flatMap { r.double($0, path: f.path("b")) }
        var c = f["c"].flatMap { r.double($0, path: f.path("c")) }
        if let x = a, x < 0 || x > 0.1 { r.error("\(f.path("a")): must be 0 to 0.1, found \(x)", at: f["a"]); a = nil }
        if let x = b, x <= 0 || x > 0.1 { r.error("\(f.path("b")): must be above 0 and at most 0.1, found \(x)", at: f["b"]); b = nil }
        if let x = c, x <= 1 || x > 2 { r.error("\(f.path("c")): must be above 1 and at most 2, found \(x)", at: f["c"]); c = nil }
        var from: Int? = 0, to: Int? = 120
        if let n = f["from_age"] { from = r.int(n, path: f.path("from_age")) }
        if let n = f["to_age"] { to = r.int(n, path: f.path("to_age")) }
        if let lo = from, let hi = to, !(0...130).contains(lo) || !(0...130).contains(hi) || lo >= hi {
            r.error("\(path): from_age \(lo) and to_age \(hi) must be ages 0..130 with from_age < to_age",
                    at: f["to_age"] ?? f["from_age"] ?? node)
            from = nil
        }
        guard let a, let b, let c, let from, let to else { return nil }
        return (MakehamLaw(a: a, b: b, c: c), from, to)
    }

    private func expenseLoadings(_ node: Node, path: String) -> ExpenseLoadings? {
        guard let f = r.mapping(node, path: path, required: ["alpha", "beta", "gamma"], optional: ["gamma_after_payment"]) else {
            return nil
        }
        var ok = true
        func rate(_ key: String, below: Double) -> Double? {
            guard let n = f[key] else { return nil }
            guard let x = r.double(n, path: f.path(key)) else { ok = false; return nil }
            guard x >= 0, x < below else {
                r.error("\(f.path(key)): must be at least 0 and below \(below), found \(x)", at: n)
                ok = false
                return nil
            }
            return x
        }
        let alpha = rate("alpha", below: 1), beta = rate("beta", below: 1), gamma = rate("gamma", below: 0.1)
        let after = rate("gamma_after_payment", below: 0.1)
        guard ok, let alpha, let beta, let gamma else { return nil }
        return ExpenseLoadings(alpha: alpha, beta: beta, gamma: gamma, gammaAfterPayment: after)
    }

    /// The table must hold every age the coverage can be priced at: from the youngest entry
    /// age to the oldest age + term − 1 sold (term, endowment), and leave every payment term
    /// inside the lifetime left (whole life).
    private func checkCovers(_ basis: ActuarialBasis, mortalityNode: Node?, path: String, context: RateContext) -> Bool {
        guard let entry = context.riderEntryAge ?? context.entryAge, let terms = context.terms,
              let maxExpiry = context.maxExpiry else { return true }
        let table = basis.mortality.table
        let at = mortalityNode
        var ok = true
        if entry.lowerBound < table.firstAge {
            r.error("\(path).mortality: \(context.coverage): the table starts at age \(table.firstAge) "
                    + "but the coverage sells from age \(entry.lowerBound)", at: at)
            ok = false
        }
        for term in terms {
            let oldest = min(entry.upperBound, maxExpiry - term.termYears)
            guard oldest >= entry.lowerBound else { continue }
            switch basis.benefit {
            case .term, .endowment:
                if oldest + term.termYears - 1 > table.lastAge {
                    r.error("\(path).mortality: \(context.coverage): term \(term) from age \(oldest) needs q up to age "
                            + "\(oldest + term.termYears - 1) but the table ends at \(table.lastAge)", at: at)
                    ok = false
                }
            case .wholeLife:
                let lifetime = table.lastAge - entry.upperBound + 1
                if term.payYears > lifetime {
                    r.error("\(path).mortality: \(context.coverage): pay \(term.payYears) years from age \(entry.upperBound) "
                            + "runs past the table's end age \(table.lastAge)", at: at)
                    ok = false
                }
            }
        }
        return ok
    }
}
