import CSQLiteTuning
import Foundation
import GRDB

/// `column IN ('A','B','C')` written as `(column = 'A' OR column = 'B' OR column = 'C')`.
///
/// SQLite evaluates a list of three or more constants by building a temporary B-tree of them
/// each time a statement runs (`OpenEphemeral`: a pager opened, the values inserted, closed
/// again). In a CHECK constraint or a partial index's condition that happens on every INSERT
/// and UPDATE of the table: about ten a request (requests, plans, proposals, payments), 5% of
/// the job's thread in an incremental run on the 1M home. The comparisons give the same
/// answers without it. Lists of two or fewer are compiled as comparisons already.
public enum ConstantLists {
    /// `(column = 'A' OR column = 'B')`: the form the schema (v16 on) and the queries that
    /// must match a partial index use, word for word.
    public static func comparisons(_ column: String, _ values: [String]) -> String {
        comparisons(column, literals: values.map { "'\($0)'" })
    }

    /// `(column = <literal> OR ...)`, the literals as SQL writes them.
    private static func comparisons(_ column: String, literals: [String]) -> String {
        "(" + literals.map { "\(column) = \($0)" }.joined(separator: " OR ") + ")"
    }

    /// `sql` with every `name IN (constant, ...)` of three or more quoted strings or integers
    /// written as comparisons; anything else is left as it is.
    public static func expanded(_ sql: String) -> String {
        let text = sql as NSString
        var result = ""
        var last = 0
        for match in pattern.matches(in: sql, range: NSRange(location: 0, length: text.length)) {
            let items = items(in: text.substring(with: match.range(at: 2)))
            guard items.count >= 3 else { continue }
            result += text.substring(with: NSRange(location: last, length: match.range.location - last))
            result += comparisons(text.substring(with: match.range(at: 1)), literals: items)
            last = match.range.location + match.range.length
        }
        return result + text.substring(from: last)
    }

    /// Rewrites the CHECK constraints of the tables in `db` with `expanded`, in place, as
    /// SQLite documents for constraint changes that leave the stored rows valid (ALTER TABLE,
    /// "Making Other Kinds Of Table Schema Changes"): the table's text in the schema, then
    /// the schema version, in the caller's transaction. The comparisons accept exactly the
    /// values the lists did, so every stored row still satisfies them. A connection in
    /// defensive mode (a SQLite built with it on by default) would refuse the write to
    /// `sqlite_master`: the mode is turned off for the rewrite and restored after it.
    static func rewriteTableChecks(_ db: Database) throws {
        let tables = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE '% IN (%'")
        let changed = tables.compactMap { row -> (name: String, sql: String)? in
            let sql: String = row["sql"]
            let rewritten = expanded(sql)
            return rewritten == sql ? nil : (row["name"], rewritten)
        }
        guard !changed.isEmpty else { return }
        let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
        let defensive = try setDefensive(db, -1)
        if defensive { _ = try setDefensive(db, 0) }
        defer { if defensive { _ = try? setDefensive(db, 1) } }
        try db.execute(sql: "PRAGMA writable_schema = ON")
        for table in changed {
            try db.execute(sql: "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                           arguments: [table.sql, table.name])
        }
        try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
        try db.execute(sql: "PRAGMA writable_schema = OFF")
    }

    /// Sets the connection's defensive flag (1 on, 0 off, -1 unchanged); returns it as it then is.
    static func setDefensive(_ db: Database, _ on: Int32) throws -> Bool {
        var now: Int32 = 0
        let code = ez_sqlite_defensive(UnsafeMutableRawPointer(db.sqliteConnection), on, &now)
        guard code == 0 else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "SQLITE_DBCONFIG_DEFENSIVE") }
        return now != 0
    }

    /// A name, ` IN (`, and a list of quoted strings (no quotes inside) or integers.
    private static let pattern = try! NSRegularExpression(
        pattern: #"\b([A-Za-z_][A-Za-z0-9_]*)\s+IN\s*\(\s*((?:'[^']*'|-?[0-9]+)(?:\s*,\s*(?:'[^']*'|-?[0-9]+))*)\s*\)"#)

    private static func items(in list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }
}
