import Foundation
import Testing

/// The store, the views and the outbox are written by a fast JSON encoder; with
/// `EZINSURANCE_JSON=foundation` Foundation's coders write them. Both must give the same bytes
/// everywhere: files, and every row of the store.
@Suite("Fast JSON coder against Foundation's (end to end)", .serialized)
struct JSONCodecE2ETests {
    let days = ["2026-12-01", "2026-12-09"]

    func home(requests: Data, json: String?) throws -> (TestHome, [String: String]) {
        let home = try TestHome()
        let environment = json.map { ["EZINSURANCE_JSON": $0] } ?? [:]
        try home.drop("requests.jsonl", data: requests)
        for day in days {
            let result = try home.run(["run", "intake"], asOf: day, environment: environment)
            #expect(result.status == 0, "\(result)")
        }
        return (home, environment)
    }

    @Test("generated requests over two days give the same files and the same store rows")
    func sameBytes() throws {
        let scratch = try TestHome()
        let file = scratch.root.appendingPathComponent("requests.jsonl")
        let generated = try scratch.run(["generate", "--count", "500", "--seed", "11", "--out", file.path], asOf: days[0])
        try #require(generated.status == 0, "\(generated)")
        let requests = try Data(contentsOf: file)
        let (fast, _) = try home(requests: requests, json: nil)
        let (foundation, _) = try home(requests: requests, json: "foundation")

        let folders = ["views", "outbox", "documents", "rejected", "reports", "archive"]
        let a = fast.snapshot(folders)
        let b = foundation.snapshot(folders)
        #expect(a.count > 300, "too few files to compare: \(a.count)")
        let onlyOne = Set(a.keys).symmetricDifference(b.keys)
        #expect(onlyOne.isEmpty, "files written by one home only: \(onlyOne.sorted().prefix(5))")
        for (name, bytes) in a where b[name] != bytes { Issue.record("\(name) differs between the coders") }

        let rowsA = try fast.storeDump()
        let rowsB = try foundation.storeDump()
        #expect(rowsA.count > 3000, "too few rows to compare: \(rowsA.count)")
        #expect(rowsA.contains { $0.hasPrefix("INSERT INTO plans") && $0.contains("\"premium\"") })
        if let difference = TestHome.firstDifference(rowsA, rowsB) { Issue.record("store rows differ at \(difference)") }

        // Each home reads what the other wrote: the rebuilt views are the same bytes.
        #expect(try fast.run(["views", "rebuild"], asOf: days[1], environment: ["EZINSURANCE_JSON": "foundation"]).status == 0)
        #expect(try foundation.run(["views", "rebuild"], asOf: days[1]).status == 0)
        let rebuiltA = fast.snapshot(["views"])
        let rebuiltB = foundation.snapshot(["views"])
        for (name, bytes) in rebuiltA where rebuiltB[name] != bytes { Issue.record("\(name) differs after views rebuild") }
    }
}
