import EzCore
import Foundation
import GRDB
import GRDBSQLite

/// A transaction that keeps the statements it uses (`StatementMemo`): the state store's and
/// the views database's.
protocol StatementScope {
    var db: Database { get }
    var statements: StatementMemo { get }
}

extension StoreTransaction: StatementScope {}
extension ViewTransaction: StatementScope {}

/// Rows read as SQLite steps onto them, for the queries a run makes per record or per chunk
/// and for the nightly report's ledger (800,000 payments a day at 1M).
///
/// GRDB's `Row.fetchAll` and `Row.fetchOne` copy every row, with its column names as new
/// strings, before handing it over: 3% of a run's CPU (the event log read by the consumers,
/// the payment ledger, the pending requests). Its row cursor does not copy, but builds a
/// dictionary of the statement's lowercased column names each time a statement is run: most of
/// the time of a one-row lookup such as a payment by its key (14% of the payments stage). A
/// `ColumnRow` is the statement itself, read by column position; each `transform` reads the
/// values it needs at once, and the row is not kept. Writes bind their values the same way
/// (`SQLBindable`).
extension StatementScope {
    /// Every row of the statement `sql`, transformed in order.
    func rows<T>(_ sql: String, _ arguments: [any SQLBindable], _ transform: (ColumnRow) throws -> T) throws -> [T] {
        try ColumnCursor(statements.statement(sql, in: db), arguments: arguments).all(transform)
    }

    /// The first row of the statement `sql`, transformed; nil when there is none.
    func firstRow<T>(_ sql: String, _ arguments: [any SQLBindable], _ transform: (ColumnRow) throws -> T) throws -> T? {
        try ColumnCursor(statements.statement(sql, in: db), arguments: arguments).first(transform)
    }

    /// Runs the statement `sql` (an INSERT, UPDATE or DELETE) with `arguments`.
    func run(_ sql: String, _ arguments: [any SQLBindable]) throws {
        try db.run(statement: statements.statement(sql, in: db), arguments, texts: statements.texts)
    }
}

extension Database {
    /// Every row of the cached statement `sql`, transformed in order.
    func rows<T>(_ sql: String, _ arguments: [any SQLBindable], _ transform: (ColumnRow) throws -> T) throws -> [T] {
        try ColumnCursor(cachedStatement(sql: sql), arguments: arguments).all(transform)
    }

    /// The first row of the cached statement `sql`, transformed; nil when there is none.
    func firstRow<T>(_ sql: String, _ arguments: [any SQLBindable], _ transform: (ColumnRow) throws -> T) throws -> T? {
        try ColumnCursor(cachedStatement(sql: sql), arguments: arguments).first(transform)
    }
}

/// The row a statement has stepped onto, read by column position (0 is the first selected
/// column) straight from SQLite. Valid only until the cursor steps again.
struct ColumnRow {
    let statement: SQLiteStatement

    /// The value of a column that is never NULL. A value that does not convert stops the
    /// process, as GRDB's `Row` does: the schema says what each column holds.
    subscript<T: StatementColumnConvertible>(_ index: Int32) -> T {
        guard let value = T(sqliteStatement: statement, index: index) else {
            fatalError("column \(index) of \(String(cString: sqlite3_sql(statement))) is not a \(T.self)")
        }
        return value
    }

    /// The JSON record a text column holds, decoded from SQLite's own copy of the text (a
    /// string made of it first would be validated and copied once more).
    func json<T: Decodable>(_ type: T.Type, _ index: Int32) throws -> T {
        try JSONCodec.decode(type, fromUTF8: text(index))
    }

    /// A text column's UTF-8 bytes, copied from SQLite's own (no `String` validated first).
    func utf8(_ index: Int32) -> [UInt8] { Array(text(index)) }

    /// Whether a text column holds exactly `bytes`.
    func holds(_ index: Int32, _ bytes: [UInt8]) -> Bool {
        Self.same(text(index), bytes)
    }

    /// An event type column, matched as bytes against the types' names (no `String` made of
    /// it, and no string switch: 1,000 instructions an event read); nil for an unknown name.
    func eventType(_ index: Int32) -> EventType? {
        let name = text(index)
        return EventType.utf8Names.first { Self.same(name, $0.bytes) }?.type
    }

    /// Whether a column's bytes are `bytes`: lengths, then `memcmp` (`elementsEqual` went
    /// byte by byte through generic iterators).
    private static func same(_ column: UnsafeRawBufferPointer, _ bytes: [UInt8]) -> Bool {
        guard column.count == bytes.count else { return false }
        guard let base = column.baseAddress, !bytes.isEmpty else { return true }
        return bytes.withUnsafeBytes { memcmp($0.baseAddress!, base, bytes.count) == 0 }
    }

    /// A date column (`YYYY-MM-DD`), parsed from its bytes; nil when it is not one.
    func businessDate(_ index: Int32) -> BusinessDate? {
        BusinessDate(utf8: text(index).assumingMemoryBound(to: UInt8.self))
    }

    /// A text column as a `String` (for messages).
    func string(_ index: Int32) -> String { String(decoding: text(index), as: UTF8.self) }

    /// SQLite's own copy of a text column's bytes (valid until the cursor steps again).
    private func text(_ index: Int32) -> UnsafeRawBufferPointer {
        // The pointer first, then its size (SQLite's documented order).
        let base = sqlite3_column_blob(statement, index)
        return UnsafeRawBufferPointer(start: base, count: base == nil ? 0 : Int(sqlite3_column_bytes(statement, index)))
    }

    /// The value of a column that may be NULL (nil then).
    func optional<T: StatementColumnConvertible>(_ index: Int32) -> T? {
        if sqlite3_column_type(statement, index) == SQLITE_NULL { return nil }
        return self[index] as T
    }
}

/// A GRDB cursor whose elements are `ColumnRow`s. Like GRDB's own cursors it resets the
/// statement when it is made and when it goes, and steps it through GRDB (which reports
/// errors and keeps its transaction hooks); the arguments are bound directly (`SQLBindable`).
final class ColumnCursor: DatabaseCursor {
    typealias Element = ColumnRow
    var _isDone = false
    let _statement: Statement

    /// Its texts are copied by SQLite: a cursor may stay open while other statements run.
    init(_ statement: Statement, arguments: [any SQLBindable]) throws {
        _statement = statement
        var texts = BoundTexts.copied
        try statement.bindDirect(arguments, texts: &texts)
    }

    deinit { sqlite3_reset(_statement.sqliteStatement) }

    /// The next row, transformed; nil when there is none. (The cursor lives until the row is
    /// read: its end resets the statement.)
    func first<T>(_ transform: (ColumnRow) throws -> T) throws -> T? {
        try withExtendedLifetime(self) { try next().map(transform) }
    }

    /// Every remaining row, transformed in order.
    func all<T>(_ transform: (ColumnRow) throws -> T) throws -> [T] {
        var result: [T] = []
        while let row = try next() { result.append(try transform(row)) }
        return result
    }

    func _element(sqliteStatement: SQLiteStatement) throws -> ColumnRow { ColumnRow(statement: sqliteStatement) }
}

extension EventType {
    /// Every type with its name's UTF-8 bytes (`ColumnRow.eventType`).
    static let utf8Names: [(bytes: [UInt8], type: EventType)] = allCases.map { (Array($0.rawValue.utf8), $0) }
}
