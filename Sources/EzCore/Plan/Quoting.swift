/// Prices and underwrites one quote (가입설계 / 보험료 계산 / 인수조건 체크).
public enum Quoting {
    /// The result of quoting: the plan to save and the breakdown behind its premium.
    public struct Result: Hashable, Sendable {
        public var plan: Plan
        public var breakdown: PremiumBreakdown?
    }

    /// Why a quote could not even be attempted (the request fails; no plan is made).
    public enum Failure: Error, Hashable, Sendable, CustomStringConvertible {
        case unknownProduct(String)
        case notOnSale(code: String, date: BusinessDate)
        case bornAfterQuoteDate(birth: BusinessDate, date: BusinessDate)

        public var description: String {
            switch self {
            case .unknownProduct(let c): "product \(c) is not in the catalog"
            case .notOnSale(let c, let d): "product \(c) has no version in effect on \(d)"
            case .bornAfterQuoteDate(let b, let d): "birth date \(b) is after the quote date \(d)"
            }
        }
    }

    /// Quotes `input` for `customer` on `date`. Every underwriting rule is checked and every
    /// failing one kept; a plan that passes them is priced with the version in effect.
    public static func quote(_ input: QuoteInput, customer: Customer, catalog: ProductCatalog,
                             on date: BusinessDate, heldSumInsured: Int64, planNo: String,
                             requestId: String) throws(Failure) -> Result {
        guard catalog.hasProduct(input.productCode) else { throw .unknownProduct(input.productCode) }
        guard let version = catalog.version(code: input.productCode, on: date) else {
            throw .notOnSale(code: input.productCode, date: date)
        }
        guard let age = InsuranceAge(birth: customer.birthDate, at: date) else {
            throw .bornAfterQuoteDate(birth: customer.birthDate, date: date)
        }
        var reasons = Underwriter.evaluate(UnderwritingInput(
            version: version, insuranceAge: age, gender: customer.gender,
            occupationClass: customer.occupationClass, quote: input, existingAggregateSumInsured: heldSumInsured))
        var breakdown: PremiumBreakdown?
        if reasons.isEmpty {
            do {
                breakdown = try PremiumCalculator.quote(version: version, gender: customer.gender, age: age, quote: input)
            } catch {
                reasons.append(DeclineReason(code: "NO_RATE", message: "해당 가입조건의 보험료율이 없습니다 (\(error))",
                                             field: "product_code"))
            }
        }
        let plan = Plan(
            planNo: planNo, requestId: requestId, customerNo: customer.customerNo, productCode: version.code,
            productName: version.name, versionId: version.versionId, quoteDate: date, insuranceAge: age.years,
            sumInsured: input.sumInsured, termYears: input.termYears, payYears: input.payYears,
            paymentFrequency: input.paymentFrequency, riders: input.riders, premium: breakdown?.premium,
            status: reasons.isEmpty ? .quoted : .declined,
            declineReasons: reasons.map { PlanDeclineReason(code: $0.code, field: $0.field, message: $0.message) },
            expiresOn: date.adding(days: version.quoteValidityDays))
        return Result(plan: plan, breakdown: breakdown)
    }
}
