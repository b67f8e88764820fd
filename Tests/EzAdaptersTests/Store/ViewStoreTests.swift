@testable import EzAdapters
@testable import EzCore
import EzRunner
import Foundation
import GRDB
import Testing

/// The status views' own database (`views/status.sqlite`).
@Suite("View store")
struct ViewStoreTests {
    @Test("views, counts and the checkpoint commit together; a moved checkpoint refuses the chunk")
    func checkpoint() throws {
        let views = try ViewStore.inMemory()
        #expect(try views.read { try $0.offset() } == 0)
        try views.write { tx in
            try tx.expectOffset(at: 0)
            try tx.saveCustomerView("C00000002", doc: "{\n  \"customer_no\" : \"C00000002\"\n}\n")
            try tx.saveCustomerView("C00000001", doc: "{\n  \"customer_no\" : \"C00000001\"\n}\n")
            try tx.saveRequestView("R-1", doc: "{}")
            try tx.apply([.init(entity: "customer", status: "REGISTERED", delta: 2)])
            try tx.setOffset(to: 14)
        }
        // A chunk prepared from 0 after another process moved the checkpoint to 14: nothing of it commits.
        #expect(throws: StoreError.self) {
            try views.write { tx in
                try tx.saveCustomerView("C00000003", doc: "{}")
                try tx.expectOffset(at: 0)
            }
        }
        #expect(try views.read { try $0.customerViewDoc("C00000003") } == nil)
        #expect(try views.read { try $0.offset() } == 14)
        #expect(try views.read { try $0.counts() } == ["customer": ["REGISTERED": 2]])
        // Paged in number order, as `views export` reads them.
        let first = try views.read { try $0.customerViewDocs(after: nil, limit: 1) }
        #expect(first.map(\.customerNo) == ["C00000001"])
        let next = try views.read { try $0.customerViewDocs(after: first.last?.customerNo, limit: 5) }
        #expect(next.map(\.customerNo) == ["C00000002"])
        // A saved view replaces the one before it.
        try views.write { try $0.saveCustomerView("C00000001", doc: "{\"v\":2}") }
        #expect(try views.read { try $0.customerViewDoc("C00000001") } == "{\"v\":2}")
    }

    /// Customer views are stored compact; rows written before that are pretty. Either gives
    /// back the file `views export` and `status --json` print, byte for byte.
    @Test("a stored customer view, compact or pretty, gives the same file")
    func storedCustomerViews() throws {
        var view = CustomerView(customerNo: "C00000001")
        var proposal = StoreFx.proposal("PR00000001", plan: "PL00000001", status: .active)
        proposal.policyNo = "PO00000001"
        for (seq, event) in [DomainEvent(.customerRegistered, on: StoreFx.d("2025-03-01"), .customer(StoreFx.customer())),
                             DomainEvent(.planQuoted, on: StoreFx.d("2025-03-01"), .plan(StoreFx.plan("PL00000001"))),
                             DomainEvent(.policyEstablished, on: StoreFx.d("2025-03-02"), .proposal(proposal))].enumerated() {
            _ = StatusProjector.apply(StoredEvent(seq: Int64(seq + 1), event: event), to: &view)
        }
        let file = try ViewJSON.encode(view)
        let compact = String(decoding: try JSONCodec.encodeBytes(view), as: UTF8.self)
        #expect(compact.count * 4 < file.count * 3, "compact is at least a quarter smaller")
        #expect(try ViewJSON.customerFile(fromStored: compact) == file)
        #expect(try ViewJSON.customerFile(fromStored: file) == file)
        #expect(file.hasPrefix("{\n  \"birth_date\" : \"1985-01-10\""))
    }

    @Test("reset drops every view and the checkpoint")
    func reset() throws {
        let views = try ViewStore.inMemory()
        try views.write { tx in
            try tx.saveCustomerView("C1", doc: "{}")
            try tx.saveRequestView("R1", doc: "{}")
            try tx.apply([.init(entity: "plan", status: "QUOTED", delta: 1)])
            try tx.setOffset(to: 3)
        }
        try views.write { try $0.reset() }
        #expect(try views.read { try $0.offset() } == 0)
        #expect(try views.read { try $0.customerViewDoc("C1") } == nil)
        #expect(try views.read { try $0.requestViewDoc("R1") } == nil)
        #expect(try views.read { try $0.counts() }.isEmpty)
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
                == ["v1-views", "v2-customers-in-rowid-table"])
    }

    @Test("views written before v2 are kept when customers move to a rowid table, which keeps a large view in its row")
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
        #expect(try store.read { try $0.customerViewDoc("C1") } == #"{"customer_no":"C1"}"#)
        #expect(try store.read { try $0.customerViewDoc("C2") } == #"{"customer_no":"C2"}"#)
        let sql = try queue.read { try String.fetchOne($0, sql: "SELECT sql FROM sqlite_master WHERE name = 'customers'") }
        #expect(sql?.contains("WITHOUT ROWID") == false, "\(sql ?? "")")
        // The customer number stays unique: the upsert replaces, never adds.
        try queue.write { try $0.execute(sql: """
            INSERT INTO customers(customer_no, doc) VALUES ('C1', 'new') ON CONFLICT(customer_no) DO UPDATE SET doc = excluded.doc
            """) }
        #expect(try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM customers") } == 2)
        #expect(try store.read { try $0.customerViewDoc("C1") } == "new")
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
