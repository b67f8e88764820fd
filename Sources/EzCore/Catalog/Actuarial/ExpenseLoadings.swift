/// Expense loadings (예정사업비율) of an actuarial gross premium.
///
/// - `alpha` (신계약비): acquisition, a fraction of the sum insured, incurred once at issue;
/// - `beta` (수금비): collection, a fraction of each gross premium;
/// - `gamma` (유지비): maintenance, a fraction of the sum insured each year of the coverage
///   term while the payment term lasts, and `gammaAfterPayment` in the years after it
///   (paid-up years; equal to `gamma` when not stated).
public struct ExpenseLoadings: Hashable, Sendable, Codable {
    public var alpha: Double
    public var beta: Double
    public var gamma: Double
    public var gammaAfterPayment: Double

    public init(alpha: Double, beta: Double, gamma: Double, gammaAfterPayment: Double? = nil) {
        self.alpha = alpha
        self.beta = beta
        self.gamma = gamma
        self.gammaAfterPayment = gammaAfterPayment ?? gamma
    }

    enum CodingKeys: String, CodingKey {
        case alpha, beta, gamma, gammaAfterPayment = "gamma_after_payment"
    }

    /// No loadings: the gross premium is the net premium.
    public static let none = ExpenseLoadings(alpha: 0, beta: 0, gamma: 0)
}
