@testable import EzAdapters
import EzCore
import Foundation
import GRDB
import Testing

/// Fixtures for the store tests (namespaced to avoid clashing with other suites).
enum StoreFx {
    static func d(_ text: String) -> BusinessDate {
        guard let date = BusinessDate(text) else { fatalError("bad test date \(text)") }
        return date
    }

    static let card = PaymentInfo(instrument: .card(token: "tok_test_4242"), holderName: "홍길동")

    static func customer(_ no: String = "C00000001") -> Customer {
        Customer(customerNo: no, name: "홍길동", birthDate: d("1985-01-10"), gender: .male,
                 phone: "010-1234-5678", email: "hong@example.com", occupationClass: 1)
    }

    static func plan(_ no: String, customer: String = "C00000001", product: String = "P00000077",
                     status: PlanStatus = .quoted) -> Plan {
        Plan(planNo: no, requestId: "REQ-\(no)", customerNo: customer, productCode: product,
             productName: "테스트건강보험", versionId: "\(product)-v1", quoteDate: d("2025-03-01"), insuranceAge: 40,
             sumInsured: 20_000_000, termYears: 20, payYears: 20, paymentFrequency: .monthly, riders: [],
             premium: 2_460, status: status, declineReasons: [], expiresOn: d("2025-03-31"))
    }

    static func proposal(_ no: String, plan: String, customer: String = "C00000001", product: String = "P00000077",
                         status: ProposalStatus = .submitted, sumInsured: Int64 = 20_000_000) -> Proposal {
        Proposal(proposalNo: no, requestId: "REQ-\(no)", planNo: plan, customerNo: customer, productCode: product,
                 productName: "테스트건강보험", versionId: "\(product)-v1", sumInsured: sumInsured, premium: 2_460,
                 submittedOn: d("2025-03-02"), paymentMethod: "card ********4242", status: status)
    }

    /// A store with customer C00000001, plan PL00000001 and proposal PR00000001 (SUBMITTED).
    static func storeWithProposal() throws -> StateStore {
        let store = try StateStore.inMemory()
        try store.write { tx in
            try tx.save(customer())
            try tx.insert(plan("PL00000001"), breakdown: nil)
            try tx.insert(proposal("PR00000001", plan: "PL00000001"), payment: card)
        }
        return store
    }

    /// Runs `body` with the path of a database file `name` in a new scratch folder, removed after.
    static func scratchDatabase<T>(_ name: String = "store.sqlite", _ body: (String) throws -> T) throws -> T {
        let dir = try IntakeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        return try body(dir.appendingPathComponent(name).path)
    }

    /// A job run and a claimed inbox file; returns the file id.
    static func claimFile(_ tx: StoreTransaction, name: String = "requests.jsonl") throws -> Int64 {
        let run = try tx.startRun(job: "intake", asOf: d("2025-03-01"), startedAt: "2025-03-01T09:00:00Z",
                                  pid: 4242, host: "test")
        return try tx.claimFile(name: name, sha256: String(repeating: "a", count: 64), size: 10, runId: run,
                                receivedOn: d("2025-03-01"), workPath: "/tmp/work/\(name)")
    }
}

@Suite("StateStore: schema, events, offsets, numbers")
struct StateStoreCoreTests {
    @Test("migrations create every table and are recorded once")
    func migrations() throws {
        let store = try StateStore.inMemory()
        let tables = try store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        for name in ["job_runs", "counters", "inbox_files", "requests", "intake_rejections", "customers", "plans",
                     "documents", "proposals", "payments", "policies", "withdrawals", "events", "consumer_offsets",
                     "alarm_recipients", "alarm_outbox", "alarm_batches",
                     "job_schedule", "job_leases", "inbox_duplicate_files"] {
            #expect(tables.contains(name), "table \(name)")
        }
        // The status views have their own database since v14.
        #expect(!tables.contains { $0.hasPrefix("view_") }, "\(tables)")
        let applied = try store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        }
        #expect(applied == ["v1-core", "v2-schedules-leases", "v3-duplicate-files", "v4-payment-backoff",
                           "v5-history-indexes", "v6-document-bundles", "v7-alarm-batch-content",
                           "v8-payable-due-index", "v9-payable-by-due-date", "v10-deferred-index", "v11-events-by-day",
                           "v12-document-customer-name", "v13-offsets-by-consumer", "v14-views-own-database",
                           "v15-alarm-batch-hash", "v16-status-lists-as-comparisons",
                           "v17-pending-payments-by-proposal", "v18-plans-quoted-index-dropped",
                           "v19-summary-events-index"])
        // Opening the same database again migrates nothing and loses nothing.
        try store.write { tx in try tx.save(StoreFx.customer()) }
        let reopened = try StateStore(writer: store.writer)
        #expect(try reopened.read { tx in try tx.customer("C00000001") } == StoreFx.customer())
    }

    @Test("foreign keys are enforced")
    func foreignKeys() throws {
        let store = try StateStore.inMemory()
        #expect(throws: DatabaseError.self) {
            try store.write { tx in try tx.insert(StoreFx.plan("PL00000001", customer: "C99999999"), breakdown: nil) }
        }
    }

    @Test("an event written right after its record reuses the record's JSON, byte for byte as encoding the payload")
    func eventPayloadBytes() throws {
        let store = try StoreFx.storeWithProposal()
        var plan = StoreFx.plan("PL00000001")
        plan.status = .declined
        let proposal = StoreFx.proposal("PR00000001", plan: "PL00000001", status: .paymentPending)
        let payloads: [EventPayload] = [.customer(StoreFx.customer()), .plan(plan), .proposal(proposal)]
        try store.write { tx in
            try tx.save(StoreFx.customer())
            try tx.append(DomainEvent(.customerUpdated, on: StoreFx.d("2025-03-01"), payloads[0]), runId: nil)
            try tx.update(plan)
            try tx.append(DomainEvent(.planDeclined, on: StoreFx.d("2025-03-01"), payloads[1]), runId: nil)
            try tx.update(proposal)
            try tx.append(DomainEvent(.paymentRequested, on: StoreFx.d("2025-03-01"), payloads[2]), runId: nil)
        }
        let stored = try store.writer.read { db in try String.fetchAll(db, sql: "SELECT payload FROM events ORDER BY seq") }
        #expect(stored == (try payloads.map { try StoreJSON.encode($0) }))
        let rows = try store.writer.read { db in try String.fetchAll(db, sql: "SELECT data FROM plans") }
        #expect(rows == [try StoreJSON.encode(plan)])
    }

    /// Events are written several to a statement (64 a row group) when the transaction commits
    /// or reads the log: 2,345 of them come back in order, each once, whether read in the same
    /// transaction or after it.
    @Test("events appended in bulk keep their order, in the transaction and after it")
    func eventsInBulk() throws {
        let store = try StoreFx.storeWithProposal()
        let written = (1...2_345).map { i in
            DomainEvent(.planQuoted, on: StoreFx.d("2025-03-01"), .plan(StoreFx.plan(String(format: "PL%08d", i))), cause: "REQ-\(i)")
        }
        let inside = try store.write { tx -> [StoredEvent] in
            for event in written.prefix(1_000) { try tx.append(event, runId: 1) }
            let seen = try tx.events(after: 0, limit: 5_000)
            for event in written.dropFirst(1_000) { try tx.append(event, runId: 1) }
            #expect(try tx.lastEventSeq() == 2_345)
            return seen
        }
        #expect(inside.map(\.seq) == Array(1...1_000))
        let read = try store.read { tx in try tx.events(after: 0, limit: 5_000) }
        #expect(read.map(\.seq) == Array(1...2_345))
        #expect(read.map(\.event) == written)
    }

    @Test("events append and read back in order with their correlation columns")
    func events() throws {
        let store = try StoreFx.storeWithProposal()
        let plan = StoreFx.plan("PL00000001")
        var proposal = StoreFx.proposal("PR00000001", plan: "PL00000001", status: .active)
        proposal.policyNo = "PO00000001"
        let written: [DomainEvent] = [
            DomainEvent(.customerRegistered, on: StoreFx.d("2025-03-01"), .customer(StoreFx.customer()), cause: "REQ-C1"),
            DomainEvent(.planQuoted, on: StoreFx.d("2025-03-01"), .plan(plan)),
            DomainEvent(.policyEstablished, on: StoreFx.d("2025-03-03"), .proposal(proposal), cause: "REQ-ENR"),
        ]
        try store.write { tx in for event in written { try tx.append(event, runId: 7) } }

        let read = try store.read { tx in try tx.events(after: 0, limit: 10) }
        #expect(read.map(\.seq) == [1, 2, 3])
        #expect(read.map(\.event) == written)
        #expect(try store.read { tx in try tx.events(after: 1, limit: 1) }.map(\.seq) == [2])
        #expect(try store.read { tx in try tx.lastEventSeq() } == 3)

        let rows = try store.writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT type, occurred_on, request_id, customer_no, plan_no, proposal_no, policy_no, run_id
                FROM events ORDER BY seq
                """)
        }
        #expect(rows.count == 3)
        #expect(rows[0]["type"] as String == "customer.registered")
        #expect(rows[0]["request_id"] as String? == "REQ-C1")
        #expect(rows[0]["customer_no"] as String? == "C00000001")
        #expect(rows[0]["plan_no"] as String? == nil)
        #expect(rows[1]["request_id"] as String? == "REQ-PL00000001")
        #expect(rows[1]["plan_no"] as String? == "PL00000001")
        #expect(rows[1]["proposal_no"] as String? == nil)
        #expect(rows[2]["occurred_on"] as String == "2025-03-03")
        #expect(rows[2]["request_id"] as String? == "REQ-ENR")
        #expect(rows[2]["plan_no"] as String? == "PL00000001")
        #expect(rows[2]["proposal_no"] as String? == "PR00000001")
        #expect(rows[2]["policy_no"] as String? == "PO00000001")
        #expect(rows[2]["run_id"] as Int64? == 7)
    }

    @Test("every event type and date read back from the log's bytes; an unknown type or a bad date is a corrupt store")
    func eventTypesReadBack() throws {
        let store = try StateStore.inMemory()
        try store.write { tx in
            for (i, type) in EventType.allCases.enumerated() {
                let day = StoreFx.d("2025-03-01").adding(days: i)
                try tx.append(DomainEvent(type, on: day, .customer(StoreFx.customer())), runId: nil)
            }
        }
        let read = try store.read { tx in try tx.rawEvents(after: 0, limit: 100) }
        #expect(read.map(\.type) == EventType.allCases)
        #expect(read.map(\.occurredOn) == EventType.allCases.indices.map { StoreFx.d("2025-03-01").adding(days: $0) })

        let last = Int64(EventType.allCases.count)
        // The same length as "plan.quoted", another name; then a known type with a date that is not one.
        for (type, day) in [("plan.quotes", "2025-03-01"), ("plan.quoted", "2025-02-30")] {
            try store.writer.write { db in
                try db.execute(sql: "DELETE FROM events WHERE seq > ?", arguments: [last])
                try db.execute(sql: "INSERT INTO events(type, occurred_on, payload) VALUES (?, ?, '{}')", arguments: [type, day])
            }
            #expect(throws: StoreError.self, "\(type) \(day)") { try store.read { tx in try tx.rawEvents(after: last, limit: 10) } }
        }
    }

    @Test("an event written in a failed transaction is not kept")
    func eventRollsBack() throws {
        let store = try StateStore.inMemory()
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try store.write { tx in
                try tx.append(DomainEvent(.customerRegistered, on: StoreFx.d("2025-03-01"), .customer(StoreFx.customer())),
                              runId: nil)
                throw Boom()
            }
        }
        #expect(try store.read { tx in try tx.lastEventSeq() } == 0)
    }

    @Test("consumer offsets start at zero, move, and are per consumer")
    func offsets() throws {
        let store = try StateStore.inMemory()
        try store.write { tx in
            #expect(try tx.offset(of: "status") == 0)
            try tx.setOffset(of: "status", to: 5)
            try tx.setOffset(of: "alarm", to: 2)
            try tx.setOffset(of: "status", to: 9)
        }
        #expect(try store.read { tx in try tx.offset(of: "status") } == 9)
        #expect(try store.read { tx in try tx.offset(of: "alarm") } == 2)
        #expect(try store.read { tx in try tx.offset(of: "other") } == 0)
    }

    @Test("consumer offsets are stored in the order of the consumers' names, whichever committed first")
    func offsetsInNameOrder() throws {
        var dumps: [[String]] = []
        for order in [["views", "alarms"], ["alarms", "views"]] {
            let store = try StateStore.inMemory()
            try store.write { tx in for consumer in order { try tx.setOffset(of: consumer, to: 7) } }
            // As the `sqlite3` shell's `.dump` reads a table: no ORDER BY.
            dumps.append(try store.writer.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM consumer_offsets").map { "\($0["consumer"] as String)=\($0["last_seq"] as Int64)" }
            })
        }
        #expect(dumps[0] == ["alarms=7", "views=7"])
        #expect(dumps[1] == dumps[0])
    }

    @Test("upgrading a v8 store runs no whole-store foreign-key check (minutes on a large store)")
    func upgradeSkipsForeignKeyCheck() throws {
        var config = Configuration()
        config.foreignKeysEnabled = true
        let queue = try DatabaseQueue(configuration: config)
        try StateStore.migrator.migrate(queue, upTo: "v8-payable-due-index")
        let statements = StatementLog()
        queue.writeWithoutTransaction { db in db.trace { statements.append("\($0)") } }
        _ = try StateStore(writer: queue)
        #expect(statements.all.contains { $0.contains("CREATE INDEX events_day_type") }, "v11 ran")
        #expect(statements.all.contains { $0.contains("consumer_offsets_by_name") }, "v13 ran")
        #expect(!statements.all.contains { $0.localizedCaseInsensitiveContains("foreign_key_check") })
        // The checks stay on: a migration that broke a reference would fail at once.
        #expect(try queue.read { db in try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") } == true)
    }

    @Test("numbers are prefix + 8 digits, monotonic per kind")
    func nextNumber() throws {
        let store = try StateStore.inMemory()
        let numbers = try store.write { tx in
            [try tx.nextNumber("plan", prefix: "PL"), try tx.nextNumber("plan", prefix: "PL"),
             try tx.nextNumber("proposal", prefix: "PR"), try tx.nextNumber("plan", prefix: "PL")]
        }
        #expect(numbers == ["PL00000001", "PL00000002", "PR00000001", "PL00000003"])
        // Counted in memory, stored once per kind as the transaction ends, in first-use order.
        let counters = { try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM counters").map { "\($0["name"] as String)=\($0["value"] as Int)" }
        } }
        #expect(try counters() == ["plan=3", "proposal=1"])
        // A transaction that fails hands out nothing for good.
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try store.write { tx in
                _ = try tx.nextNumber("plan", prefix: "PL")
                _ = try tx.nextNumber("policy", prefix: "PO")
                throw Abort()
            }
        }
        #expect(try counters() == ["plan=3", "proposal=1"])
        let more = try store.write { tx in try (0..<200).map { _ in try tx.nextNumber("plan", prefix: "PL") } }
        #expect(more.first == "PL00000004")
        #expect(more.last == "PL00000203")
        #expect(more == more.sorted())
        #expect(Set(more).count == 200)
        #expect(try counters() == ["plan=203", "proposal=1"])
    }
}

@Suite("StateStore: intake requests")
struct StateStoreIntakeTests {
    static let request = Request(requestId: "R-001", body: .customerRegister(StoreFx.customer()))

    @Test("an accepted request is found by its hash, pending until finished")
    func acceptAndPending() throws {
        let store = try StateStore.inMemory()
        try store.write { tx in
            let file = try StoreFx.claimFile(tx)
            #expect(try tx.requestHash("R-001") == nil)
            try tx.acceptRequest(Self.request, hash: "hash-1", body: try StoreJSON.encodeBytes(Self.request), fileId: file,
                                 line: 3, receivedOn: StoreFx.d("2025-03-01"))
        }
        #expect(try store.read { tx in try tx.requestHash("R-001") } == "hash-1")
        #expect(try store.read { tx in try tx.requestHash("R-002") } == nil)

        let pending = try store.read { tx in try tx.pendingRequests(limit: 10) }
        #expect(pending.count == 1)
        #expect(pending.first?.request == Self.request)
        #expect(pending.first?.fileName == "requests.jsonl")
        #expect(pending.first?.line == 3)

        let seq = try #require(pending.first?.seq)
        try store.write { tx in
            try tx.finishRequest(seq: seq, failed: false, outcome: RequestOutcome(
                requestId: "R-001", type: "customer.register", status: .processed, file: "requests.jsonl", line: 3))
        }
        #expect(try store.read { tx in try tx.pendingRequests(limit: 10) }.isEmpty)
    }

    @Test("the same request id cannot be stored twice")
    func duplicateRequestId() throws {
        let store = try StateStore.inMemory()
        try store.write { tx in
            let file = try StoreFx.claimFile(tx)
            try tx.acceptRequest(Self.request, hash: "hash-1", body: try StoreJSON.encodeBytes(Self.request), fileId: file,
                                 line: 1, receivedOn: StoreFx.d("2025-03-01"))
        }
        #expect(throws: DatabaseError.self) {
            try store.write { tx in
                let file = try StoreFx.claimFile(tx, name: "again.jsonl")
                try tx.acceptRequest(Self.request, hash: "hash-2", body: UTF8Text(Array("{}".utf8)), fileId: file, line: 1,
                                     receivedOn: StoreFx.d("2025-03-02"))
            }
        }
        // The first stands.
        #expect(try store.read { tx in try tx.requestHash("R-001") } == "hash-1")
    }

    @Test("file progress and rejections are recorded")
    func fileProgress() throws {
        let store = try StateStore.inMemory()
        let file = try store.write { tx in
            let file = try StoreFx.claimFile(tx)
            try tx.rejectLine(fileId: file, line: 2, requestId: "R-2", errors: [FieldError(field: "type", reason: "unknown")])
            try tx.advanceFile(file, linesDone: 2, accepted: 1, duplicates: 0, rejected: 1)
            try tx.advanceFile(file, linesDone: 4, accepted: 1, duplicates: 1, rejected: 0)
            return file
        }
        let record = try #require(try store.read { tx in try tx.inboxFile(file) })
        #expect(record.status == "CLAIMED")
        #expect(record.linesDone == 4)
        #expect((record.accepted, record.duplicates, record.rejected) == (2, 1, 1))
        let rejections = try store.read { tx in
            var rows: [(line: Int, requestId: String?, errors: [FieldError])] = []
            try tx.forEachRejection(fileId: file) { rows.append(($0, $1, $2)) }
            return rows
        }
        #expect(rejections.count == 1)
        #expect(rejections.first?.line == 2)
        #expect(rejections.first?.errors == [FieldError(field: "type", reason: "unknown")])
        #expect(throws: DatabaseError.self) {
            try store.write { tx in try tx.rejectLine(fileId: file, line: 2, requestId: nil, errors: []) }
        }
    }
}

@Suite("StateStore: constraints and payments")
struct StateStoreConstraintTests {
    @Test("CHECK constraints refuse an unknown status",
          arguments: [
            "INSERT INTO plans(plan_no, request_id, customer_no, product_code, status, expires_on, data) VALUES ('PL9', 'RQ9', 'C00000001', 'P00000077', 'BOGUS', '2025-03-31', '{}')",
            "INSERT INTO proposals(proposal_no, request_id, plan_no, customer_no, product_code, status, instrument, holder_name, data) VALUES ('PR9', 'RQ9', 'PL00000002', 'C00000001', 'P00000077', 'PAYED', '{}', 'x', '{}')",
            "INSERT INTO withdrawals(withdrawal_no, request_id, proposal_no, status, data) VALUES ('WD9', 'RQ9', 'PR00000001', 'REJECTED', '{}')",
            "INSERT INTO payments(idempotency_key, proposal_no, kind, amount, status, requested_on) VALUES ('k9', 'PR00000001', 'CHARGE', 100, 'DONE', '2025-03-01')",
            "INSERT INTO payments(idempotency_key, proposal_no, kind, amount, status, requested_on) VALUES ('k9', 'PR00000001', 'CHARGEBACK', 100, 'PENDING', '2025-03-01')",
            "INSERT INTO payments(idempotency_key, proposal_no, kind, amount, status, requested_on) VALUES ('k9', 'PR00000001', 'CHARGE', 0, 'PENDING', '2025-03-01')",
            "INSERT INTO payments(idempotency_key, proposal_no, kind, amount, status, requested_on) VALUES ('k9', 'PR00000001', 'CHARGE', 100, 'APPROVED', '2025-03-01')",
            "INSERT INTO job_runs(job, as_of, started_at, outcome, pid, host) VALUES ('x', '2025-03-01', 't', 'DONE', 1, 'h')",
            "INSERT INTO policies(policy_no, proposal_no, customer_no, established_on, delivered_on, status) VALUES ('PO9', 'PR00000001', 'C00000001', '2025-03-01', '2025-03-01', 'LAPSED')",
          ])
    func checkConstraints(sql: String) throws {
        let store = try StoreFx.storeWithProposal()
        try store.write { tx in try tx.insert(StoreFx.plan("PL00000002"), breakdown: nil) }
        #expect(throws: DatabaseError.self) {
            try store.writer.write { db in try db.execute(sql: sql) }
        }
    }

    @Test("the same rows with valid values are accepted (control for the CHECK tests)")
    func checkControl() throws {
        let store = try StoreFx.storeWithProposal()
        try store.writer.write { db in
            try db.execute(sql: "INSERT INTO plans(plan_no, request_id, customer_no, product_code, status, expires_on, data) VALUES ('PL9', 'RQ9', 'C00000001', 'P00000077', 'EXPIRED', '2025-03-31', '{}')")
            try db.execute(sql: "INSERT INTO payments(idempotency_key, proposal_no, kind, amount, status, requested_on, settled_on) VALUES ('k9', 'PR00000001', 'CHARGE', 100, 'APPROVED', '2025-03-01', '2025-03-01')")
            try db.execute(sql: "INSERT INTO withdrawals(withdrawal_no, request_id, proposal_no, status, data) VALUES ('WD9', 'RQ9', 'PR00000001', 'WITHDRAWAL_REJECTED', '{}')")
        }
        #expect(try store.read { tx in try tx.payments() }.count == 1)
    }

    @Test("an UPDATE to an unknown status is refused")
    func updateRespectsCheck() throws {
        let store = try StoreFx.storeWithProposal()
        #expect(throws: DatabaseError.self) {
            try store.writer.write { db in
                try db.execute(sql: "UPDATE proposals SET status = 'SHIPPED' WHERE proposal_no = 'PR00000001'")
            }
        }
        #expect(try store.read { tx in try tx.proposal("PR00000001") }?.status == .submitted)
    }

    @Test("intending a payment twice with one key returns the same single row")
    func idempotentIntent() throws {
        let store = try StoreFx.storeWithProposal()
        let (first, second) = try store.write { tx in
            (try tx.intendPayment(key: "PR00000001-charge-1", proposalNo: "PR00000001", kind: .charge, amount: 2_460,
                                  on: StoreFx.d("2025-03-02")),
             try tx.intendPayment(key: "PR00000001-charge-1", proposalNo: "PR00000001", kind: .charge, amount: 9_999,
                                  on: StoreFx.d("2025-03-03")))
        }
        #expect(first == second)
        #expect(second.amount == 2_460)
        #expect(second.status == .pending)
        #expect(second.requestedOn == StoreFx.d("2025-03-02"))
        #expect(try store.read { tx in try tx.payments() }.count == 1)
        #expect(try store.read { tx in try tx.pendingCharge(proposalNo: "PR00000001") }?.paymentId == first.paymentId)
        // The raw UNIQUE constraint backs it.
        #expect(throws: DatabaseError.self) {
            try store.writer.write { db in
                try db.execute(sql: "INSERT INTO payments(idempotency_key, proposal_no, kind, amount, status, requested_on) VALUES ('PR00000001-charge-1', 'PR00000001', 'CHARGE', 1, 'PENDING', '2025-03-02')")
            }
        }
    }

    @Test("a charge's verdict takes the proposal its intent read only while the row still holds the same JSON")
    func proposalReadAgainOnlyWhenChanged() throws {
        let store = try StoreFx.storeWithProposal()
        try store.write { tx in
            var payable = StoreFx.proposal("PR00000001", plan: "PL00000001", status: .paymentPending)
            payable.nextAttemptOn = StoreFx.d("2025-03-02")
            try tx.update(payable)
        }
        let due = try #require(try store.read { try $0.chargesDue(on: StoreFx.d("2025-03-02"), limit: 10, after: .start) }.first)
        #expect(due.proposal.status == .paymentPending)
        #expect(due.json == Array(try StoreJSON.encode(due.proposal).utf8))
        // A marker the row's own JSON does not hold: returned only when the row is unchanged.
        var marked = due.proposal
        marked.lastDecline = "marker"
        #expect(try store.read { try $0.proposal("PR00000001", readAs: due.json, known: marked) }?.lastDecline == "marker")
        // Other bytes of the same length: the row is read.
        var sameLength = due.json
        sameLength[sameLength.count - 2] ^= 1
        #expect(try store.read { try $0.proposal("PR00000001", readAs: sameLength, known: marked) }?.lastDecline == nil)
        // Changed by another job (a withdrawal cancels it) since the intent read it: read again.
        try store.write { tx in
            var cancelled = due.proposal
            cancelled.status = .cancelled
            cancelled.nextAttemptOn = nil
            try tx.update(cancelled)
        }
        let now = try store.read { try $0.proposal("PR00000001", readAs: due.json, known: marked) }
        #expect(now?.status == .cancelled)
        #expect(now?.lastDecline == nil)
        // A proposal that does not exist.
        #expect(try store.read { try $0.proposal("PR00000009", readAs: due.json, known: marked) } == nil)
    }

    @Test("a proposal can have only one approved charge; declines may repeat")
    func oneApprovedCharge() throws {
        let store = try StoreFx.storeWithProposal()
        try store.write { tx in
            for key in ["c1", "c2", "c3", "c4"] {
                _ = try tx.intendPayment(key: key, proposalNo: "PR00000001", kind: .charge, amount: 2_460,
                                         on: StoreFx.d("2025-03-02"))
            }
            try tx.settlePayment(key: "c1", approved: false, on: StoreFx.d("2025-03-02"), transactionId: nil,
                                 declineCode: "LIMIT", declineMessage: "한도초과")
            try tx.settlePayment(key: "c2", approved: false, on: StoreFx.d("2025-03-03"), transactionId: nil,
                                 declineCode: "LIMIT", declineMessage: "한도초과")
            try tx.settlePayment(key: "c3", approved: true, on: StoreFx.d("2025-03-04"), transactionId: "TX-3",
                                 declineCode: nil, declineMessage: nil)
        }
        #expect(throws: DatabaseError.self) {
            try store.write { tx in
                try tx.settlePayment(key: "c4", approved: true, on: StoreFx.d("2025-03-05"), transactionId: "TX-4",
                                     declineCode: nil, declineMessage: nil)
            }
        }
        let approved = try #require(try store.read { tx in try tx.approvedCharge(proposalNo: "PR00000001") })
        #expect(approved.idempotencyKey == "c3")
        #expect(approved.gatewayTxId == "TX-3")
        #expect(approved.settledOn == StoreFx.d("2025-03-04"))
        let statuses = try store.read { tx in try tx.payments() }.map(\.status)
        #expect(statuses == [.declined, .declined, .approved, .pending])
    }

    @Test("settling an already settled payment changes nothing")
    func settleOnlyPending() throws {
        let store = try StoreFx.storeWithProposal()
        try store.write { tx in
            _ = try tx.intendPayment(key: "c1", proposalNo: "PR00000001", kind: .charge, amount: 2_460, on: StoreFx.d("2025-03-02"))
            // It says whether it recorded the verdict: the stages apply theirs only then.
            #expect(try tx.settlePayment(key: "c1", approved: true, on: StoreFx.d("2025-03-02"), transactionId: "TX-1",
                                         declineCode: nil, declineMessage: nil))
            #expect(try !tx.settlePayment(key: "c1", approved: false, on: StoreFx.d("2025-03-09"), transactionId: nil,
                                          declineCode: "X", declineMessage: "late"))
            #expect(try !tx.settlePayment(key: "no-such-key", approved: true, on: StoreFx.d("2025-03-09"), transactionId: "TX-9",
                                          declineCode: nil, declineMessage: nil))
        }
        let row = try #require(try store.read { tx in try tx.payment(key: "c1") })
        #expect(row.status == .approved)
        #expect(row.gatewayTxId == "TX-1")
        #expect(row.declineCode == nil)
    }

    @Test("only one refund per proposal")
    func oneRefund() throws {
        let store = try StoreFx.storeWithProposal()
        #expect(throws: DatabaseError.self) {
            try store.write { tx in
                _ = try tx.intendPayment(key: "r1", proposalNo: "PR00000001", kind: .refund, amount: 2_460,
                                         on: StoreFx.d("2025-03-10"), originalTxId: "TX-1")
                _ = try tx.intendPayment(key: "r2", proposalNo: "PR00000001", kind: .refund, amount: 2_460,
                                         on: StoreFx.d("2025-03-10"), originalTxId: "TX-1")
            }
        }
    }
}

@Suite("StateStore: alarms and held sum insured")
struct StateStoreAlarmAndCoverTests {
    @Test("alarm batches are numbered in order with fixed file names, known before they open; published ones drop out")
    func alarmBatches() throws {
        let store = try StateStore.inMemory()
        #expect(try store.read { tx in try tx.nextAlarmBatch() } == (1, "alarms-00000001.jsonl"))
        let (b1, b2) = try store.write { tx in
            let b1 = try tx.newAlarmBatch(firstSeq: 1, lastSeq: 5)
            try tx.closeAlarmBatch(b1.batchNo, count: 2, sha256: "aa")
            let b2 = try tx.newAlarmBatch(firstSeq: 6, lastSeq: 9)
            try tx.closeAlarmBatch(b2.batchNo, count: 1, sha256: "bb")
            return (b1, b2)
        }
        #expect(b1.batchNo == 1 && b1.fileName == "alarms-00000001.jsonl")
        #expect(b2.batchNo == 2 && b2.fileName == "alarms-00000002.jsonl")
        #expect(try store.read { tx in try tx.nextAlarmBatch() } == (3, "alarms-00000003.jsonl"))
        let open = try store.read { tx in try tx.unpublishedAlarmBatches() }
        #expect(open.map(\.batchNo) == [1, 2] && open.map(\.sha256) == ["aa", "bb"])
        #expect(open.map(\.firstSeq) == [1, 6] && open.map(\.lastSeq) == [5, 9])
        #expect(try store.read { tx in try tx.storedAlarmBatchContent(batchNo: 1) } == nil, "the bytes are in the file only")

        try store.write { tx in try tx.markAlarmBatchPublished(1) }
        let left = try store.read { tx in try tx.unpublishedAlarmBatches() }
        #expect(left.map(\.batchNo) == [2])
        #expect(left.map(\.fileName) == ["alarms-00000002.jsonl"])

        // Batches cover disjoint event ranges: the same range cannot be batched twice.
        #expect(throws: DatabaseError.self) {
            try store.write { tx in _ = try tx.newAlarmBatch(firstSeq: 6, lastSeq: 9) }
        }
    }

    @Test("closing an alarm batch drops an empty one and records the count and hash of a full one")
    func closeBatches() throws {
        let store = try StateStore.inMemory()
        try store.write { tx in
            let full = try tx.newAlarmBatch(firstSeq: 1, lastSeq: 1)
            let empty = try tx.newAlarmBatch(firstSeq: 2, lastSeq: 3)
            try tx.closeAlarmBatch(empty.batchNo, count: 0, sha256: "")
            try tx.closeAlarmBatch(full.batchNo, count: 1, sha256: "cc")
        }
        #expect(try store.read { tx in try tx.unpublishedAlarmBatches() }.map(\.batchNo) == [1])
        #expect(try store.read { tx in try Int.fetchOne(tx.db, sql: "SELECT count FROM alarm_batches WHERE batch_no = 1") } == 1)
    }

    @Test("a batch closed before v15 keeps its bytes in its row until it is published")
    func storedBytesBatch() throws {
        let store = try StateStore.inMemory()
        try store.write { tx in
            let batch = try tx.newAlarmBatch(firstSeq: 1, lastSeq: 5)
            try tx.db.execute(sql: "UPDATE alarm_batches SET count = 2, content = 'two\nfour\n' WHERE batch_no = ?",
                              arguments: [batch.batchNo])
        }
        #expect(try store.read { tx in try tx.unpublishedAlarmBatches() }.map(\.sha256) == [nil])
        #expect(try store.read { tx in try tx.storedAlarmBatchContent(batchNo: 1) } == "two\nfour\n")
        try store.write { tx in try tx.markAlarmBatchPublished(1) }
        let kept = try store.read { tx in
            try String?.fetchOne(tx.db, sql: "SELECT content FROM alarm_batches WHERE batch_no = 1")
        }
        #expect(kept == .some(nil), "a published batch's bytes live in its file only")
    }

    @Test("a batch closed before v7 is published from its message rows, in event order")
    func legacyBatch() throws {
        let store = try StateStore.inMemory()
        try store.write { tx in
            let batch = try tx.newAlarmBatch(firstSeq: 1, lastSeq: 5)
            try tx.db.execute(sql: "UPDATE alarm_batches SET count = 2 WHERE batch_no = ?", arguments: [batch.batchNo])
            for (id, seq, line) in [("ALM-4", 4, "four"), ("ALM-2", 2, "two")] {
                try tx.db.execute(sql: "INSERT INTO alarm_outbox(message_id, event_seq, batch_no, line) VALUES (?, ?, ?, ?)",
                                  arguments: [id, seq, batch.batchNo, line])
            }
            _ = try tx.newAlarmBatch(firstSeq: 6, lastSeq: 7)
        }
        #expect(try store.read { tx in try tx.storedAlarmBatchContent(batchNo: 1) } == "two\nfour\n")
        #expect(try store.read { tx in try tx.storedAlarmBatchContent(batchNo: 2) } == nil)
    }

    /// Which proposal statuses still hold cover (SPEC section 6: pending or in force).
    static let covering: [ProposalStatus: Bool] = [
        .submitted: true, .paymentPending: true, .paymentDeferred: true, .paymentFailed: true, .paid: true,
        .active: true, .notConcluded: false, .cancelled: false, .withdrawn: false,
    ]

    @Test("held sum insured counts a proposal only in a covering status", arguments: ProposalStatus.allCases)
    func heldPerStatus(status: ProposalStatus) throws {
        let store = try StateStore.inMemory()
        try store.write { tx in
            try tx.save(StoreFx.customer())
            try tx.insert(StoreFx.plan("PL00000001"), breakdown: nil)
            try tx.insert(StoreFx.proposal("PR00000001", plan: "PL00000001", status: status, sumInsured: 30_000_000),
                          payment: StoreFx.card)
        }
        let held = try store.read { tx in try tx.heldSumInsured(customerNo: "C00000001", productCode: "P00000077") }
        #expect(held == (Self.covering[status] == true ? 30_000_000 : 0))
    }

    @Test("held sum insured sums one customer's covering proposals of one product only")
    func heldSum() throws {
        let store = try StateStore.inMemory()
        // (status, customer, product, sum): only the first three rows count -> 10M + 20M + 40M = 70M.
        let rows: [(ProposalStatus, String, String, Int64)] = [
            (.submitted, "C00000001", "P00000077", 10_000_000),
            (.active, "C00000001", "P00000077", 20_000_000),
            (.paymentDeferred, "C00000001", "P00000077", 40_000_000),
            (.cancelled, "C00000001", "P00000077", 80_000_000),
            (.withdrawn, "C00000001", "P00000077", 160_000_000),
            (.notConcluded, "C00000001", "P00000077", 320_000_000),
            (.active, "C00000001", "P00000088", 640_000_000),
            (.active, "C00000002", "P00000077", 1_280_000_000),
        ]
        try store.write { tx in
            try tx.save(StoreFx.customer("C00000001"))
            try tx.save(StoreFx.customer("C00000002"))
            for (i, row) in rows.enumerated() {
                let planNo = "PL0000000\(i)", proposalNo = "PR0000000\(i)"
                try tx.insert(StoreFx.plan(planNo, customer: row.1, product: row.2), breakdown: nil)
                try tx.insert(StoreFx.proposal(proposalNo, plan: planNo, customer: row.1, product: row.2,
                                               status: row.0, sumInsured: row.3), payment: StoreFx.card)
            }
        }
        #expect(try store.read { tx in try tx.heldSumInsured(customerNo: "C00000001", productCode: "P00000077") } == 70_000_000)
        #expect(try store.read { tx in try tx.heldSumInsured(customerNo: "C00000001", productCode: "P00000088") } == 640_000_000)
        #expect(try store.read { tx in try tx.heldSumInsured(customerNo: "C00000003", productCode: "P00000077") } == 0)

        // A status update through the store moves the proposal out of the sum.
        try store.write { tx in
            var p = try #require(try tx.proposal("PR00000001"))
            p.status = .withdrawn
            try tx.update(p)
        }
        #expect(try store.read { tx in try tx.heldSumInsured(customerNo: "C00000001", productCode: "P00000077") } == 50_000_000)
    }
}

/// The SQL statements a traced connection ran, in order.
private final class StatementLog: @unchecked Sendable {
    private let lock = NSLock()
    private var statements: [String] = []
    func append(_ sql: String) { lock.withLock { statements.append(sql) } }
    var all: [String] { lock.withLock { statements } }
}
