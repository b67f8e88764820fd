import Foundation

/// Commutation functions (계산기수) of a mortality basis for one gender at one interest rate.
///
/// With `lₓ` from a radix of 100,000 at the table's first age and `v = 1 / (1 + i)`:
/// `Dₓ = vˣ·lₓ`, `Cₓ = vˣ⁺¹·dₓ`, `Nₓ = Σ_{y ≥ x} D_y`, `Mₓ = Σ_{y ≥ x} C_y`; beyond the
/// table's last age ω all four are 0. Then, exactly (no approximation):
///
/// - `äₓ:ₙ = (Nₓ − Nₓ₊ₙ) / Dₓ` (life annuity-due, n years),
/// - `A¹ₓ:ₙ = (Mₓ − Mₓ₊ₙ) / Dₓ` (term insurance, benefit at the end of the year of death),
/// - `ₙEₓ = Dₓ₊ₙ / Dₓ` (pure endowment).
public struct CommutationTable: Hashable, Sendable {
    /// The radix `l` at the table's first age.
    public static let radix = 100_000.0

    public let firstAge: Int
    public let lastAge: Int
    public let interest: Double
    public let l: [Double]
    public let d: [Double]
    public let D: [Double]
    public let C: [Double]
    public let N: [Double]
    public let M: [Double]

    /// Builds the functions for ages `firstAge ... lastAge + 1` of `basis` (the last entry is
    /// the zero beyond the table).
    public init(basis: MortalityBasis, gender: Gender, interest: Double) {
        let table = basis.table
        firstAge = table.firstAge
        lastAge = table.lastAge
        self.interest = interest
        let count = lastAge - firstAge + 2
        let v = 1 / (1 + interest)
        var l = [Double](repeating: 0, count: count), d = l, D = l, C = l
        l[0] = Self.radix
        for i in 0..<(count - 1) {
            let x = firstAge + i
            let q = basis.q(age: x, gender: gender) ?? 1
            d[i] = l[i] * q
            l[i + 1] = l[i] - d[i]
            D[i] = pow(v, Double(x)) * l[i]
            C[i] = pow(v, Double(x + 1)) * d[i]
        }
        l[count - 1] = 0
        var N = [Double](repeating: 0, count: count), M = N
        for i in stride(from: count - 2, through: 0, by: -1) {
            N[i] = N[i + 1] + D[i]
            M[i] = M[i + 1] + C[i]
        }
        self.l = l
        self.d = d
        self.D = D
        self.C = C
        self.N = N
        self.M = M
    }

    private func index(_ age: Int) -> Int? {
        let i = age - firstAge
        return (0..<l.count).contains(i) ? i : nil
    }

    /// `Dₓ`, 0 beyond the table; nil before its first age.
    public func D(_ age: Int) -> Double? { age > lastAge ? 0 : index(age).map { D[$0] } }
    /// `Nₓ`, 0 beyond the table.
    public func N(_ age: Int) -> Double? { age > lastAge ? 0 : index(age).map { N[$0] } }
    /// `Mₓ`, 0 beyond the table.
    public func M(_ age: Int) -> Double? { age > lastAge ? 0 : index(age).map { M[$0] } }

    /// `äₓ:ₙ`, nil when x is outside the table or `Dₓ` is 0.
    public func annuityDue(age x: Int, years n: Int) -> Double? {
        guard let dx = D(x), dx > 0, let a = N(x), let b = N(x + n) else { return nil }
        return (a - b) / dx
    }

    /// `A¹ₓ:ₙ`.
    public func termInsurance(age x: Int, years n: Int) -> Double? {
        guard let dx = D(x), dx > 0, let a = M(x), let b = M(x + n) else { return nil }
        return (a - b) / dx
    }

    /// `ₙEₓ`.
    public func pureEndowment(age x: Int, years n: Int) -> Double? {
        guard let dx = D(x), dx > 0, let b = D(x + n) else { return nil }
        return b / dx
    }

    /// `äₓ` to the end of the table.
    public func wholeLifeAnnuityDue(age x: Int) -> Double? { annuityDue(age: x, years: lastAge - x + 1) }

    /// `Aₓ` to the end of the table.
    public func wholeLifeInsurance(age x: Int) -> Double? { termInsurance(age: x, years: lastAge - x + 1) }

    /// `qₓ` as used (after scaling).
    public func q(_ age: Int) -> Double? { index(age).flatMap { $0 < l.count - 1 && l[$0] > 0 ? d[$0] / l[$0] : nil } }
}
