import GRDB

/// Rows read as SQLite steps onto them, for the queries a run makes per record or per chunk
/// and for the nightly report's ledger (800,000 payments a day at 1M).
///
/// GRDB's `Row.fetchAll` and `Row.fetchOne` copy every row, with its column names as new
/// strings, before handing it over: 3% of a run's CPU (the event log read by the consumers,
/// the payment ledger, the pending requests). A cursor's row is the statement itself; each
/// `transform` reads the values it needs at once, and the row is not kept (GRDB resets the
/// statement when the cursor goes).
extension StoreTransaction {
    /// Every row of the cached statement `sql`, transformed in order.
    func rows<T>(_ sql: String, _ arguments: StatementArguments, _ transform: (Row) throws -> T) throws -> [T] {
        let cursor = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        var result: [T] = []
        while let row = try cursor.next() { result.append(try transform(row)) }
        return result
    }

    /// The first row of the cached statement `sql`, transformed; nil when there is none.
    func firstRow<T>(_ sql: String, _ arguments: StatementArguments, _ transform: (Row) throws -> T) throws -> T? {
        let cursor = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        return try cursor.next().map(transform)
    }
}
