/// An enum whose cases carry no payload, compared and hashed by its case (its one-byte tag)
/// rather than by its raw value's text, which `RawRepresentable` would otherwise hash and
/// compare: event types key the alarm templates and the consumers' sets of wanted types,
/// looked up for every event, and every status transition builds its set of successors.
public protocol CaseTagged: RawRepresentable, Hashable {}

extension CaseTagged {
    public static func == (a: Self, b: Self) -> Bool { a.ordinal == b.ordinal }
    public func hash(into hasher: inout Hasher) { hasher.combine(ordinal) }

    /// The case's position in the declaration (its stored tag: a case without a payload is one byte).
    var ordinal: UInt8 { withUnsafeBytes(of: self) { $0[0] } }
}
