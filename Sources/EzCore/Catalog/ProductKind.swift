/// The kind of a product (상품종류), as spelled in the catalog YAML.
public enum ProductKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// Term life (정기보험): pays on death within the term.
    case term
    /// Endowment (양로보험): pays on death within the term or on survival to its end.
    case endowment
    /// Whole life (종신보험).
    case wholeLife = "whole_life"
    /// Health (건강·질병·상해): diagnosis, surgery, dental, dementia and similar benefits.
    case health
}
