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

    /// Every row of the store as the `sqlite3` shell dumps it, the home's path taken out and
    /// the job runs (wall-clock times) left out.
    func dump(_ home: TestHome) throws -> [String] {
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", home.path("ezinsurance.sqlite").path, ".dump"]
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
            .replacingOccurrences(of: home.root.path, with: "<home>")
            .split(separator: "\n").map(String.init)
            .filter { !$0.hasPrefix("INSERT INTO job_runs") }
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

        let rowsA = try dump(fast)
        let rowsB = try dump(foundation)
        #expect(rowsA.count > 3000, "too few rows to compare: \(rowsA.count)")
        #expect(rowsA.contains { $0.hasPrefix("INSERT INTO plans") && $0.contains("\"premium\"") })
        for (index, row) in rowsA.enumerated() where index >= rowsB.count || rowsB[index] != row {
            Issue.record("store row \(index) differs: \(row.prefix(200))")
            break
        }
        #expect(rowsA.count == rowsB.count)

        // Each home reads what the other wrote: the rebuilt views are the same bytes.
        #expect(try fast.run(["views", "rebuild"], asOf: days[1], environment: ["EZINSURANCE_JSON": "foundation"]).status == 0)
        #expect(try foundation.run(["views", "rebuild"], asOf: days[1]).status == 0)
        let rebuiltA = fast.snapshot(["views"])
        let rebuiltB = foundation.snapshot(["views"])
        for (name, bytes) in rebuiltA where rebuiltB[name] != bytes { Issue.record("\(name) differs after views rebuild") }
    }
}
