/// Premium calculation (보험료 계산) from a product version's pricing.
///
/// For each coverage (main, then each rider in quote order), by its own pricing method:
/// - rate table: `raw = sumInsured / per × rate(gender, age, term) × modalFactor(frequency)`;
/// - actuarial: `raw` = the gross premium per payment from `ActuarialCalculator` (net
///   premium from mortality and interest, plus alpha/beta/gamma loadings; monthly via
///   Woolhouse), unrounded.
///
/// The raw amounts are summed, the sum is rounded to 6 decimals (to drop floating-point
/// noise), and the product's `Rounding` is applied ONCE to that total: the result is the
/// premium per payment at the chosen frequency. Components are never rounded on their own.
public enum PremiumCalculator {
    /// Prices `quote` for an insured of `gender` and insurance age `age` under `version`.
    ///
    /// Does not underwrite: call `Underwriter` for the acceptance rules. Throws when a rate
    /// or modal factor is missing or a rider is unknown.
    public static func quote(version: ProductVersion, gender: Gender, age: Int,
                             quote: QuoteInput) throws(PricingError) -> PremiumBreakdown {
        let term = TermOption(termYears: quote.termYears, payYears: quote.payYears)
        let frequency = quote.paymentFrequency
        var components: [PremiumComponent] = []
        components.append(try price(coverage: "main", name: version.name, sumInsured: quote.sumInsured,
                                    pricing: version.pricing, gender: gender, age: age, term: term,
                                    frequency: frequency))
        for selection in quote.riders {
            guard let rider = version.rider(code: selection.code) else {
                throw .unknownRider(code: selection.code)
            }
            components.append(try price(coverage: rider.code, name: rider.name,
                                        sumInsured: selection.sumInsured, pricing: rider.pricing,
                                        gender: gender, age: age, term: term,
                                        frequency: frequency))
        }

        let rawTotal = components.reduce(0.0) { $0 + $1.rawAmount }
        let premium = version.rounding.apply(rawTotal)
        let perYear = CatalogText.paymentsPerYear(frequency)
        return PremiumBreakdown(versionId: version.versionId, premium: premium, frequency: frequency,
                                annualPremium: premium * perYear, components: components,
                                rawTotal: rawTotal, rounding: version.rounding,
                                quote: PricedQuote(gender: gender, age: age, termYears: term.termYears,
                                                   payYears: term.payYears))
    }

    /// Convenience: prices with an `InsuranceAge`.
    public static func quote(version: ProductVersion, gender: Gender, age: InsuranceAge,
                             quote: QuoteInput) throws(PricingError) -> PremiumBreakdown {
        try self.quote(version: version, gender: gender, age: age.years, quote: quote)
    }

    private static func price(coverage: String, name: String, sumInsured: Int64, pricing: Pricing,
                              gender: Gender, age: Int, term: TermOption,
                              frequency: PaymentFrequency) throws(PricingError) -> PremiumComponent {
        switch pricing {
        case .rateTable(let table):
            return try price(coverage: coverage, name: name, sumInsured: sumInsured, table: table, gender: gender,
                             age: age, term: term, frequency: frequency)
        case .actuarial(let basis):
            let values = try ActuarialCalculator.price(
                basis: basis, coverage: coverage, gender: gender, age: age, termYears: term.termYears,
                payYears: term.payYears, sumInsured: sumInsured, frequency: frequency)
            let raw = values.premiumPerPayment
            let per: Int64 = 10_000
            return PremiumComponent(coverage: coverage, name: name, sumInsured: sumInsured,
                                    rate: sumInsured > 0 ? raw / Double(sumInsured) * Double(per) : 0, per: per,
                                    modalFactor: 1, rawAmount: raw, method: pricing.method, actuarial: values)
        }
    }

    private static func price(coverage: String, name: String, sumInsured: Int64, table: RateTable,
                              gender: Gender, age: Int, term: TermOption,
                              frequency: PaymentFrequency) throws(PricingError) -> PremiumComponent {
        guard let rate = table.rate(gender: gender, age: age, term: term) else {
            throw .noRate(coverage: coverage, gender: gender, age: age, term: term)
        }
        guard let factor = table.modalFactor(for: frequency) else {
            throw .noModalFactor(coverage: coverage, frequency: frequency)
        }
        let raw = Double(sumInsured) / Double(table.per) * rate * factor
        let key = "\(gender.rawValue), age \(age)" + (table.byTerm ? ", term \(term)" : "")
        return PremiumComponent(coverage: coverage, name: name, sumInsured: sumInsured, rate: rate,
                                per: table.per, modalFactor: factor, rawAmount: raw, method: "rate_table",
                                rateKey: key)
    }
}
