import Foundation

/// Named points inside a transaction where tests hold the process still, so that another
/// process can be made to run at exactly that moment: set `EZINSURANCE_PAUSE_AT=<name>:<ms>`.
/// Never set in production (as `CrashPoint`).
public enum PausePoint {
    private static let spec: (name: String, milliseconds: UInt32)? = {
        guard let raw = ProcessInfo.processInfo.environment["EZINSURANCE_PAUSE_AT"], !raw.isEmpty else { return nil }
        let parts = raw.split(separator: ":")
        return (String(parts[0]), parts.count > 1 ? UInt32(parts[1]) ?? 1000 : 1000)
    }()

    public static func hit(_ name: String) {
        guard let spec, spec.name == name else { return }
        FileHandle.standardError.write(Data("pause point \(name) reached: pausing \(spec.milliseconds) ms\n".utf8))
        usleep(spec.milliseconds * 1000)
    }
}
