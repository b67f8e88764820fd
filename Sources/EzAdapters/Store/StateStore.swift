import EzCore
import Foundation
import GRDB

/// The state store (`<home>/ezinsurance.sqlite`): the one source of truth.
///
/// One value wrapping a GRDB writer; the schema is built by migrations that are never edited
/// once shipped. Several processes may open the file: WAL and a busy timeout let them wait
/// for each other instead of failing.
public struct StateStore: Sendable {
    public let writer: any DatabaseWriter
    /// Checkpoints the file's WAL off the writing thread (nil for a store in memory).
    let checkpointer: WALCheckpointer?

    /// Opens (creating if needed) the store at `path` and migrates it. 32 MiB of page cache
    /// per connection (the default is 2 MiB): more of the request-id and key indexes of a large
    /// history stay in memory. With one writer and at most two readers, peak RSS stays well
    /// below 256 MiB.
    public init(path: String) throws {
        (writer, checkpointer) = try SQLiteFile.openPool(path: path, cacheKiB: 32768, foreignKeys: true,
                                                         migrator: StateStore.migrator)
    }

    /// Wraps an existing writer (tests use an in-memory `DatabaseQueue`).
    public init(writer: any DatabaseWriter) throws {
        self.writer = writer
        checkpointer = nil
        try StateStore.migrator.migrate(writer)
    }

    /// An empty in-memory store with the production schema, for tests.
    public static func inMemory() throws -> StateStore {
        var config = Configuration()
        config.foreignKeysEnabled = true
        return try StateStore(writer: DatabaseQueue(configuration: config))
    }

    /// Runs `body` in one write transaction.
    public func write<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        let result = try writer.write { db in
            let tx = StoreTransaction(db: db)
            let result = try body(tx)
            try tx.flushEvents()
            try tx.storeNumbers()
            return result
        }
        checkpointer?.committed()
        return result
    }

    /// Runs `body` on a read-only snapshot.
    public func read<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        try writer.read { db in try body(StoreTransaction(db: db)) }
    }
}

/// The store's intent-named operations inside one transaction.
public struct StoreTransaction {
    public let db: Database
    /// The record snapshot encoded last, so the event that follows its write reuses the JSON.
    let lastSnapshot = SnapshotMemo()
    /// Numbers handed out so far (`nextNumber`), written to `counters` as the transaction ends.
    let numbers = NumberMemo()
    /// Events appended and not yet written (`append`).
    let events = EventBuffer()
    /// The statements this transaction has used.
    let statements = StatementMemo()

    public init(db: Database) { self.db = db }

    /// `value` as `StoreJSON`; encoded once when the same value is written twice in a row (the
    /// record's row, then the event carrying it).
    func snapshot<T: Encodable & Equatable & JSONWritable>(_ value: T) throws -> UTF8Text {
        if let last = lastSnapshot.value as? SnapshotMemo.Value<T>, last.value == value { return last.json }
        let json = UTF8Text(try JSONCodec.encodeBytes(value))
        lastSnapshot.value = SnapshotMemo.Value(value: value, json: json)
        return json
    }

    /// The record stored as JSON in the one `data`/`doc` column `sql` selects, if any.
    func json<T: Decodable>(_ type: T.Type, _ sql: String, _ arguments: [any SQLBindable]) throws -> T? {
        try firstRow(sql, arguments) { try $0.json(type, 0) }
    }

    /// Every record stored as JSON in the one column `sql` selects, in its order.
    func jsonAll<T: Decodable>(_ type: T.Type, _ sql: String, _ arguments: [any SQLBindable]) throws -> [T] {
        try rows(sql, arguments) { try $0.json(type, 0) }
    }
}

/// A transaction's events not yet written, in order.
final class EventBuffer {
    var rows: [EventRow] = []
}

/// The last snapshot a transaction encoded (see `StoreTransaction.snapshot`).
final class SnapshotMemo {
    /// The record and its JSON, in a class of the record's type: checking that type is a
    /// comparison of class metadata (a cast from `Any` asks the runtime's conformance tables).
    final class Value<T> {
        let value: T
        let json: UTF8Text
        init(value: T, json: UTF8Text) {
            self.value = value
            self.json = json
        }
    }
    var value: AnyObject?
}

/// The last number of each kind a transaction handed out, and the kinds in the order they were
/// first used (see `StoreTransaction.nextNumber`).
final class NumberMemo {
    var last: [String: Int] = [:]
    var kinds: [String] = []
}

/// JSON as the store writes it: sorted keys, so equal values give equal bytes (see `JSONCodec`).
public enum StoreJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        try JSONCodec.encode(value)
    }

    /// A request as its row keeps it: `encode`'s bytes, made without a `String` and without
    /// the runtime's conformance check (once per line ingested).
    public static func encodeBytes(_ request: Request) throws -> UTF8Text {
        UTF8Text(try JSONCodec.encodeBytes(request))
    }

    /// A premium breakdown as its plan's row keeps it (see `encodeBytes(_: Request)`).
    public static func encodeBytes(_ breakdown: PremiumBreakdown) throws -> UTF8Text {
        UTF8Text(try JSONCodec.encodeBytes(breakdown))
    }

    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONCodec.decode(type, from: text)
    }
}
