import Foundation

/// Makeham's law of mortality: force of mortality `μ(x) = A + B·cˣ`.
///
/// The one-year survival probability follows in closed form:
/// `p(x) = exp(−A − B·cˣ·(c − 1) / ln c)`, and `q(x) = 1 − p(x)`.
/// Both reference tables shipped in `data/mortality/` are Makeham tables: the Standard Ultimate
/// Life Table (A = 0.00022, B = 2.7e-6, c = 1.124) and, from age 13, Bowers et al.'s
/// Illustrative Life Table (A = 0.0007, B = 0.00005, c = 10^0.04).
public struct MakehamLaw: Hashable, Sendable, Codable {
    public var a: Double
    public var b: Double
    public var c: Double

    public init(a: Double, b: Double, c: Double) {
        self.a = a
        self.b = b
        self.c = c
    }

    /// `ₜpₓ` for t = 1: probability that a life aged `age` survives one year.
    public func p(_ age: Int) -> Double {
        exp(-a - b * pow(c, Double(age)) * (c - 1) / log(c))
    }

    /// Probability that a life aged `age` dies within one year.
    public func q(_ age: Int) -> Double { 1 - p(age) }

    /// A unisex table of `q` for ages `from...to`, closed at `to` (q = 1 there: nobody
    /// survives beyond the table's last age).
    public func table(name: String, title: String, source: String, from: Int, to: Int) -> MortalityTable {
        var rates = (from...to).map(q)
        rates[rates.count - 1] = 1
        return MortalityTable(name: name, title: title, source: source, firstAge: from, male: rates)
    }

    /// `"Makeham A=0.00022 B=2.7e-06 c=1.124"`.
    public var description: String {
        "Makeham A=\(CatalogText.number(a)) B=\(CatalogText.number(b)) c=\(CatalogText.number(c))"
    }
}
