import EzCore
import Foundation
import GRDB

/// One row of the sandbox ledger, with what only the sandbox keeps.
public struct SandboxLedgerEntry: Hashable, Sendable, Codable {
    public var transaction: GatewayTransaction
    /// Card token or account number with only the last four characters visible.
    public var instrumentMasked: String
    /// The reason given with a cancel.
    public var reason: String?
}

/// The sandbox payment gateway (`pg-sandbox`): a real gateway with its own SQLite ledger,
/// outside the state store, behaving like a PG:
///
/// - Idempotency: the same key with the same request returns the stored answer (approved or
///   declined) and adds no row; the same key with another amount, order or operation throws
///   `GatewayError.idempotencyConflict`. A declined charge stays declined under its key: a
///   new attempt needs a new key.
/// - Refunds (cancels) only of an approved charge of the same order; partial refunds are
///   allowed; all refunds of a charge together never exceed its amount (else
///   `GatewayError.invalidRequest`). Refunds are never declined.
/// - Declines and fees: see `SandboxRules`. Faults: see `SandboxFaults`.
/// - Transaction ids are `T` + a 10-digit sequence (`T0000000001`), in order of recording.
///
/// Errors of the ledger database itself (locked, unreadable) surface as
/// `GatewayError.unavailable`: the transaction that failed was not recorded.
///
/// Several instances (threads or processes) may share one ledger file.
public final class SandboxGateway: PaymentGateway, Sendable {
    /// `<home>/pg-sandbox/ledger.sqlite`: where the CLI and the runner find the sandbox.
    public static func ledgerPath(home: URL) -> URL {
        home.appendingPathComponent("pg-sandbox", isDirectory: true)
            .appendingPathComponent("ledger.sqlite", isDirectory: false)
    }

    /// The file name of the settlement statement of a date: `settlement-YYYY-MM-DD.csv`.
    public static func settlementFileName(date: BusinessDate) -> String { "settlement-\(date).csv" }

    public static let settlementHeader =
        "transaction_id,idempotency_key,order_id,type,amount,fee,approved_at,status"

    /// Sleeps the given milliseconds (the latency fault).
    public static let threadSleep: @Sendable (Int) -> Void = { ms in
        Thread.sleep(forTimeInterval: Double(ms) / 1000)
    }

    public let path: URL
    private let dbQueue: DatabaseQueue
    private let sleep: @Sendable (Int) -> Void

    /// Opens (creating it and its directory if needed) the ledger under `home`.
    public convenience init(home: URL) throws {
        try self.init(path: Self.ledgerPath(home: home))
    }

    /// Opens (creating it and its directory if needed) the ledger at `path`.
    /// - Parameter sleep: how the latency fault waits (milliseconds).
    public init(path: URL, sleep: @escaping @Sendable (Int) -> Void = SandboxGateway.threadSleep) throws {
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.journalMode = .wal
        config.label = "pg-sandbox"
        // Made with the store's page size (a no-op on an existing ledger).
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA page_size = \(SQLiteFile.pageSize)") }
        self.path = path
        self.sleep = sleep
        self.dbQueue = try DatabaseQueue(path: path.path, configuration: config)
        try SandboxSchema.migrator.migrate(dbQueue)
    }

    // MARK: - PaymentGateway

    public func charge(_ request: ChargeRequest) throws -> GatewayTransaction {
        let faults = try admitOne()
        let transaction = try store { db in try Self.recordCharge(request, LedgerWrite(db)) }
        return try answer(transaction, faults)
    }

    /// The sandbox takes a batch in one call: one commit of its ledger for the whole batch.
    public var takesBatches: Bool { true }

    public func chargeAll(_ requests: [ChargeRequest]) throws -> [Result<GatewayTransaction, GatewayError>] {
        try recordAll(requests, Self.recordCharge)
    }

    public func refundAll(_ requests: [RefundRequest]) throws -> [Result<GatewayTransaction, GatewayError>] {
        try recordAll(requests, Self.recordRefund)
    }

    /// Each call of the batch counts as one call for the faults (`failEvery` strikes the
    /// same calls as one-by-one calls would; `latencyMs` is spent per call); the calls not
    /// struck are recorded in one transaction.
    private func recordAll<Request>(_ requests: [Request],
                                    _ record: (Request, LedgerWrite) throws -> GatewayTransaction) throws -> [Result<GatewayTransaction, GatewayError>] {
        guard !requests.isEmpty else { return [] }
        let faults: SandboxFaults
        let firstCall: Int
        do { (faults, firstCall) = try admit(calls: requests.count) } catch let error as GatewayError {
            return requests.map { _ in .failure(error) }
        }
        var results = requests.indices.map { i -> Result<GatewayTransaction, GatewayError>? in
            Self.strike(call: firstCall + i, faults).map { .failure($0) }
        }
        if faults.latencyMs > 0 { sleep(faults.latencyMs * requests.count) }
        do {
            try store { db in
                let ledger = LedgerWrite(db)
                for (i, request) in requests.enumerated() where results[i] == nil {
                    do { results[i] = .success(try record(request, ledger)) } catch let error as GatewayError {
                        results[i] = .failure(error)
                    }
                }
            }
        } catch let error as GatewayError {
            return requests.map { _ in .failure(error) }
        }
        if faults.lateAnswerMs > 0 { sleep(faults.lateAnswerMs) }
        return results.map { result in
            if faults.timeoutAfterCommit, case .success = result { return .failure(.timeout) }
            return result!
        }
    }

    public func refund(_ request: RefundRequest) throws -> GatewayTransaction {
        let faults = try admitOne()
        let transaction = try store { db in try Self.recordRefund(request, LedgerWrite(db)) }
        return try answer(transaction, faults)
    }

    public func lookup(idempotencyKey: String) throws -> GatewayTransaction? {
        let (faults, _) = try admit(calls: 0)
        if faults.latencyMs > 0 { sleep(faults.latencyMs) }
        return try mapped {
            try dbQueue.read { db in try Self.fetch(key: idempotencyKey, db)?.transaction }
        }
    }

    // MARK: - Ledger and settlement

    /// The ledger, in transaction id order; only the given business date's rows when set.
    public func ledger(date: BusinessDate? = nil) throws -> [GatewayTransaction] {
        try entries(date: date).map(\.transaction)
    }

    /// The ledger with masked instruments and cancel reasons, in transaction id order.
    public func entries(date: BusinessDate? = nil) throws -> [SandboxLedgerEntry] {
        try dbQueue.read { db in
            let rows: [Row]
            if let date {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM transactions WHERE business_date = ? ORDER BY transaction_id",
                                        arguments: [date.description])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM transactions ORDER BY transaction_id")
            }
            return try rows.map(Self.entry)
        }
    }

    /// Writes `<directory>/settlement-YYYY-MM-DD.csv`: the date's transactions (approved and
    /// declined; `status` says which), sorted by transaction id, under the header
    /// `transaction_id,idempotency_key,order_id,type,amount,fee,approved_at,status`, where
    /// `approved_at` is the business date. Written to a hidden temporary file in the same
    /// directory, fsync'd, then renamed over the target: readers never see a partial file.
    /// Creates the directory if needed. Returns the statement's URL.
    @discardableResult
    public func exportSettlement(date: BusinessDate, to directory: URL) throws -> URL {
        let fm = FileManager.default
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        let target = directory.appendingPathComponent(Self.settlementFileName(date: date), isDirectory: false)
        let temp = directory.appendingPathComponent(
            ".\(Self.settlementFileName(date: date)).\(ProcessInfo.processInfo.processIdentifier).tmp",
            isDirectory: false)
        // Written a line at a time (a 1M night's statement is 65 MB: built as one string
        // first, the export took 0.87 GB).
        try AtomicFile.stream(to: target, temporary: temp, permissions: 0o644, sync: true) { file in
            try file.write(Self.settlementHeader + "\n")
            try forEachSettlementLine(date: date) { try file.write($0) }
            return true
        }
        return target
    }

    /// The settlement statement of a date as CSV text (what `exportSettlement` writes and
    /// `GET /v1/settlements?date=` serves).
    public func settlementCSV(date: BusinessDate) throws -> String {
        var text = Self.settlementHeader + "\n"
        try forEachSettlementLine(date: date) { text += $0 }
        return text
    }

    /// Each line of the statement of `date` (with its line feed), in transaction id order,
    /// read from the ledger a row at a time.
    private func forEachSettlementLine(date: BusinessDate, _ body: (String) throws -> Void) throws {
        try dbQueue.read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM transactions WHERE business_date = ? ORDER BY transaction_id",
                                           arguments: [date.description])
            while let row = try rows.next() {
                let t = try Self.entry(row).transaction
                let fields = [t.transactionId, t.idempotencyKey, t.orderId, t.type.rawValue,
                              String(t.amount), String(t.fee), t.businessDate.description, t.status.rawValue]
                try body(fields.map(Self.csvField).joined(separator: ",") + "\n")
            }
        }
    }

    // MARK: - Faults

    /// The faults in force.
    public func faults() throws -> SandboxFaults {
        try dbQueue.read { db in try Self.readFaults(db).faults }
    }

    /// How many charge and refund calls were counted (for `failEvery`) since the last reset.
    public func callCount() throws -> Int {
        try dbQueue.read { db in try Self.readFaults(db).count }
    }

    /// Replaces the faults; the call counter keeps counting.
    public func setFaults(_ faults: SandboxFaults) throws {
        _ = try updateFaults(outage: faults.outage, latencyMs: faults.latencyMs,
                             failEvery: faults.failEvery, timeoutAfterCommit: faults.timeoutAfterCommit,
                             lateAnswerMs: faults.lateAnswerMs)
    }

    /// Changes the given faults, keeps the others; returns the faults now in force.
    @discardableResult
    public func updateFaults(outage: Bool? = nil, latencyMs: Int? = nil, failEvery: Int? = nil,
                             timeoutAfterCommit: Bool? = nil, lateAnswerMs: Int? = nil) throws -> SandboxFaults {
        if let latencyMs, latencyMs < 0 { throw GatewayError.invalidRequest("latency must not be negative") }
        if let lateAnswerMs, lateAnswerMs < 0 { throw GatewayError.invalidRequest("late answer delay must not be negative") }
        if let failEvery, failEvery < 0 { throw GatewayError.invalidRequest("fail-every must not be negative") }
        return try immediate { db in
            var f = try Self.readFaults(db).faults
            if let outage { f.outage = outage }
            if let latencyMs { f.latencyMs = latencyMs }
            if let failEvery { f.failEvery = failEvery }
            if let timeoutAfterCommit { f.timeoutAfterCommit = timeoutAfterCommit }
            if let lateAnswerMs { f.lateAnswerMs = lateAnswerMs }
            try db.execute(sql: """
                UPDATE faults SET outage = ?, latency_ms = ?, fail_every = ?, timeout_after_commit = ?,
                    late_answer_ms = ?
                WHERE id = 1
                """, arguments: [f.outage, f.latencyMs, f.failEvery, f.timeoutAfterCommit, f.lateAnswerMs])
            return f
        }
    }

    /// Turns every fault off and restarts the call counter.
    public func resetFaults() throws {
        try immediate { db in
            try db.execute(sql: """
                UPDATE faults SET outage = 0, latency_ms = 0, fail_every = 0,
                    timeout_after_commit = 0, late_answer_ms = 0, call_count = 0 WHERE id = 1
                """)
        }
    }

    // MARK: - Internals

    /// The answer to a committed call, after the faults that strike between commit and answer.
    private func answer(_ transaction: GatewayTransaction, _ faults: SandboxFaults) throws -> GatewayTransaction {
        if faults.lateAnswerMs > 0 { sleep(faults.lateAnswerMs) }
        if faults.timeoutAfterCommit { throw GatewayError.timeout }
        return transaction
    }

    /// Admits `calls` charge-or-refund calls (0 for a lookup, which is not counted): the outage
    /// refuses them before they are counted. Returns the faults and the number of the first call.
    private func admit(calls: Int) throws -> (faults: SandboxFaults, firstCall: Int) {
        let (faults, count) = try mapped {
            try immediate { db -> (SandboxFaults, Int) in
                let (faults, count) = try Self.readFaults(db)
                if calls > 0 && !faults.outage {
                    try db.cachedStatement(sql: "UPDATE faults SET call_count = call_count + ? WHERE id = 1").execute(arguments: [calls])
                }
                return (faults, count)
            }
        }
        if faults.outage { throw GatewayError.unavailable("pg-sandbox outage (injected fault)") }
        return (faults, count + 1)
    }

    /// One charge or refund call: the faults it meets before it is processed.
    private func admitOne() throws -> SandboxFaults {
        let (faults, call) = try admit(calls: 1)
        if let error = Self.strike(call: call, faults) { throw error }
        if faults.latencyMs > 0 { sleep(faults.latencyMs) }
        return faults
    }

    /// The injected failure of every `failEvery`-th call, if `call` is one.
    private static func strike(call: Int, _ faults: SandboxFaults) -> GatewayError? {
        guard faults.failEvery > 0, call % faults.failEvery == 0 else { return nil }
        return .unavailable("pg-sandbox failure on call \(call) (injected: every \(faults.failEvery))")
    }

    private func store<T>(_ body: (Database) throws -> T) throws -> T {
        try mapped { try immediate(body) }
    }

    /// Runs `body` in an IMMEDIATE transaction, so two processes never deadlock upgrading.
    private func immediate<T>(_ body: (Database) throws -> T) throws -> T {
        try dbQueue.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    /// Ledger database errors become `unavailable`: nothing was recorded.
    private func mapped<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as GatewayError {
            throw error
        } catch let error as DatabaseError {
            throw GatewayError.unavailable("pg-sandbox ledger: \(error.message ?? error.description)")
        }
    }

    private static func readFaults(_ db: Database) throws -> (faults: SandboxFaults, count: Int) {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM faults WHERE id = 1")) else {
            return (.none, 0)
        }
        let faults = SandboxFaults(outage: row["outage"], latencyMs: row["latency_ms"],
                                   failEvery: row["fail_every"], timeoutAfterCommit: row["timeout_after_commit"],
                                   lateAnswerMs: row["late_answer_ms"])
        return (faults, row["call_count"])
    }

    private static func recordCharge(_ request: ChargeRequest, _ ledger: LedgerWrite) throws -> GatewayTransaction {
        let db = ledger.db
        guard !request.idempotencyKey.isEmpty else { throw GatewayError.invalidRequest("empty idempotency key") }
        guard !request.orderId.isEmpty else { throw GatewayError.invalidRequest("empty order id") }
        guard request.amount > 0 else { throw GatewayError.invalidRequest("charge amount must be positive: \(request.amount)") }
        if let existing = try fetch(key: request.idempotencyKey, db)?.transaction {
            guard existing.type == .charge, existing.orderId == request.orderId,
                  existing.amount == request.amount else {
                throw GatewayError.idempotencyConflict(key: request.idempotencyKey)
            }
            return existing
        }
        let decline = SandboxRules.decline(for: request.instrument)
        let transaction = GatewayTransaction(
            transactionId: try ledger.nextTransactionId(),
            idempotencyKey: request.idempotencyKey,
            orderId: request.orderId,
            type: .charge,
            amount: request.amount,
            fee: decline == nil ? SandboxRules.chargeFee(amount: request.amount) : 0,
            status: decline == nil ? .approved : .declined,
            declineCode: decline?.code,
            declineMessage: decline?.message,
            businessDate: request.businessDate)
        try ledger.insert(transaction, instrumentMasked: SandboxRules.mask(request.instrument), reason: nil)
        return transaction
    }

    private static func recordRefund(_ request: RefundRequest, _ ledger: LedgerWrite) throws -> GatewayTransaction {
        let db = ledger.db
        guard !request.idempotencyKey.isEmpty else { throw GatewayError.invalidRequest("empty idempotency key") }
        guard request.amount > 0 else { throw GatewayError.invalidRequest("refund amount must be positive: \(request.amount)") }
        if let existing = try fetch(key: request.idempotencyKey, db)?.transaction {
            guard existing.type == .cancel, existing.orderId == request.orderId,
                  existing.amount == request.amount,
                  existing.originalTransactionId == request.originalTransactionId else {
                throw GatewayError.idempotencyConflict(key: request.idempotencyKey)
            }
            return existing
        }
        guard let charge = try Original.read(request.originalTransactionId, db) else {
            throw GatewayError.invalidRequest("unknown transaction \(request.originalTransactionId)")
        }
        guard charge.type == .charge else {
            throw GatewayError.invalidRequest("\(charge.transactionId) is a cancel, not a charge")
        }
        guard charge.status == .approved else {
            throw GatewayError.invalidRequest("\(charge.transactionId) was declined; nothing to refund")
        }
        guard charge.orderId == request.orderId else {
            throw GatewayError.invalidRequest("\(charge.transactionId) belongs to order \(charge.orderId), not \(request.orderId)")
        }
        let refunded = try db.firstRow(Self.refundedSQL, [charge.transactionId]) { $0[0] as Int64 } ?? 0
        guard request.amount <= charge.amount - refunded else {
            throw GatewayError.invalidRequest(
                "refund \(request.amount) exceeds the refundable \(charge.amount - refunded) of \(charge.transactionId)")
        }
        let transaction = GatewayTransaction(
            transactionId: try ledger.nextTransactionId(),
            idempotencyKey: request.idempotencyKey,
            orderId: request.orderId,
            type: .cancel,
            amount: request.amount,
            fee: SandboxRules.cancelFee(chargeAmount: charge.amount, chargeFee: charge.fee,
                                        alreadyRefunded: refunded, amount: request.amount),
            status: .approved,
            businessDate: request.businessDate,
            originalTransactionId: charge.transactionId)
        try ledger.insert(transaction, instrumentMasked: charge.instrumentMasked, reason: request.reason)
        return transaction
    }

    /// The transaction a refund names: the columns the refund checks and copies, read by
    /// position (the whole row read into GRDB's `Row`, each column then looked up by name, was
    /// 86,000 of a refund's 159,000 instructions in the sandbox).
    private struct Original {
        var transactionId: String
        var type: GatewayTransactionType
        var status: GatewayTransactionStatus
        var orderId: String
        var amount: Int64
        var fee: Int64
        var instrumentMasked: String

        static let sql = """
            SELECT transaction_id, type, status, order_id, amount, fee, instrument_masked
            FROM transactions WHERE transaction_id = ?
            """

        /// The transaction `id`; nil when there is none. A type or status the ledger's checks
        /// would not let in is an unreadable row, as `entry` reports it.
        static func read(_ id: String, _ db: Database) throws -> Original? {
            try db.firstRow(sql, [id]) { row -> Original in
                let typeText: String = row[1], statusText: String = row[2]
                guard let type = GatewayTransactionType(rawValue: typeText),
                      let status = GatewayTransactionStatus(rawValue: statusText) else {
                    throw GatewayError.unavailable("pg-sandbox ledger: unreadable row \(id)")
                }
                return Original(transactionId: row[0], type: type, status: status, orderId: row[3], amount: row[4],
                                fee: row[5], instrumentMasked: row[6])
            }
        }
    }

    /// What was refunded of a charge so far (through the index of cancels by original, v3).
    static let refundedSQL = """
        SELECT COALESCE(SUM(amount), 0) FROM transactions
        WHERE original_transaction_id = ? AND type = 'cancel' AND status = 'approved'
        """

    private static func fetch(key: String, _ db: Database) throws -> SandboxLedgerEntry? {
        // Most keys are new: a probe by position first, the named row only for a known key.
        guard try db.firstRow("SELECT 1 FROM transactions WHERE idempotency_key = ?", [key], { _ in true }) != nil else {
            return nil
        }
        return try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM transactions WHERE idempotency_key = ?"), arguments: [key])
            .map(entry)
    }

    private static func entry(_ row: Row) throws -> SandboxLedgerEntry {
        let dateText: String = row["business_date"]
        let typeText: String = row["type"]
        let statusText: String = row["status"]
        guard let date = BusinessDate(dateText), let type = GatewayTransactionType(rawValue: typeText),
              let status = GatewayTransactionStatus(rawValue: statusText) else {
            throw GatewayError.unavailable("pg-sandbox ledger: unreadable row \(String(describing: row["transaction_id"] as String?))")
        }
        let transaction = GatewayTransaction(
            transactionId: row["transaction_id"], idempotencyKey: row["idempotency_key"],
            orderId: row["order_id"], type: type, amount: row["amount"], fee: row["fee"],
            status: status, declineCode: row["decline_code"], declineMessage: row["decline_message"],
            businessDate: date, originalTransactionId: row["original_transaction_id"])
        return SandboxLedgerEntry(transaction: transaction, instrumentMasked: row["instrument_masked"],
                                  reason: row["reason"])
    }

    /// RFC 4180 quoting, only where needed.
    private static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// The ledger inside one write transaction: transactions are numbered in order, the number
/// after the highest read once per transaction (a batch of charges records hundreds) and
/// counted on from there as each is inserted.
final class LedgerWrite {
    let db: Database
    private var nextSeq: Int64?
    private let statements = StatementMemo()

    init(_ db: Database) { self.db = db }

    func nextTransactionId() throws -> String {
        let seq = try nextSeq ?? (db.firstRow("SELECT COALESCE(MAX(seq), 0) + 1 FROM transactions", []) { $0[0] as Int64 } ?? 1)
        nextSeq = seq
        let digits = String(seq)
        return "T" + String(repeating: "0", count: max(0, 10 - digits.count)) + digits
    }

    func insert(_ t: GatewayTransaction, instrumentMasked: String, reason: String?) throws {
        let seq = Int64(t.transactionId.dropFirst())!
        try db.run(statement: statements.statement(Self.insertSQL, in: db),
                   [t.transactionId, seq, t.idempotencyKey, t.orderId, t.type.rawValue, t.amount,
                    t.fee, t.status.rawValue, t.declineCode, t.declineMessage, instrumentMasked,
                    t.businessDate.description, t.originalTransactionId, reason],
                   texts: statements.texts)
        nextSeq = seq + 1
    }

    private static let insertSQL = """
        INSERT INTO transactions (transaction_id, seq, idempotency_key, order_id, type, amount, fee,
            status, decline_code, decline_message, instrument_masked, business_date,
            original_transaction_id, reason)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
}
