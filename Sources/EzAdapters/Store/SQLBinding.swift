import GRDB
import GRDBSQLite

/// A value bound to a statement parameter straight through SQLite's C API.
///
/// GRDB's `execute(arguments:)` turns every argument into a `DatabaseValue`, checks the count
/// against the statement, nests a closure per argument to bind it without a copy, and runs its
/// hooks around the step: per statement, more than the insert itself costs SQLite for the
/// small rows a run writes per request (an event log insert spent 1.8 µs in GRDB; 12% of a
/// 20k run's CPU was GRDB's own). `Database.run` binds these values and steps the statement
/// itself; SQLite copies texts as it binds them (`SQLITE_TRANSIENT`).
public protocol SQLBindable {
    /// Binds the value to parameter `index` (1-based); returns SQLite's result code.
    func bind(to statement: SQLiteStatement, at index: Int32) -> Int32
}

/// SQLite's "copy the value now" destructor.
let sqliteTransient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

extension String: SQLBindable {
    public func bind(to statement: SQLiteStatement, at index: Int32) -> Int32 {
        var text = self
        return text.withUTF8 { UTF8Text.bind($0, to: statement, at: index) }
    }
}

extension Int64: SQLBindable {
    public func bind(to statement: SQLiteStatement, at index: Int32) -> Int32 {
        sqlite3_bind_int64(statement, index, self)
    }
}

extension Int: SQLBindable {
    public func bind(to statement: SQLiteStatement, at index: Int32) -> Int32 {
        sqlite3_bind_int64(statement, index, Int64(self))
    }
}

extension Bool: SQLBindable {
    public func bind(to statement: SQLiteStatement, at index: Int32) -> Int32 {
        sqlite3_bind_int64(statement, index, self ? 1 : 0)
    }
}

extension Double: SQLBindable {
    public func bind(to statement: SQLiteStatement, at index: Int32) -> Int32 {
        sqlite3_bind_double(statement, index, self)
    }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    public func bind(to statement: SQLiteStatement, at index: Int32) -> Int32 {
        switch self {
        case .some(let value): value.bind(to: statement, at: index)
        case .none: sqlite3_bind_null(statement, index)
        }
    }
}

/// UTF-8 bytes bound as TEXT (a JSON record as its encoder wrote it, with no `String` made of
/// it first: the store keeps the same TEXT value either way).
public struct UTF8Text: SQLBindable, Sendable {
    public var bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func bind(to statement: SQLiteStatement, at index: Int32) -> Int32 {
        bytes.withUnsafeBufferPointer { Self.bind($0, to: statement, at: index) }
    }

    /// An empty buffer may have no address, which SQLite would bind as NULL: "" is bound then.
    static func bind(_ text: UnsafeBufferPointer<UInt8>, to statement: SQLiteStatement, at index: Int32) -> Int32 {
        guard let base = text.baseAddress, !text.isEmpty else {
            return sqlite3_bind_text(statement, index, "", 0, sqliteTransient)
        }
        return base.withMemoryRebound(to: CChar.self, capacity: text.count) {
            sqlite3_bind_text(statement, index, $0, Int32(text.count), sqliteTransient)
        }
    }
}

extension Statement {
    /// Resets the statement and binds `arguments` to its parameters, in order.
    func bindDirect(_ arguments: [any SQLBindable]) throws {
        let statement = sqliteStatement
        try reset(expecting: Int32(arguments.count))
        for (i, argument) in arguments.enumerated() {
            let code = argument.bind(to: statement, at: Int32(i + 1))
            guard code == SQLITE_OK else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "binding parameter \(i + 1) failed", sql: sql)
            }
        }
    }

    /// Resets the statement, which must take `count` parameters.
    func reset(expecting count: Int32) throws {
        sqlite3_reset(sqliteStatement)
        guard count == sqlite3_bind_parameter_count(sqliteStatement) else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE,
                                message: "\(count) arguments for \(sqlite3_bind_parameter_count(sqliteStatement)) parameters", sql: sql)
        }
    }
}

extension Database {
    /// Runs the cached statement `sql` (an INSERT, UPDATE or DELETE) with `arguments`, bound
    /// and stepped through SQLite's C API (see `SQLBindable`).
    public func run(_ sql: String, _ arguments: [any SQLBindable]) throws {
        try run(statement: cachedStatement(sql: sql), arguments)
    }

    /// Runs `cached` (a statement of this connection) with `arguments`.
    func run(statement cached: Statement, _ arguments: [any SQLBindable]) throws {
        try cached.bindDirect(arguments)
        try step(cached)
    }

    /// Runs `cached` with its `count` parameters bound by `bind`, which returns SQLite's
    /// result code and the parameter it stopped at.
    func run(statement cached: Statement, count: Int32, bind: (SQLiteStatement) -> (code: Int32, at: Int32)) throws {
        try cached.reset(expecting: count)
        let bound = bind(cached.sqliteStatement)
        guard bound.code == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: bound.code), message: "binding parameter \(bound.at) failed", sql: cached.sql)
        }
        try step(cached)
    }

    /// Steps `cached`, already bound, to its end, and resets it.
    private func step(_ cached: Statement) throws {
        let statement = cached.sqliteStatement
        defer { sqlite3_reset(statement) }
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return }
            if code != SQLITE_ROW {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: lastErrorMessage, sql: cached.sql)
            }
        }
    }
}

/// The statements one transaction has used, found again by the address of their SQL text
/// (the same constant string every time) instead of through GRDB's cache, which hashes the
/// whole text: 3–5% of the requests stage, at 20 to 30 statements a request. The entry keeps
/// the text, so no other string can take its address while the memo lives, and a hit is
/// checked against it (a pointer comparison when it is the same string).
final class StatementMemo {
    private var entries: [UnsafeRawPointer: (sql: String, statement: Statement)] = [:]

    func statement(_ sql: String, in db: Database) throws -> Statement {
        guard let key = sql.utf8.withContiguousStorageIfAvailable({ $0.baseAddress.map(UnsafeRawPointer.init) }) ?? nil else {
            return try db.cachedStatement(sql: sql)
        }
        if let hit = entries[key], hit.sql == sql { return hit.statement }
        let statement = try db.cachedStatement(sql: sql)
        entries[key] = (sql, statement)
        return statement
    }
}
