import Foundation
import Logging

/// Reports how far a long stage has come: on a terminal, one line rewritten in place with
/// done/total, rate and time left; otherwise (cron) one log line per chunk.
public final class ProgressReporter {
    private let terminal: Bool
    private let logger: Logger
    private let quiet: Bool
    private var started: [String: Date] = [:]
    private var lastDraw = Date.distantPast

    public init(logger: Logger, quiet: Bool, terminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.logger = logger
        self.quiet = quiet
        self.terminal = terminal
    }

    /// `total` nil when unknown.
    public func report(_ stage: String, done: Int, total: Int?) {
        guard !quiet else { return }
        let now = Date()
        let start = started[stage] ?? now
        if started[stage] == nil { started[stage] = now }
        let elapsed = max(now.timeIntervalSince(start), 0.001)
        let rate = Double(done) / elapsed
        var text = "\(stage): \(done)"
        if let total {
            text += "/\(total)"
            if rate > 0, total > done { text += String(format: ", %.0f/s, %.0fs left", rate, Double(total - done) / rate) }
        } else {
            text += String(format: ", %.0f/s", rate)
        }
        if terminal {
            guard now.timeIntervalSince(lastDraw) > 0.2 || done == total else { return }
            lastDraw = now
            FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
            if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
        } else {
            logger.info("\(text)")
        }
    }
}
