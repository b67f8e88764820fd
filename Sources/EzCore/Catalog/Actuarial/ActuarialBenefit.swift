/// What an actuarially priced coverage pays, at the end of the year of death (and at
/// maturity for an endowment).
public enum ActuarialBenefit: String, Hashable, Sendable, Codable, CaseIterable {
    /// Death within the coverage term n: `A¹ₓ:ₙ`.
    case term
    /// Death within n, or survival to n: `Aₓ:ₙ = A¹ₓ:ₙ + ₙEₓ`.
    case endowment
    /// Death at any age up to the mortality table's last age: `Aₓ` (n = ω − x + 1).
    case wholeLife = "whole_life"

    /// The benefit a product kind implies; nil for `health`, which has no mortality benefit.
    public init?(kind: ProductKind) {
        switch kind {
        case .term: self = .term
        case .endowment: self = .endowment
        case .wholeLife: self = .wholeLife
        case .health: return nil
        }
    }
}
