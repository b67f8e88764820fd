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
    init(_ common: CommonOptions, verbose: Bool = false) throws {
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
        logger.logLevel = verbose ? .debug : .info
        self.logger = logger
        let seed = SeedSource.locate(executable: CommandLine.arguments[0])
        try home.prepare(seed: seed, withSamples: explicit == nil)
    }

    func openStore() throws -> StateStore {
        try StateStore(path: home.database.path)
    }

    /// Today in Asia/Seoul: the default business date, read once at the edge.
    static func todayInSeoul() -> BusinessDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Seoul") ?? TimeZone(secondsFromGMT: 9 * 3600)!
        let c = calendar.dateComponents([.year, .month, .day], from: Date())
        return BusinessDate(year: c.year!, month: c.month!, day: c.day!)!
    }
}

/// Runs a command body and maps failures to sysexits codes with a one-line message.
func withExitCodes(_ body: () throws -> Void) throws {
    do {
        try body()
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

/// Logging to standard error, so standard output stays for results.
enum LogSetup {
    static let once: Void = {
        LoggingSystem.bootstrap { label in StreamLogHandler.standardError(label: label) }
    }()
}
