/// Premium rates (요율표) for one coverage: the premium per `per` KRW of sum insured, at the
/// base payment frequency, by gender and insurance age and — when `byTerm` — by
/// (term, payment period).
///
/// The premium of a coverage at frequency `f` is
/// `sumInsured / per × rate(gender, age, term) × modalFactors[f]`; the base frequency's
/// modal factor is 1 (e.g. monthly 1.0, annual 11.7 = one annual payment costs 11.7 monthly
/// ones).
public struct RateTable: Hashable, Sendable, Codable {
    /// One row of rates: consecutive insurance ages from `ageFrom` for a gender (and term).
    public struct Row: Hashable, Sendable, Codable {
        public var gender: Gender
        /// The (term, pay) the row prices; nil when the table is not by term.
        public var term: TermOption?
        /// Insurance age of `rates[0]`.
        public var ageFrom: Int
        /// Rates for ages `ageFrom, ageFrom + 1, …`.
        public var rates: [Double]

        public init(gender: Gender, term: TermOption? = nil, ageFrom: Int, rates: [Double]) {
            self.gender = gender
            self.term = term
            self.ageFrom = ageFrom
            self.rates = rates
        }

        /// The ages the row covers; nil when it has no rates.
        public var ages: ClosedRange<Int>? {
            rates.isEmpty ? nil : ageFrom...(ageFrom + rates.count - 1)
        }

        /// The rate at an insurance age, nil outside the row.
        public func rate(age: Int) -> Double? {
            let i = age - ageFrom
            return rates.indices.contains(i) ? rates[i] : nil
        }
    }

    /// Rates are per this many KRW of sum insured (e.g. 10,000).
    public var per: Int64
    /// The frequency the rates are quoted for (monthly).
    public var baseFrequency: PaymentFrequency
    /// Multiplier from the base-frequency premium to a premium at each frequency.
    public var modalFactors: [PaymentFrequency: Double]
    /// Whether rows are keyed by (term, pay) as well as gender and age.
    public var byTerm: Bool
    public var rows: [Row]

    public init(per: Int64, baseFrequency: PaymentFrequency = .monthly,
                modalFactors: [PaymentFrequency: Double], byTerm: Bool, rows: [Row]) {
        self.per = per
        self.baseFrequency = baseFrequency
        self.modalFactors = modalFactors
        self.byTerm = byTerm
        self.rows = rows
    }

    /// The row for a gender and term (the term is ignored unless `byTerm`).
    public func row(gender: Gender, term: TermOption) -> Row? {
        rows.first { $0.gender == gender && (byTerm ? $0.term == term : true) }
    }

    /// The rate per `per` KRW at the base frequency; nil when the table has none for the
    /// gender, age and term.
    public func rate(gender: Gender, age: Int, term: TermOption) -> Double? {
        row(gender: gender, term: term)?.rate(age: age)
    }

    /// The modal factor for a frequency; nil when the table has none.
    public func modalFactor(for frequency: PaymentFrequency) -> Double? {
        modalFactors[frequency]
    }
}
