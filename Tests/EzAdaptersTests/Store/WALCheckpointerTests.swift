@testable import EzAdapters
import EzCore
import Foundation
import GRDB
import Testing

@Suite("Checkpoints of the store's WAL on a thread of their own")
struct WALCheckpointerTests {
    /// Writes 3,000 plans (a few megabytes: a hundred pages and more) in one transaction.
    static func fill(_ store: StateStore) throws {
        try store.write { tx in
            try tx.save(StoreFx.customer())
            for i in 1...3_000 {
                try tx.insert(StoreFx.plan("PL" + String(format: "%08d", i)), breakdown: UTF8Text(Array(String(repeating: "x", count: 300).utf8)))
            }
        }
    }

    @Test("the writer leaves checkpoints to the thread, which copies every committed page back")
    func copiesWhatTheWriterCommitted() throws {
        try StoreFx.scratchDatabase { path in
            let store = try StateStore(path: path)
            let checkpointer = try #require(store.checkpointer)
            // SQLite's default (1,000 pages) would have the committing thread copy them itself.
            let automatic = try store.writer.write { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") }
            #expect(automatic == WALCheckpointer.fallbackPages)
            try Self.fill(store)
            let deadline = Date().addingTimeInterval(10)
            while checkpointer.lastCheckpoint.walFrames < 100
                    || checkpointer.lastCheckpoint.copied < checkpointer.lastCheckpoint.walFrames,
                  Date() < deadline {
                Thread.sleep(forTimeInterval: 0.01)
            }
            let last = checkpointer.lastCheckpoint
            #expect(last.walFrames >= 100, "the commit's pages are in the WAL")
            #expect(last.copied == last.walFrames, "and all of them were copied back by the thread")
            #expect(try store.read { try $0.plan("PL00003000") } != nil)
        }
    }

    @Test("closing the store stops the thread and closes its connection: the WAL goes with the last one")
    func stopsWithTheStore() throws {
        try StoreFx.scratchDatabase { path in
            do {
                let store = try StateStore(path: path)
                try Self.fill(store)
                #expect(FileManager.default.fileExists(atPath: path + "-wal"))
            }
            // A connection left open (a thread that outlived its store) would keep the WAL.
            #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
            #expect(try StateStore(path: path).read { try $0.plan("PL00000001") } != nil)
        }
    }
}
