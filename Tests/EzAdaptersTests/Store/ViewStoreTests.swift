@testable import EzAdapters
@testable import EzCore
import EzRunner
import Foundation
import GRDB
import Testing

/// The status views' own database (`views/status.sqlite`).
@Suite("View store")
struct ViewStoreTests {
    static func customerChange(_ no: String, seq: Int64) -> StatusProjector.CustomerChange {
        StatusProjector.project([StatusProjector.Input<UTF8Text>(seq: seq, occurredOn: StoreFx.d("2025-03-01"),
                                                       payload: .customer(StoreFx.customer(no)))], prior: .init()).customers[0]
    }

    @Test("views, counts and the checkpoint commit together; a moved checkpoint refuses the chunk")
    func checkpoint() throws {
        let views = try ViewStore.inMemory()
        #expect(try views.read { try $0.offset() } == 0)
        try views.write { tx in
            try tx.expectOffset(at: 0)
            try tx.save(Self.customerChange("C00000002", seq: 1))
            try tx.save(Self.customerChange("C00000001", seq: 2))
            try tx.apply([.init(entity: "customer", status: "REGISTERED", delta: 2)])
            try tx.setOffset(to: 14)
        }
        // A chunk prepared from 0 after another process moved the checkpoint to 14: nothing of it commits.
        #expect(throws: StoreError.self) {
            try views.write { tx in
                try tx.save(Self.customerChange("C00000003", seq: 3))
                try tx.expectOffset(at: 0)
            }
        }
        #expect(try views.read { try $0.customerView("C00000003") } == nil)
        #expect(try views.read { try $0.offset() } == 14)
        #expect(try views.read { try $0.counts() } == ["customer": ["REGISTERED": 2]])
        #expect(try views.read { try $0.isProfiled("C00000001") })
        #expect(try !views.read { try $0.isProfiled("C00000003") })
        // Paged in number order, as `views export` reads them.
        let first = try views.read { try $0.customerViews(after: nil, limit: 1) }
        #expect(first.map(\.customerNo) == ["C00000001"])
        let next = try views.read { try $0.customerViews(after: first.last?.customerNo, limit: 5) }
        #expect(next.map(\.customerNo) == ["C00000002"])
        #expect(next.first?.phone == "010-****-5678")
    }

    /// The events of one customer: registered, a plan quoted then its document issued, a
    /// proposal established, a withdrawal requested; and two outcomes of one request.
    static func events() -> [DomainEvent] {
        var proposal = StoreFx.proposal("PR00000001", plan: "PL00000001", status: .active)
        proposal.policyNo = "PO00000001"
        var issued = StoreFx.plan("PL00000001")
        issued.documentNo = "DOC00000001"
        let withdrawal = Withdrawal(withdrawalNo: "WD00000001", requestId: "R-W", proposalNo: "PR00000001",
                                    customerNo: "C00000001", requestedOn: StoreFx.d("2025-03-03"), reason: "단순 변심")
        let outcome = RequestOutcome(requestId: "R-1", type: "enrollment.apply", status: .accepted, file: "a.jsonl", line: 1,
                                     customerNo: "C00000001")
        var processed = outcome
        processed.status = .processed
        processed.planNo = "PL00000001"
        return [DomainEvent(.requestAccepted, on: StoreFx.d("2025-03-01"), .request(outcome)),
                DomainEvent(.customerRegistered, on: StoreFx.d("2025-03-01"), .customer(StoreFx.customer())),
                DomainEvent(.planQuoted, on: StoreFx.d("2025-03-01"), .plan(StoreFx.plan("PL00000002"))),
                DomainEvent(.planQuoted, on: StoreFx.d("2025-03-01"), .plan(StoreFx.plan("PL00000001"))),
                DomainEvent(.documentIssued, on: StoreFx.d("2025-03-01"), .plan(issued)),
                DomainEvent(.requestProcessed, on: StoreFx.d("2025-03-01"), .request(processed)),
                DomainEvent(.policyEstablished, on: StoreFx.d("2025-03-02"), .proposal(proposal)),
                DomainEvent(.withdrawalRequested, on: StoreFx.d("2025-03-03"), .withdrawal(withdrawal))]
    }

    /// The customer's view the events above make, field by field.
    static func expectedView() -> CustomerView {
        let e = events()
        var view = CustomerView(customerNo: "C00000001")
        view.name = "홍길동"
        view.birthDate = StoreFx.d("1985-01-10")
        view.gender = .male
        view.phone = "010-****-5678"
        view.email = "ho**@example.com"
        view.occupationClass = 1
        guard case .plan(let issued) = e[4].payload, case .proposal(let proposal) = e[6].payload,
              case .withdrawal(let withdrawal) = e[7].payload else { fatalError("fixture") }
        view.plans = [issued, StoreFx.plan("PL00000002")]
        view.proposals = [proposal]
        view.withdrawals = [withdrawal]
        view.lastEventSeq = 8
        view.updatedOn = StoreFx.d("2025-03-03")
        return view
    }

    /// Applies the log's events to `views`, `chunk` events at a time, as the views consumer does.
    static func project(_ store: StateStore, into views: ViewStore, chunk: Int) throws {
        while true {
            let from = try views.read { try $0.offset() }
            let raw = try store.read { try $0.rawEvents(after: from, limit: chunk) }
            guard let last = raw.last else { return }
            let inputs = try raw.map { try $0.forViews() }
            let prior = try views.read { try $0.prior(for: inputs) }
            let changes = StatusProjector.project(inputs, prior: prior)
            try views.write { tx in
                try tx.save(changes)
                try tx.setOffset(to: last.seq)
            }
        }
    }

    @Test("a view stored in parts reads back as the whole view, however the events were chunked", arguments: [1, 3, 100])
    func viewInParts(chunk: Int) throws {
        let store = try StateStore.inMemory()
        try store.write { tx in for event in Self.events() { _ = try tx.append(event, runId: nil) } }
        let views = try ViewStore.inMemory()
        try Self.project(store, into: views, chunk: chunk)
        #expect(try views.read { try $0.customerView("C00000001") } == Self.expectedView())
        let request = try #require(try views.read { try $0.requestView("R-1") })
        #expect(request.current.status == .processed)
        #expect(request.history.map(\.status) == [.accepted, .processed])
        #expect(try views.read { try $0.counts() } == ["customer": ["REGISTERED": 1], "plan": ["QUOTED": 2],
                                                       "proposal": ["ACTIVE": 1], "withdrawal": ["REQUESTED": 1],
                                                       "request": ["PROCESSED": 1]])
        // An entry's JSON is its last event's record, as the payload held it.
        let doc = try views.read { try String.fetchOne($0.db, sql: "SELECT doc FROM customer_items WHERE item_no = 'PL00000001'") }
        let payload = try store.read { try String.fetchOne($0.db, sql: "SELECT payload FROM events WHERE type = 'document.issued'") }
        #expect(payload == "{\"plan\":" + (doc ?? "") + "}")
    }

    @Test("reset drops every view and the checkpoint")
    func reset() throws {
        let store = try StateStore.inMemory()
        try store.write { tx in for event in Self.events() { _ = try tx.append(event, runId: nil) } }
        let views = try ViewStore.inMemory()
        try Self.project(store, into: views, chunk: 100)
        try views.write { try $0.reset() }
        #expect(try views.read { try $0.offset() } == 0)
        #expect(try views.read { try $0.customerView("C00000001") } == nil)
        #expect(try views.read { try $0.requestView("R-1") } == nil)
        #expect(try views.read { try $0.counts() }.isEmpty)
        #expect(try views.read { try Int.fetchOne($0.db, sql: "SELECT count(*) FROM customer_items") } == 0)
    }

    @Test("the file is created owner-only, and a second open migrates nothing")
    func file() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("views-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("status.sqlite").path
        try ViewStore(path: path).write { try $0.setOffset(to: 5) }
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let again = try ViewStore(path: path)
        #expect(try again.read { try $0.offset() } == 5)
        #expect(try again.writer.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }
                == ["v1-views", "v2-customers-in-rowid-table", "v3-views-in-parts"])
    }

    @Test("whole views written before v3, compact or pretty, are split into parts that read back the same")
    func viewsSplitIntoParts() throws {
        let store = try StateStore.inMemory()
        try store.write { tx in for event in Self.events() { _ = try tx.append(event, runId: nil) } }
        let view = Self.expectedView()
        var bare = CustomerView(customerNo: "C00000002")
        bare.plans = [StoreFx.plan("PL00000009", customer: "C00000002")]
        bare.lastEventSeq = 9
        var noEmail = view
        noEmail.customerNo = "C00000003"
        noEmail.email = nil
        noEmail.occupationClass = nil
        var request = RequestView(current: RequestOutcome(requestId: "R-1", type: "plan.quote", status: .accepted, file: "a.jsonl", line: 1))
        request.history.append(RequestOutcome(requestId: "R-1", type: "plan.quote", status: .rejected, file: "b.jsonl", line: 2,
                                              errors: [FieldError(field: "request_id", reason: "한글 \"q\" a/b")]))
        let queue = try DatabaseQueue()
        try ViewStore.migrator.migrate(queue, upTo: "v2-customers-in-rowid-table")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO customers(customer_no, doc) VALUES (?, ?), (?, ?), (?, ?)", arguments: [
                "C00000001", try JSONCodec.encode(view), "C00000002", try JSONCodec.encode(bare, pretty: true),
                "C00000003", try JSONCodec.encode(noEmail)])
            try db.execute(sql: "INSERT INTO requests(request_id, doc) VALUES (?, ?)", arguments: ["R-1", try JSONCodec.encode(request)])
        }
        let views = try ViewStore(writer: queue)
        #expect(try views.read { try $0.customerView("C00000001") } == view)
        #expect(try views.read { try $0.customerView("C00000002") } == bare)
        #expect(try views.read { try $0.customerView("C00000003") } == noEmail)
        #expect(try views.read { try $0.requestView("R-1") } == request)
        #expect(try views.read { try $0.isProfiled("C00000001") })
        #expect(try !views.read { try $0.isProfiled("C00000002") })
        #expect(try views.read { try $0.itemStatuses(of: "C00000001") }.map { "\($0.item.number) \($0.status)" }
                == ["PL00000001 QUOTED", "PL00000002 QUOTED", "PR00000001 ACTIVE", "WD00000001 REQUESTED"])
        #expect(try views.read { try $0.requestStatus("R-1") } == .accepted)
        // The customers keep their order (rowids) and their numbers stay unique.
        #expect(try queue.read { try String.fetchAll($0, sql: "SELECT customer_no FROM customers ORDER BY rowid") }
                == ["C00000001", "C00000002", "C00000003"])
        #expect(throws: DatabaseError.self) {
            try queue.write { try $0.execute(sql: "INSERT INTO customers(customer_no, last_event_seq) VALUES ('C00000001', 1)") }
        }
        // The next events apply on top of the split views as on views built in parts.
        try Self.project(store, into: views, chunk: 100)
        #expect(try views.read { try $0.customerView("C00000001") } == view)
    }

    @Test("views written before v2 are kept when customers move to a rowid table (and then into parts)")
    func customersMoveToRowidTable() throws {
        let queue = try DatabaseQueue()
        var v1 = DatabaseMigrator()
        v1.registerMigration("v1-views") { db in
            try db.execute(sql: """
            CREATE TABLE customers (customer_no TEXT PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID;
            CREATE TABLE requests (request_id TEXT PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID;
            CREATE TABLE counts (entity TEXT NOT NULL, status TEXT NOT NULL, count INTEGER NOT NULL,
                                 PRIMARY KEY (entity, status)) WITHOUT ROWID;
            CREATE TABLE checkpoint (consumer TEXT PRIMARY KEY, last_seq INTEGER NOT NULL);
            INSERT INTO customers VALUES ('C2', '{"customer_no":"C2"}'), ('C1', '{"customer_no":"C1"}');
            """)
        }
        try v1.migrate(queue)
        let store = try ViewStore(writer: queue)
        #expect(try store.read { try $0.customerView("C1") } == CustomerView(customerNo: "C1"))
        #expect(try store.read { try $0.customerView("C2") } == CustomerView(customerNo: "C2"))
        let sql = try queue.read { try String.fetchOne($0, sql: "SELECT sql FROM sqlite_master WHERE name = 'customers'") }
        #expect(sql?.contains("WITHOUT ROWID") == false, "\(sql ?? "")")
        #expect(try queue.read { try String.fetchAll($0, sql: "SELECT customer_no FROM customers ORDER BY rowid") } == ["C1", "C2"])
    }

    @Test("upgrading the state store drops its old view tables and the views checkpoint, keeps the others")
    func upgradeDropsStoreViews() throws {
        let queue = try DatabaseQueue()
        try StateStore.migrator.migrate(queue, upTo: "v13-offsets-by-consumer")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO view_customers(customer_no, doc) VALUES ('C1', '{}');
                INSERT INTO consumer_offsets(consumer, last_seq) VALUES ('views', 9), ('alarms', 7);
                """)
        }
        let store = try StateStore(writer: queue)
        let tables = try store.writer.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") }
        #expect(!tables.contains { $0.hasPrefix("view_") })
        #expect(try store.read { try $0.offset(of: "views") } == 0)
        #expect(try store.read { try $0.offset(of: "alarms") } == 7)
    }
}
