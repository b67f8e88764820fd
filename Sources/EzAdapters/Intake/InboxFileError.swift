/// A dropped file that cannot be read as a whole; the caller moves it to `rejected/`.
public enum InboxFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The reason names what is wrong and how to fix it
    /// (e.g. `unknown CSV column(s): "custmer.name" (did you mean "customer.name"?)`).
    case unreadable(String)

    public var reason: String {
        switch self {
        case .unreadable(let reason): reason
        }
    }

    public var description: String { "unreadable file: \(reason)" }
}
