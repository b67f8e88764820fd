import Foundation

/// Named points inside a transaction where tests hold the process still, so that another
/// process can be made to run at exactly that moment: set `EZINSURANCE_PAUSE_AT=<name>:<ms>`.
/// Never set in production (as `CrashPoint`).
public enum PausePoint {
    /// The point's name and how long it pauses, in milliseconds.
    private static let spec = hookSpec("EZINSURANCE_PAUSE_AT", defaultCount: 1000)

    public static func hit(_ name: String) {
        guard let spec, spec.name == name else { return }
        FileHandle.standardError.write(Data("pause point \(name) reached: pausing \(spec.count) ms\n".utf8))
        Thread.sleep(forTimeInterval: Double(spec.count) / 1000)
    }
}
