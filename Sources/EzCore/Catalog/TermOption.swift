/// One allowed combination of insurance period (보험기간) and payment period (납입기간).
///
/// Representation: both periods are whole **years counted from the policy start**. An
/// age-based maturity (e.g. "80세만기", or whole life "종신" read as "to age 100") is not a
/// separate kind of term: the product lists the year terms it sells and caps them with
/// `ProductVersion.maxExpiryAge` (insurance age at entry + `termYears` must not exceed it).
/// A whole-life product therefore lists e.g. `termYears: 60` with `maxExpiryAge: 100`.
public struct TermOption: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// Insurance period in years.
    public var termYears: Int
    /// Payment period in years; never more than `termYears`.
    public var payYears: Int

    public init(termYears: Int, payYears: Int) {
        self.termYears = termYears
        self.payYears = payYears
    }

    /// `"20/10"`: term years / pay years.
    public var description: String { "\(termYears)/\(payYears)" }

    /// Korean label, e.g. `"20년만기 10년납"`.
    public var koreanLabel: String { "\(termYears)년만기 \(payYears)년납" }

    public static func < (lhs: TermOption, rhs: TermOption) -> Bool {
        (lhs.termYears, lhs.payYears) < (rhs.termYears, rhs.payYears)
    }

    enum CodingKeys: String, CodingKey { case termYears = "term_years", payYears = "pay_years" }
}
