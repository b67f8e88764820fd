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
        var ageDerivation: String
        var breakdown: PremiumBreakdown?
        var underwriting: [RuleVerdict]
        enum CodingKeys: String, CodingKey {
            case plan, ageDerivation = "age_derivation", breakdown, underwriting
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
            let breakdown = try breakdownText.map { try StoreJSON.decode(PremiumBreakdown.self, from: $0) }
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
            let e = Explanation(plan: p, ageDerivation: derivation, breakdown: breakdown, underwriting: verdicts)
            if json {
                Swift.print(try ViewJSON.encode(e), terminator: "")
                return
            }
            Swift.print("plan \(p.planNo)  \(p.status.rawValue)  customer \(p.customerNo)  request \(p.requestId)")
            Swift.print("product \(version.name) \(version.versionId) (effective \(version.effectivePeriod)), quoted \(p.quoteDate)")
            Swift.print("insurance age: \(derivation)")
            Swift.print("cover: sum insured \(Won.format(p.sumInsured)) KRW, term \(p.termYears)y, pay \(p.payYears)y, \(p.paymentFrequency.rawValue)")
            Swift.print("underwriting:")
            for v in verdicts { Swift.print("  \(v)") }
            if !p.declineReasons.isEmpty {
                Swift.print("declined for:")
                for r in p.declineReasons { Swift.print("  \(r.code) (\(r.field)): \(r.message)") }
            }
            if let b = breakdown {
                Swift.print("premium:")
                for s in b.steps { Swift.print("  \(s)") }
                Swift.print("  = \(Won.format(b.premium)) KRW per payment (\(b.frequency.rawValue)), \(Won.format(b.annualPremium)) KRW a year")
            }
        }
    }
}
