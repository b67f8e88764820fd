import ArgumentParser
import EzAdapters
import EzCore
import EzRunner
import Foundation
import Logging

/// What every command resolves before it works: the home, the business date, the store.
struct Environment {
    let home: Home
    let asOf: BusinessDate
    let logger: Logger

    /// Resolves `--home` (else `$EZINSURANCE_HOME`, else `./var`) and `--as-of` (else today in
    /// Asia/Seoul), creating and seeding a missing home. The embedded default home (`./var`)
    /// also gets the sample requests from `data/samples/inbox`.
    init(_ common: CommonOptions, log: LogOptions? = nil) throws {
        let env = ProcessInfo.processInfo.environment
        let explicit = common.home ?? env["EZINSURANCE_HOME"]
        home = Home(explicit ?? "./var")
        if let text = common.asOf {
            guard let date = BusinessDate(text) else {
                throw ValidationError("--as-of: not a date (YYYY-MM-DD): \(text)")
            }
            asOf = date
        } else {
            asOf = Environment.todayInSeoul()
        }
        var logger = Logger(label: "ezinsurance")
        logger.logLevel = log?.level ?? .info
        self.logger = logger
        let seed = SeedSource.locate(executable: CommandLine.arguments[0])
        try home.prepare(seed: seed, withSamples: explicit == nil)
    }

    func openStore() throws -> StateStore {
        try StateStore(path: home.database.path)
    }

    /// The status views' database (`views/status.sqlite`).
    func openViews() throws -> ViewStore {
        try ViewStore(path: home.viewStore.path)
    }

    /// Today in Asia/Seoul: the default business date, read once at the edge (the same
    /// Seoul clock `tick` schedules by).
    static func todayInSeoul() -> BusinessDate { LocalMinute(Date()).date }
}

/// Runs a command body and maps failures to sysexits codes with a one-line message.
@discardableResult
func withExitCodes<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as RunnerError {
        FileHandle.standardError.write(Data("ezinsurance: \(error)\n".utf8))
        throw ExitCode(error.exitCode)
    } catch let error as ValidationError {
        throw error
    } catch let error as ExitCode {
        throw error
    } catch {
        FileHandle.standardError.write(Data("ezinsurance: internal error: \(error)\n".utf8))
        throw ExitCode(70)
    }
}

/// Logging flags of the commands that run jobs.
struct LogOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Only warnings and errors; no progress.") var quiet = false
    @Flag(name: .shortAndLong, help: "Debug logs.") var verbose = false
    @Option(name: .customLong("log-format"), help: "text or json (one JSON object per line on stderr).")
    var logFormat: LogFormat = .text

    enum LogFormat: String, ExpressibleByArgument { case text, json }

    var level: Logger.Level { quiet ? .warning : verbose ? .debug : .info }

    /// Logging goes to standard error, so standard output stays for results.
    func bootstrap() {
        let json = logFormat == .json
        LogSetup.bootstrap(json: json)
    }
}

enum LogSetup {
    nonisolated(unsafe) private static var done = false
    static func bootstrap(json: Bool) {
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in
            json ? JSONLogHandler(label: label) as any LogHandler : StreamLogHandler.standardError(label: label)
        }
    }
}

/// One JSON object per log line on standard error: ts, level, label, message, metadata.
struct JSONLogHandler: LogHandler {
    let label: String
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var object: [String: String] = [
            "ts": ISO8601DateFormatter().string(from: Date()), "level": event.level.rawValue,
            "label": label, "message": event.message.description,
        ]
        for (k, v) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { object[k] = v.description }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(object) else { return }
        FileHandle.standardError.write(data + Data("\n".utf8))
    }
}
