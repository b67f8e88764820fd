import GRDB
import GRDBSQLite

/// A value bound to a statement parameter straight through SQLite's C API.
///
/// GRDB's `execute(arguments:)` turns every argument into a `DatabaseValue`, checks the count
/// against the statement, nests a closure per argument to bind it without a copy, and runs its
/// hooks around the step: per statement, more than the insert itself costs SQLite for the
/// small rows a run writes per request (an event log insert spent 1.8 µs in GRDB; 12% of a
/// 20k run's CPU was GRDB's own). `Database.run` binds these values and steps the statement
/// itself. Texts are bound through `BoundTexts`.
public protocol SQLBindable {
    /// Binds the value to parameter `index` (1-based), a text through `texts`; returns
    /// SQLite's result code.
    func bind(to statement: SQLiteStatement, at index: Int32, texts: inout BoundTexts) -> Int32
}

/// SQLite's "copy the value now" destructor.
let sqliteTransient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// How one execution of a statement binds its texts: copied side by side into a transaction's
/// `TextBuffer` and bound from there as `SQLITE_STATIC`, or (without a buffer, or past its
/// end) copied by SQLite itself (`SQLITE_TRANSIENT`).
///
/// SQLite allocates its copy of a text, and frees it when the parameter is bound again: about
/// 470 instructions a text, 5% of the job thread's work at seven texts an event row and three
/// to five a record row. A copy into the buffer is a `memcpy`.
public struct BoundTexts {
    private let base: UnsafeMutablePointer<UInt8>?
    private let capacity: Int
    private var used = 0
    /// The bytes of every text bound, those SQLite copied included: what the buffer would need.
    private(set) var wanted = 0

    fileprivate init(base: UnsafeMutablePointer<UInt8>?, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    /// Texts copied by SQLite (a cursor's, which may stay open while other statements run).
    static var copied: BoundTexts { BoundTexts(base: nil, capacity: 0) }

    /// Binds `text` to parameter `index`, from its copy in the buffer when there is room.
    mutating func bind(_ text: UnsafeBufferPointer<UInt8>, to statement: SQLiteStatement, at index: Int32) -> Int32 {
        // An empty buffer may have no address, which SQLite would bind as NULL: "" is bound then.
        guard let source = text.baseAddress, !text.isEmpty else {
            return sqlite3_bind_text(statement, index, "", 0, sqliteTransient)
        }
        wanted += text.count
        guard let base, capacity - used >= text.count else {
            return source.withMemoryRebound(to: CChar.self, capacity: text.count) {
                sqlite3_bind_text(statement, index, $0, Int32(text.count), sqliteTransient)
            }
        }
        let copy = base + used
        UnsafeMutableRawPointer(copy).copyMemory(from: source, byteCount: text.count)
        used += text.count
        return copy.withMemoryRebound(to: CChar.self, capacity: text.count) {
            sqlite3_bind_text(statement, index, $0, Int32(text.count), nil)  // nil: SQLITE_STATIC
        }
    }
}

/// A transaction's buffer for the texts of the statement it is running (`BoundTexts`). It lives
/// as long as the transaction; the statement's bindings are cleared (`sqlite3_clear_bindings`)
/// once it has run, so no parameter is left pointing into it when it is reused or freed.
final class TextBuffer {
    private var base: UnsafeMutablePointer<UInt8>?
    private var capacity = 0
    private var busy = false

    deinit { base?.deallocate() }

    /// Runs `body`, which binds `statement`'s parameters, runs it to its end and resets it, with
    /// the buffer for its texts; then clears the statement's bindings. A statement run while
    /// another holds the buffer has its texts copied by SQLite. The buffer grows, for the next
    /// statement, when the texts of this one did not fit.
    func with<R>(_ statement: SQLiteStatement, _ body: (inout BoundTexts) throws -> R) rethrows -> R {
        if busy {
            var texts = BoundTexts.copied
            return try body(&texts)
        }
        busy = true
        var texts = BoundTexts(base: base, capacity: capacity)
        defer {
            sqlite3_clear_bindings(statement)
            busy = false
            if texts.wanted > capacity {
                base?.deallocate()
                capacity = max(texts.wanted, 2 * capacity, 4096)
                base = .allocate(capacity: capacity)
            }
        }
        return try body(&texts)
    }
}

extension String: SQLBindable {
    public func bind(to statement: SQLiteStatement, at index: Int32, texts: inout BoundTexts) -> Int32 {
        var text = self
        return text.withUTF8 { texts.bind($0, to: statement, at: index) }
    }
}

extension Int64: SQLBindable {
    public func bind(to statement: SQLiteStatement, at index: Int32, texts: inout BoundTexts) -> Int32 {
        sqlite3_bind_int64(statement, index, self)
    }
}

extension Int: SQLBindable {
    public func bind(to statement: SQLiteStatement, at index: Int32, texts: inout BoundTexts) -> Int32 {
        sqlite3_bind_int64(statement, index, Int64(self))
    }
}

extension Bool: SQLBindable {
    public func bind(to statement: SQLiteStatement, at index: Int32, texts: inout BoundTexts) -> Int32 {
        sqlite3_bind_int64(statement, index, self ? 1 : 0)
    }
}

extension Double: SQLBindable {
    public func bind(to statement: SQLiteStatement, at index: Int32, texts: inout BoundTexts) -> Int32 {
        sqlite3_bind_double(statement, index, self)
    }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    public func bind(to statement: SQLiteStatement, at index: Int32, texts: inout BoundTexts) -> Int32 {
        switch self {
        case .some(let value): value.bind(to: statement, at: index, texts: &texts)
        case .none: sqlite3_bind_null(statement, index)
        }
    }
}

/// UTF-8 bytes bound as TEXT (a JSON record as its encoder wrote it, with no `String` made of
/// it first: the store keeps the same TEXT value either way).
public struct UTF8Text: SQLBindable, Sendable {
    public var bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func bind(to statement: SQLiteStatement, at index: Int32, texts: inout BoundTexts) -> Int32 {
        bytes.withUnsafeBufferPointer { texts.bind($0, to: statement, at: index) }
    }
}

extension Statement {
    /// Resets the statement and binds `arguments` to its parameters, in order, texts from `texts`.
    func bindDirect(_ arguments: [any SQLBindable], texts: inout BoundTexts) throws {
        let statement = sqliteStatement
        try reset(expecting: Int32(arguments.count))
        for (i, argument) in arguments.enumerated() {
            let code = argument.bind(to: statement, at: Int32(i + 1), texts: &texts)
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
    /// and stepped through SQLite's C API (see `SQLBindable`), its texts copied by SQLite.
    public func run(_ sql: String, _ arguments: [any SQLBindable]) throws {
        let statement = try cachedStatement(sql: sql)
        var texts = BoundTexts.copied
        try statement.bindDirect(arguments, texts: &texts)
        try step(statement)
    }

    /// Runs `cached` (a statement of this connection) with `arguments`, its texts in `buffer`.
    func run(statement cached: Statement, _ arguments: [any SQLBindable], texts buffer: TextBuffer) throws {
        try buffer.with(cached.sqliteStatement) { texts in
            try cached.bindDirect(arguments, texts: &texts)
            try step(cached)
        }
    }

    /// Runs `cached` with its `count` parameters bound by `bind`, its texts in `buffer`;
    /// `bind` returns SQLite's result code and the parameter it stopped at.
    func run(statement cached: Statement, count: Int32, texts buffer: TextBuffer,
             bind: (SQLiteStatement, inout BoundTexts) -> (code: Int32, at: Int32)) throws {
        try buffer.with(cached.sqliteStatement) { texts in
            try cached.reset(expecting: count)
            let bound = bind(cached.sqliteStatement, &texts)
            guard bound.code == SQLITE_OK else {
                throw DatabaseError(resultCode: ResultCode(rawValue: bound.code), message: "binding parameter \(bound.at) failed", sql: cached.sql)
            }
            try step(cached)
        }
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
    /// The texts of the statement being run (`BoundTexts`).
    let texts = TextBuffer()

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
