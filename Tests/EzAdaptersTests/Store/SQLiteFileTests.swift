@testable import EzAdapters
import Foundation
import GRDB
import Testing

@Suite("Database files: page size")
struct SQLiteFileTests {
    static func pageSize(_ writer: any DatabaseWriter) throws -> Int? {
        try writer.read { try Int.fetchOne($0, sql: "PRAGMA page_size") }
    }

    @Test("a new store and a new views database are made with the larger pages")
    func newFiles() throws {
        try StoreFx.scratchDatabase { path in
            let store = try StateStore(path: path)
            let views = try ViewStore(path: path + ".views")
            #expect(try Self.pageSize(store.writer) == SQLiteFile.pageSize)
            #expect(try Self.pageSize(views.writer) == SQLiteFile.pageSize)
        }
        #expect(SQLiteFile.pageSize != 4096, "not SQLite's default")
    }

    @Test("the sandbox gateway's ledger is made with the same pages")
    func ledger() throws {
        try StoreFx.scratchDatabase("ledger.sqlite") { path in
            _ = try SandboxGateway(path: URL(fileURLWithPath: path))
            #expect(try Self.pageSize(try DatabaseQueue(path: path)) == SQLiteFile.pageSize)
        }
    }

    @Test("a store made by an older version keeps its pages and opens as before")
    func existingFile() throws {
        try StoreFx.scratchDatabase { path in
            do {
                var config = Configuration()
                config.prepareDatabase { db in try db.execute(sql: "PRAGMA page_size = 4096") }
                let old = try DatabasePool(path: path, configuration: config)
                try StateStore.migrator.migrate(old, upTo: "v13-offsets-by-consumer")
                try old.write { try $0.execute(sql: "INSERT INTO counters(name, value) VALUES ('plan', 41)") }
            }
            let store = try StateStore(path: path)
            #expect(try Self.pageSize(store.writer) == 4096)
            #expect(try store.write { try $0.nextNumber("plan", prefix: "PL") } == "PL00000042")
        }
    }
}
