import GRDB

/// Consumers' checkpoints kept in a table of (consumer, last_seq): the state store's
/// `consumer_offsets` (the alarms consumer's) and the views database's `checkpoint`. Each is
/// written in the transaction that applies the consumer's chunk.
struct CheckpointTable {
    private let select: String
    private let upsert: String

    init(_ table: String) {
        select = "SELECT last_seq FROM \(table) WHERE consumer = ?"
        upsert = """
            INSERT INTO \(table)(consumer, last_seq) VALUES (?, ?)
            ON CONFLICT(consumer) DO UPDATE SET last_seq = excluded.last_seq
            """
    }

    /// The last event `consumer` has fully applied (0: none).
    func offset(of consumer: String, in db: Database) throws -> Int64 {
        try db.firstRow(select, [consumer]) { $0[0] as Int64 } ?? 0
    }

    /// Stops a consumer whose chunk was prepared from `seq` if its checkpoint has moved since:
    /// another process applied events without holding the consumer's stage lock.
    func expect(_ consumer: String, at seq: Int64, in db: Database) throws {
        let now = try offset(of: consumer, in: db)
        guard now == seq else {
            throw StoreError.corrupt("consumer \(consumer): checkpoint moved from \(seq) to \(now) while a chunk was prepared; nothing of the chunk was committed")
        }
    }

    func set(_ consumer: String, to seq: Int64, in db: Database) throws {
        try db.run(upsert, [consumer, seq])
    }
}
