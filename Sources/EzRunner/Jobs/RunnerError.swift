/// Why a command stopped; each maps to one sysexits code.
public enum RunnerError: Error, CustomStringConvertible {
    /// Bad flags or arguments (64).
    case usage(String)
    /// Input that stops the run, e.g. an invalid catalog (65).
    case invalidInput(String)
    /// A bug or a broken environment (70).
    case internalError(String)
    /// Another run holds the job's lock (75).
    case locked(String)

    public var exitCode: Int32 {
        switch self {
        case .usage: 64
        case .invalidInput: 65
        case .internalError: 70
        case .locked: 75
        }
    }

    public var description: String {
        switch self {
        case .usage(let m): "usage: \(m)"
        case .invalidInput(let m): "invalid input: \(m)"
        case .internalError(let m): "internal error: \(m)"
        case .locked(let m): "locked: \(m); try again later"
        }
    }
}
