import ArgumentParser
import EzAdapters
import EzCore
import EzRunner
import Foundation

/// `ezinsurance explain PLAN`: why a premium is what it is, step by step.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Premium and underwriting breakdown of one plan, step by step.")

    @OptionGroup var common: CommonOptions
    @Argument(help: "Plan number (e.g. PL00000001).") var plan: String
    @Flag(help: "Print JSON for machines.") var json = false

    struct Explanation: Codable {
        var plan: Plan
        var version: VersionInfo
        var insuranceAge: AgeInfo
        var ageDerivation: String
        var coverages: [CoverageInfo]
        var breakdown: PremiumBreakdown?
        var underwriting: [RuleVerdict]
        enum CodingKeys: String, CodingKey {
            case plan, version, insuranceAge = "insurance_age", ageDerivation = "age_derivation", coverages
            case breakdown, underwriting
        }
    }

    /// The version that priced the plan.
    struct VersionInfo: Codable {
        var id: String
        var name: String
        var kind: String
        var effective: String
        var rounding: String
    }

    struct AgeInfo: Codable {
        var birthDate: String
        var quoteDate: String
        var lastBirthday: String
        var completedYears: Int
        var sixMonthMark: String
        var years: Int
        enum CodingKeys: String, CodingKey {
            case birthDate = "birth_date", quoteDate = "quote_date", lastBirthday = "last_birthday"
            case completedYears = "completed_years", sixMonthMark = "six_month_mark", years
        }
    }

    /// Each coverage of the plan with its pricing method and, for actuarial ones, the basis.
    struct CoverageInfo: Codable {
        var coverage: String
        var name: String
        var sumInsured: Int64
        var method: String
        var mortality: String?
        var interest: Double?
        var loadings: ExpenseLoadings?
        enum CodingKeys: String, CodingKey {
            case coverage, name, sumInsured = "sum_insured", method, mortality, interest, loadings
        }
    }

    static func coverages(_ p: Plan, _ version: ProductVersion, _ gender: Gender) -> [CoverageInfo] {
        func info(_ code: String, _ name: String, _ si: Int64, _ pricing: Pricing?) -> CoverageInfo {
            let basis = pricing?.actuarial
            return CoverageInfo(coverage: code, name: name, sumInsured: si, method: pricing?.method ?? "unknown",
                                mortality: basis?.mortality.description(for: gender), interest: basis?.interest,
                                loadings: basis?.loadings)
        }
        return [info("main", version.name, p.sumInsured, version.pricing)]
            + p.riders.map { r in
                let spec = version.rider(code: r.code)
                return info(r.code, spec?.name ?? r.code, r.sumInsured, spec?.pricing)
            }
    }

    func run() throws {
        try withExitCodes {
            let env = try Environment(common)
            let store = try env.openStore()
            let catalog = try CatalogService.load(home: env.home)
            let (found, customer, breakdownText) = try store.read { tx in
                let p = try tx.plan(plan)
                return (p, try p.flatMap { try tx.customer($0.customerNo) }, try tx.breakdown(ofPlan: plan))
            }
            guard let p = found, let customer else { throw RunnerError.usage("no plan \(plan)") }
            guard let version = catalog.version(id: p.versionId) else {
                throw RunnerError.invalidInput("plan \(plan) was priced with \(p.versionId), which is no longer in the catalog")
            }
            // The steps as stored by earlier versions, else rendered from the values; written
            // into the breakdown so `--json` carries them as it always did.
            let breakdown = try breakdownText.map { text -> PremiumBreakdown in
                var b = try StoreJSON.decode(PremiumBreakdown.self, from: text)
                b.writtenSteps = b.steps
                return b
            }
            let age = InsuranceAge(birth: customer.birthDate, at: p.quoteDate)!
            let derivation = "born \(customer.birthDate), quoted \(p.quoteDate): last birthday \(age.lastBirthday), "
                + "\(age.completedYears) completed years; six-month mark \(age.sixMonthMark) "
                + (age.roundedUp ? "reached, so insurance age \(age.years)" : "not reached, so insurance age \(age.years)")
            let quote = QuoteInput(customerNo: p.customerNo, productCode: p.productCode, sumInsured: p.sumInsured,
                                   termYears: p.termYears, payYears: p.payYears, paymentFrequency: p.paymentFrequency,
                                   riders: p.riders)
            // Aggregate held at quote time is not replayable exactly; the plan's own decline reasons are authoritative.
            let verdicts = Underwriter.verdicts(UnderwritingInput(
                version: version, insuranceAge: age, gender: customer.gender, occupationClass: customer.occupationClass,
                quote: quote, existingAggregateSumInsured: 0))
            let covers = Self.coverages(p, version, customer.gender)
            let e = Explanation(
                plan: p,
                version: VersionInfo(id: version.versionId, name: version.name, kind: version.kind.rawValue,
                                     effective: version.effectivePeriod, rounding: version.rounding.description),
                insuranceAge: AgeInfo(birthDate: customer.birthDate.description, quoteDate: p.quoteDate.description,
                                      lastBirthday: age.lastBirthday.description, completedYears: age.completedYears,
                                      sixMonthMark: age.sixMonthMark.description, years: age.years),
                ageDerivation: derivation, coverages: covers, breakdown: breakdown, underwriting: verdicts)
            if json {
                Swift.print(try ViewJSON.encode(e), terminator: "")
                return
            }
            Swift.print("plan \(p.planNo)  \(p.status.rawValue)  customer \(p.customerNo)  request \(p.requestId)")
            Swift.print("product \(version.name) \(version.versionId) (effective \(version.effectivePeriod)), quoted \(p.quoteDate)")
            Swift.print("insurance age: \(derivation)")
            Swift.print("cover: sum insured \(Won.format(p.sumInsured)) KRW, term \(p.termYears)y, pay \(p.payYears)y, \(p.paymentFrequency.rawValue)")
            Swift.print("coverages:")
            for c in covers {
                var line = "  \(c.coverage) \(c.name): sum insured \(Won.format(c.sumInsured)) KRW, \(c.method)"
                if let m = c.mortality, let i = c.interest, let l = c.loadings {
                    line += "; mortality \(m); interest \(i); loadings alpha \(l.alpha), beta \(l.beta), gamma \(l.gamma)"
                        + (l.gammaAfterPayment != l.gamma ? " (\(l.gammaAfterPayment) after the payment term)" : "")
                }
                Swift.print(line)
            }
            Swift.print("underwriting:")
            for v in verdicts { Swift.print("  \(v)") }
            if !p.declineReasons.isEmpty {
                Swift.print("declined for:")
                for r in p.declineReasons { Swift.print("  \(r.code) (\(r.field)): \(r.message)") }
            }
            if let b = breakdown {
                Swift.print("premium:")
                for s in b.steps { Swift.print("  \(s)") }
                for c in b.components {
                    guard let a = c.actuarial else { continue }
                    let n = a.coverageYears, m = a.payYears, x = a.age
                    var values = ["ä_{\(x):\(m)} = \(Self.fixed(a.annuityPay))"]
                    if n != m { values.append("ä_{\(x):\(n)} = \(Self.fixed(a.annuityCover))") }
                    values.append("A1_{\(x):\(n)} = \(Self.fixed(a.termInsurance))")
                    if a.benefit == .endowment { values.append("\(n)E_\(x) = \(Self.fixed(a.pureEndowment))") }
                    values.append("A = \(Self.fixed(a.insurance))")
                    if !(a.benefit == .endowment && m == n) { values.append("\(m)E_\(x) = \(Self.fixed(a.pureEndowmentPay))") }
                    if let w = a.woolhouseAnnuity { values.append("ä^(12)_{\(x):\(m)} = \(Self.fixed(w))") }
                    Swift.print("actuarial values (\(c.coverage)): " + values.joined(separator: ", "))
                }
                Swift.print("rounding: \(b.rounding), once, on the total of \(b.components.count) coverage(s)")
                Swift.print("  = \(Won.format(b.premium)) KRW per payment (\(b.frequency.rawValue)), \(Won.format(b.annualPremium)) KRW a year")
            }
        }
    }

    static func fixed(_ v: Double) -> String { String(format: "%.6f", v) }
}
