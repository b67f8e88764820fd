@testable import EzAdapters
import EzCore
import Foundation
import GRDB
import Testing

@Suite("Constant lists written as comparisons (migration v16)")
struct ConstantListsTests {
    @Test("a list of three or more constants becomes comparisons; two or fewer and parameters stay")
    func expanded() {
        #expect(ConstantLists.expanded("CHECK (state IN ('PENDING','PROCESSED','FAILED'))")
                == "CHECK ((state = 'PENDING' OR state = 'PROCESSED' OR state = 'FAILED'))")
        // As written in v1: over two lines.
        #expect(ConstantLists.expanded("CHECK (status IN ('A','B',\n                'C'))")
                == "CHECK ((status = 'A' OR status = 'B' OR status = 'C'))")
        #expect(ConstantLists.expanded("CHECK (n IN (0, 1, 2)) x IN (4,5,6)") == "CHECK ((n = 0 OR n = 1 OR n = 2)) (x = 4 OR x = 5 OR x = 6)")
        for kept in ["CHECK (kind IN ('CHARGE','REFUND'))", "WHERE key IN (?, ?, ?)",
                     "WHERE run_id IN (SELECT MAX(run_id) FROM job_runs)", "CHECK (status = 'PENDING' OR settled_on IS NOT NULL)"] {
            #expect(ConstantLists.expanded(kept) == kept)
        }
    }

    @Test("comparisons are the text the queries use to match a partial index")
    func comparisons() {
        #expect(ConstantLists.comparisons("status", ["A", "B"]) == "(status = 'A' OR status = 'B')")
        #expect(StoreTransaction.payable == "(status = 'PAYMENT_PENDING' OR status = 'PAYMENT_DEFERRED' OR status = 'PAYMENT_FAILED')")
    }

    @Test("no table or index of a migrated store keeps a list of three or more constants")
    func schemaHasNoLists() throws {
        let store = try StateStore.inMemory()
        let schema = try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL")
        }
        #expect(schema.count > 30)
        for row in schema {
            let sql: String = row["sql"]
            #expect(ConstantLists.expanded(sql) == sql, "\(row["name"] as String): \(sql)")
        }
    }

    @Test("writing and searching the tables builds no temporary B-tree", arguments: [
        "INSERT INTO requests(request_id, type, content_hash, body, file_id, line, received_on, state) VALUES ('r', 't', 'h', '{}', 1, 1, '2025-03-01', 'PENDING')",
        "UPDATE requests SET state = 'PROCESSED', outcome = '{}' WHERE seq = 1",
        "INSERT INTO plans(plan_no, request_id, customer_no, product_code, status, expires_on, data) VALUES ('PL9', 'RQ9', 'C00000001', 'P00000077', 'QUOTED', '2025-03-31', '{}')",
        "UPDATE plans SET status = 'EXPIRED', data = '{}' WHERE plan_no = 'PL9'",
        "INSERT INTO proposals(proposal_no, request_id, plan_no, customer_no, product_code, status, next_attempt_on, instrument, holder_name, data) VALUES ('PR9', 'RQ9', 'PL9', 'C00000001', 'P00000077', 'PAYMENT_PENDING', '2025-03-01', '{}', 'x', '{}')",
        "UPDATE proposals SET status = 'ACTIVE', next_attempt_on = NULL, data = '{}' WHERE proposal_no = 'PR9'",
        "INSERT INTO payments(idempotency_key, proposal_no, kind, amount, status, requested_on) VALUES ('k9', 'PR9', 'CHARGE', 100, 'PENDING', '2025-03-01')",
        "UPDATE payments SET status = 'APPROVED', settled_on = '2025-03-01' WHERE idempotency_key = 'k9'",
        "INSERT INTO withdrawals(withdrawal_no, request_id, proposal_no, status, data) VALUES ('WD9', 'RQ9', 'PR9', 'REQUESTED', '{}')",
        "UPDATE withdrawals SET status = 'WITHDRAWN', data = '{}' WHERE withdrawal_no = 'WD9'",
        StoreTransaction.heldSumInsuredSQL,
        StoreTransaction.openWithdrawalSQL,
    ])
    func noTemporaryTree(sql: String) throws {
        let store = try StateStore.inMemory()
        let program = try store.writer.read { db in
            try String.fetchAll(db, sql: "EXPLAIN " + sql, arguments: StatementArguments(Array(repeating: "x", count: sql.filter { $0 == "?" }.count)))
        }
        #expect(!program.isEmpty)
        #expect(!program.contains("OpenEphemeral"), "\(sql)")
    }

    @Test("the partial indexes are still used by the queries that name their conditions")
    func partialIndexesUsed() throws {
        let store = try StateStore.inMemory()
        let payable = try store.writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT data FROM proposals WHERE \(StoreTransaction.payable) AND next_attempt_on = ? AND proposal_no > ? ORDER BY proposal_no",
                             arguments: ["2025-03-01", ""]).map { $0["detail"] as String }.joined(separator: "; ")
        }
        #expect(payable.contains("proposals_payable_by_due"), "\(payable)")
        let open = try store.writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + StoreTransaction.openWithdrawalSQL, arguments: ["PR1"])
                .map { $0["detail"] as String }.joined(separator: "; ")
        }
        #expect(open.contains("withdrawals_one_open"), "\(open)")
        // A proposal's pending charge is searched by proposal, not among every pending payment
        // (after a gateway outage there are hundreds of thousands).
        let pending = try store.writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + StoreTransaction.pendingChargeSQL, arguments: ["PR1"])
                .map { $0["detail"] as String }.joined(separator: "; ")
        }
        #expect(pending.contains("payments_pending_by_proposal (proposal_no=?)"), "\(pending)")
        // The plans that can expire are counted and read through their own index only (v18
        // dropped the index of every quoted plan, through which the count walked them all).
        for sql in [StoreTransaction.plansToExpireSQL, StoreTransaction.plansExpiringSQL] {
            let expiring = try store.writer.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql,
                                 arguments: sql.hasSuffix("LIMIT ?\n") || sql.hasSuffix("LIMIT ?") ? ["2025-03-01", 10] : ["2025-03-01"])
                    .map { $0["detail"] as String }.joined(separator: "; ")
            }
            #expect(expiring.contains("INDEX plans_expirable (expires_on<?)"), "\(expiring)")
        }
        let planIndexes = try store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'plans' AND sql IS NOT NULL ORDER BY name")
        }
        #expect(planIndexes == ["plans_expirable"])
    }

    @Test("the nightly summary reads its events through the index of its own types; other events and written documents are not indexed")
    func summaryIndexOnly() throws {
        let store = try StateStore.inMemory()
        for sql in [StoreTransaction.countOfDaySQL, StoreTransaction.failuresOfDaySQL, StoreTransaction.declineReasonsOfDaySQL,
                    StoreTransaction.paymentDeclinesOfDaySQL, StoreTransaction.premiumOfDaySQL, StoreTransaction.refundsOfDaySQL] {
            // The type left unbound (NULL): the query's own text must tell SQLite that its rows
            // are in the partial index (a bound type would let it compare the value instead).
            let plan = try store.writer.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: [DatabaseValue.null, "2025-03-01"])
                    .map { $0["detail"] as String }.joined(separator: "; ")
            }
            #expect(plan.contains("INDEX events_summary (occurred_on=? AND type=?)"), "\(sql): \(plan)")
        }
        let next = try store.writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + StoreTransaction.nextUnpublishedFileSQL)
                .map { $0["detail"] as String }.joined(separator: "; ")
        }
        #expect(next.contains("documents_bundle_unpublished"), "\(next)")
        #expect(!next.contains("TEMP B-TREE"), "\(next)")
        // The index holds the summary's types only (the migration's list is the queries'): an
        // enrollment's request, customer, document, proposal and payment events make no entry.
        let definition = try #require(try store.writer.read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'events_summary'")
        })
        #expect(definition.contains("WHERE"))
        for type in EventType.allCases {
            #expect(definition.contains("'\(type.rawValue)'") == StoreTransaction.summaryEventTypes.contains(type), "\(type)")
        }
        let indexes = try store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('events', 'documents') AND sql IS NOT NULL ORDER BY name")
        }
        #expect(indexes == ["documents_bundle_unpublished", "events_summary"])
    }

    @Test("the nightly report's overdue refunds and rejections of the day are not read from the whole history")
    func nightlyQueriesReadTheDay() throws {
        let store = try StateStore.inMemory()
        func plan(_ sql: String, _ arguments: StatementArguments) throws -> String {
            try store.writer.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }.joined(separator: "; ")
            }
        }
        let overdue = try plan(StoreTransaction.overdueRefundsSQL, ["2025-03-01"])
        #expect(overdue.contains("SCAN w USING INDEX withdrawals_open"), "\(overdue)")
        let rejections = try plan(StoreTransaction.rejectionsOfDaySQL, ["2025-03-01"])
        #expect(rejections.contains("SEARCH x USING INDEX sqlite_autoindex_intake_rejections_1 (file_id=?)"), "\(rejections)")
        #expect(!rejections.contains("SCAN x"), "\(rejections)")
    }

    @Test("a v15 store with rows is rewritten in place: the rows stay, valid, and the checks still refuse; pending payments are indexed by proposal")
    func upgradeInPlace() throws {
        try StoreFx.scratchDatabase { path in
            var config = Configuration()
            config.foreignKeysEnabled = true
            do {
                let queue = try DatabaseQueue(path: path, configuration: config)
                try StateStore.migrator.migrate(queue, upTo: "v15-alarm-batch-hash")
                try queue.write { db in
                    try db.execute(sql: """
                        INSERT INTO customers(customer_no, data) VALUES ('C1', '{}');
                        INSERT INTO plans(plan_no, request_id, customer_no, product_code, status, expires_on, data) VALUES ('PL1', 'R1', 'C1', 'P1', 'QUOTED', '2025-03-31', '{}');
                        INSERT INTO proposals(proposal_no, request_id, plan_no, customer_no, product_code, status, next_attempt_on, instrument, holder_name, data) VALUES ('PR1', 'R1', 'PL1', 'C1', 'P1', 'PAYMENT_DEFERRED', '2025-03-01', '{}', 'x', '{}');
                        INSERT INTO withdrawals(withdrawal_no, request_id, proposal_no, status, data) VALUES ('WD1', 'R2', 'PR1', 'REQUESTED', '{}');
                        INSERT INTO payments(idempotency_key, proposal_no, kind, amount, status, requested_on) VALUES ('chg-PR1-1', 'PR1', 'CHARGE', 100, 'PENDING', '2025-03-01');
                        """)
                }
            }
            let store = try StateStore(writer: try DatabasePool(path: path, configuration: config))
            let (check, payable, open) = try store.writer.read { db in
                (try String.fetchAll(db, sql: "PRAGMA integrity_check"),
                 try String.fetchAll(db, sql: "SELECT proposal_no FROM proposals INDEXED BY proposals_payable_by_due WHERE \(StoreTransaction.payable)"),
                 try String.fetchAll(db, sql: "SELECT withdrawal_no FROM withdrawals INDEXED BY withdrawals_one_open WHERE proposal_no = 'PR1' AND (status = 'REQUESTED' OR status = 'REFUND_PENDING' OR status = 'WITHDRAWN' OR status = 'CANCELLED')"))
            }
            #expect(check == ["ok"])
            #expect(payable == ["PR1"])
            // v17: the pending payment is found by its proposal.
            #expect(try store.read { try $0.pendingCharge(proposalNo: "PR1") }?.idempotencyKey == "chg-PR1-1")
            #expect(try store.read { try $0.pendingCharge(proposalNo: "PR2") } == nil)
            #expect(open == ["WD1"])
            #expect(throws: DatabaseError.self) {
                try store.writer.write { db in try db.execute(sql: "UPDATE proposals SET status = 'PAYED' WHERE proposal_no = 'PR1'") }
            }
            #expect(throws: DatabaseError.self) {
                try store.writer.write { db in
                    try db.execute(sql: "INSERT INTO withdrawals(withdrawal_no, request_id, proposal_no, status, data) VALUES ('WD2', 'R3', 'PR1', 'CANCELLED', '{}')")
                }
            }
        }
    }

    @Test("a connection in defensive mode rewrites the checks too, and stays defensive")
    func defensiveConnection() throws {
        let queue = try DatabaseQueue()
        try StateStore.migrator.migrate(queue, upTo: "v15-alarm-batch-hash")
        try queue.write { db in
            #expect(try ConstantLists.setDefensive(db, 1))
            // Defensive: the schema cannot be written directly.
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = sql WHERE name = 'plans'")
            }
            try db.execute(sql: "PRAGMA writable_schema = OFF")
        }
        let store = try StateStore(writer: queue)
        let plans = try store.writer.read { try String.fetchOne($0, sql: "SELECT sql FROM sqlite_master WHERE name = 'plans'") }
        #expect(plans?.contains("(status = 'QUOTED' OR status = 'DECLINED' OR status = 'EXPIRED')") == true, "\(plans ?? "")")
        #expect(try queue.read { try ConstantLists.setDefensive($0, -1) })
        #expect(try queue.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") } == ["ok"])
    }
}
