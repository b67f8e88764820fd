/// A status with a fixed set of legal transitions.
///
/// Every status change in the domain goes through `transition(to:)`, so an illegal move
/// (paying a declined plan, refunding an unpaid proposal) fails loudly instead of being saved.
public protocol LifecycleStatus: RawRepresentable, Hashable, Sendable, CaseIterable where RawValue == String {
    /// The statuses this one may move to.
    var successors: Set<Self> { get }
}

public struct IllegalTransition: Error, Hashable, Sendable, CustomStringConvertible {
    public let entity: String
    public let from: String
    public let to: String
    public var description: String { "illegal \(entity) transition \(from) -> \(to)" }
}

extension LifecycleStatus {
    // Statuses compare and hash by their case, not by their text: `RawRepresentable`'s own
    // `hash(into:)`, which an enum with raw values otherwise takes, hashes the string, and
    // every `transition(to:)` builds its set of successors (2,300–6,500 instructions a
    // transition; a request and its payment make several).
    public static func == (a: Self, b: Self) -> Bool { a.ordinal == b.ordinal }
    public func hash(into hasher: inout Hasher) { hasher.combine(ordinal) }

    /// The case's position in the declaration (its stored tag: a case without a payload is one byte).
    var ordinal: UInt8 { withUnsafeBytes(of: self) { $0[0] } }

    public var isFinal: Bool { successors.isEmpty }

    /// Returns `next` when the move is legal, else throws `IllegalTransition`.
    public func transition(to next: Self) throws -> Self {
        guard successors.contains(next) else {
            throw IllegalTransition(entity: String(describing: Self.self), from: rawValue, to: next.rawValue)
        }
        return next
    }
}
