import Foundation
import GRDB

/// `EZINSURANCE_SQL_PROFILE=1`: every connection of the process reports how long each SQL
/// statement ran, and at exit the costliest statements (total time, executions, SQL) go to
/// standard error: the 25 costliest, or as many as the variable says when it is a larger
/// number (to list every statement a run made, whole, for `EXPLAIN QUERY PLAN`). A diagnostic
/// for "where does the time go" on a large home; off by default, because SQLite's profile
/// callback runs on every statement.
final class SQLProfile: @unchecked Sendable {
    /// The process's profile, when the environment asks for one.
    static let shared: SQLProfile? = {
        guard let value = ProcessInfo.processInfo.environment["EZINSURANCE_SQL_PROFILE"] else { return nil }
        let profile = SQLProfile()
        top = max(25, Int(value) ?? 0)
        atexit { SQLProfile.shared?.print(top: SQLProfile.top) }
        return profile
    }()

    nonisolated(unsafe) private static var top = 25
    private let lock = NSLock()
    private var totals: [String: (seconds: Double, count: Int)] = [:]

    func attach(to db: Database) {
        db.trace(options: .profile) { [self] event in
            guard case let .profile(statement, duration) = event else { return }
            lock.withLock {
                let sql = statement.sql
                let total = totals[sql] ?? (0, 0)
                totals[sql] = (total.seconds + duration, total.count + 1)
            }
        }
    }

    /// Writes the `top` statements by total time to standard error.
    func print(top: Int) {
        let rows = lock.withLock { totals.sorted { $0.value.seconds > $1.value.seconds }.prefix(top) }
        var text = "SQL profile (total seconds, executions, statement):\n"
        for (sql, total) in rows {
            let oneLine = sql.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            text += String(format: "%9.3f s %9d  ", total.seconds, total.count) + oneLine.prefix(Self.top > 25 ? Int.max : 200) + "\n"
        }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
