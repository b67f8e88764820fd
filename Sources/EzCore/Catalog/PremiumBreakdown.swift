/// One priced coverage (main or rider) of a quote, before rounding.
///
/// For an actuarially priced coverage `rate` is the equivalent rate per `per` KRW at the
/// chosen frequency, `modalFactor` is 1, and `actuarial` holds every value used.
public struct PremiumComponent: Hashable, Sendable, Codable {
    /// `"main"` for the main coverage, else the rider code.
    public var coverage: String
    /// Korean coverage name.
    public var name: String
    public var sumInsured: Int64
    /// Rate per `per` KRW at the table's base frequency.
    public var rate: Double
    public var per: Int64
    /// Factor from the base frequency to the chosen one.
    public var modalFactor: Double
    /// `sumInsured / per × rate × modalFactor`, unrounded.
    public var rawAmount: Double
    /// `"rate_table"` or `"actuarial"`; nil in breakdowns saved before actuarial pricing
    /// existed (they are all rate tables).
    public var method: String?
    /// The actuarial values, for an actuarially priced coverage.
    public var actuarial: ActuarialValues?
    /// The rate table's row and column the rate was read at (`M, age 40, term 20/20`), for a
    /// rate-table coverage; nil in breakdowns saved before it was kept (they carry their steps).
    public var rateKey: String?

    public init(coverage: String, name: String, sumInsured: Int64, rate: Double, per: Int64,
                modalFactor: Double, rawAmount: Double, method: String? = nil, actuarial: ActuarialValues? = nil,
                rateKey: String? = nil) {
        self.coverage = coverage
        self.name = name
        self.sumInsured = sumInsured
        self.rate = rate
        self.per = per
        self.modalFactor = modalFactor
        self.rawAmount = rawAmount
        self.method = method
        self.actuarial = actuarial
        self.rateKey = rateKey
    }

    /// Whether the coverage was priced actuarially.
    public var isActuarial: Bool { actuarial != nil }

    enum CodingKeys: String, CodingKey {
        case coverage, name, sumInsured = "sum_insured", rate, per
        case modalFactor = "modal_factor", rawAmount = "raw_amount", method, actuarial, rateKey = "rate_key"
    }
}

/// The full premium calculation of a quote, kept with the plan and printed by `explain`.
public struct PremiumBreakdown: Hashable, Sendable, Codable {
    /// The version that priced it.
    public var versionId: String
    /// Premium per payment at `frequency`, KRW, after rounding (applied once, to the total).
    public var premium: Int64
    public var frequency: PaymentFrequency
    /// `premium × payments per year` (12 monthly, 1 annual).
    public var annualPremium: Int64
    /// Main coverage first, then riders in quote order.
    public var components: [PremiumComponent]
    /// Sum of the components' raw amounts.
    public var rawTotal: Double
    public var rounding: Rounding
    /// Who and what was priced; nil in breakdowns saved before it was kept (they carry their steps).
    public var quote: PricedQuote?
    /// The explanation lines as written into the breakdown: by versions that stored them with
    /// every plan, and by `explain --json`. Nil in a breakdown as stored now: `steps` renders them.
    public var writtenSteps: [String]?

    /// Plain-English lines, numbers substituted, that an auditor can follow to the premium:
    /// as written, else rendered from the values above (`PremiumSteps`).
    public var steps: [String] { writtenSteps ?? PremiumSteps.lines(self) }

    public init(versionId: String, premium: Int64, frequency: PaymentFrequency,
                annualPremium: Int64, components: [PremiumComponent], rawTotal: Double,
                rounding: Rounding, quote: PricedQuote?, writtenSteps: [String]? = nil) {
        self.versionId = versionId
        self.premium = premium
        self.frequency = frequency
        self.annualPremium = annualPremium
        self.components = components
        self.rawTotal = rawTotal
        self.rounding = rounding
        self.quote = quote
        self.writtenSteps = writtenSteps
    }

    enum CodingKeys: String, CodingKey {
        case versionId = "version_id", premium, frequency, annualPremium = "annual_premium"
        case components, rawTotal = "raw_total", rounding, quote, writtenSteps = "steps"
    }
}

/// The insured and the term a breakdown priced.
public struct PricedQuote: Hashable, Sendable, Codable {
    public var gender: Gender
    /// Insurance age.
    public var age: Int
    public var termYears: Int
    public var payYears: Int

    public init(gender: Gender, age: Int, termYears: Int, payYears: Int) {
        self.gender = gender
        self.age = age
        self.termYears = termYears
        self.payYears = payYears
    }

    enum CodingKeys: String, CodingKey {
        case gender, age, termYears = "term_years", payYears = "pay_years"
    }
}
