/// One version of a product (상품 버전): everything needed to underwrite, price and document a
/// plan quoted while the version is in effect. A plan keeps `versionId` for life.
public struct ProductVersion: Hashable, Sendable, Codable, Identifiable {
    /// Product code: `P` followed by 8 digits.
    public var code: String
    /// Version number, unique within the product (1, 2, …).
    public var version: Int
    /// Korean product name.
    public var name: String
    public var kind: ProductKind
    /// First day the version is in effect.
    public var effectiveFrom: BusinessDate
    /// Last day the version is in effect (inclusive); nil = open-ended.
    public var effectiveTo: BusinessDate?
    /// Insurance ages (보험나이) at which the product may be bought.
    public var entryAge: ClosedRange<Int>
    /// Allowed (term, payment period) pairs, in years (see `TermOption`).
    public var terms: [TermOption]
    /// Insurance age at entry + term years must not exceed this.
    public var maxExpiryAge: Int
    /// Allowed main-coverage sums insured.
    public var sumInsured: SumInsuredRule
    /// Frequencies the premium may be paid at.
    public var paymentFrequencies: [PaymentFrequency]
    public var riders: [RiderSpec]
    public var underwriting: UnderwritingRules
    public var withdrawal: WithdrawalWindow
    /// Days a quote stays valid for a proposal (default 30).
    public var quoteValidityDays: Int
    /// How many times a declined first premium is charged before NOT_CONCLUDED (default 3).
    public var maxPaymentAttempts: Int
    /// The product description document's text.
    public var document: ProductDocument
    public var pricing: Pricing
    public var rounding: Rounding

    public init(code: String, version: Int, name: String, kind: ProductKind,
                effectiveFrom: BusinessDate, effectiveTo: BusinessDate? = nil,
                entryAge: ClosedRange<Int>, terms: [TermOption], maxExpiryAge: Int,
                sumInsured: SumInsuredRule, paymentFrequencies: [PaymentFrequency],
                riders: [RiderSpec] = [], underwriting: UnderwritingRules,
                withdrawal: WithdrawalWindow = .standard, quoteValidityDays: Int = 30,
                maxPaymentAttempts: Int = 3, document: ProductDocument, pricing: Pricing,
                rounding: Rounding) {
        self.code = code
        self.version = version
        self.name = name
        self.kind = kind
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
        self.entryAge = entryAge
        self.terms = terms
        self.maxExpiryAge = maxExpiryAge
        self.sumInsured = sumInsured
        self.paymentFrequencies = paymentFrequencies
        self.riders = riders
        self.underwriting = underwriting
        self.withdrawal = withdrawal
        self.quoteValidityDays = quoteValidityDays
        self.maxPaymentAttempts = maxPaymentAttempts
        self.document = document
        self.pricing = pricing
        self.rounding = rounding
    }

    /// `"<code>-v<version>"`, e.g. `"P00000002-v2"`.
    public var versionId: String { ProductVersion.versionId(code: code, version: version) }
    public var id: String { versionId }

    /// Builds a version id from a code and a version number.
    public static func versionId(code: String, version: Int) -> String { "\(code)-v\(version)" }

    /// Whether the version is in effect on `date` (both ends inclusive).
    public func isEffective(on date: BusinessDate) -> Bool {
        date >= effectiveFrom && (effectiveTo.map { date <= $0 } ?? true)
    }

    /// The rider with `code`, if the version offers it.
    public func rider(code: String) -> RiderSpec? { riders.first { $0.code == code } }

    /// `"2025-01-01..2026-06-30"` or `"2026-07-01..open"`.
    public var effectivePeriod: String {
        "\(effectiveFrom)..\(effectiveTo.map(\.description) ?? "open")"
    }
}
