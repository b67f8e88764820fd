import Foundation

/// Named points between a commit and an external effect where tests can make the process
/// die as `kill -9` would: set `EZINSURANCE_CRASH_AT=<name>` (optionally `<name>:<n>` to die
/// at the n-th pass). Never set in production.
public enum CrashPoint {
    nonisolated(unsafe) private static var passes: [String: Int] = [:]
    private static let lock = NSLock()
    private static let spec = hookSpec("EZINSURANCE_CRASH_AT", defaultCount: 1)

    public static func hit(_ name: String) {
        guard let spec, spec.name == name else { return }
        let count = lock.withLock {
            passes[name, default: 0] += 1
            return passes[name]!
        }
        if count >= spec.count {
            FileHandle.standardError.write(Data("crash point \(name) reached: killing the process\n".utf8))
            kill(getpid(), SIGKILL)
        }
    }
}

/// A test hook's setting, `<name>` or `<name>:<count>`, from the environment variable `variable`.
func hookSpec(_ variable: String, defaultCount: Int) -> (name: String, count: Int)? {
    guard let raw = ProcessInfo.processInfo.environment[variable], !raw.isEmpty else { return nil }
    let parts = raw.split(separator: ":")
    return (String(parts[0]), parts.count > 1 ? Int(parts[1]) ?? defaultCount : defaultCount)
}
