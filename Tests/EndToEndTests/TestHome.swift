// A fresh, throw-away ezinsurance home under the temporary directory, plus readers for
// everything the binary writes into it. The directory is removed when the value goes away.

import Foundation
import Testing

typealias JSONObject = [String: Any]

final class TestHome {
    /// Temporary parent directory (removed on deinit).
    let root: URL
    /// The home passed with `--home`; the binary creates and seeds it on first use.
    let url: URL

    init() throws {
        let fm = FileManager.default
        root = fm.temporaryDirectory.appendingPathComponent("ez-e2e-\(UUID().uuidString)")
        url = root.appendingPathComponent("home")
        try fm.createDirectory(at: url.appendingPathComponent("inbox"), withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    func path(_ relative: String) -> URL { url.appendingPathComponent(relative) }

    // MARK: - Running

    /// `ezinsurance <arguments> --home <home> [--as-of <date>]`.
    @discardableResult
    func run(_ arguments: [String], asOf: String? = nil, environment: [String: String] = [:]) throws -> RunResult {
        var args = arguments + ["--home", url.path]
        if let asOf { args += ["--as-of", asOf] }
        return try Binary.run(args, environment: environment)
    }

    /// `ezinsurance run intake` for one business date.
    @discardableResult
    func runIntake(asOf: String) throws -> RunResult {
        try run(["run", "intake"], asOf: asOf)
    }

    // MARK: - Inbox

    /// Drops a file into the inbox the way upstreams are told to: written under a `.tmp`
    /// name, then renamed.
    func drop(_ name: String, data: Data) throws {
        let inbox = path("inbox")
        let temporary = inbox.appendingPathComponent(name + ".tmp")
        try data.write(to: temporary)
        try FileManager.default.moveItem(at: temporary, to: inbox.appendingPathComponent(name))
    }

    func drop(_ name: String, lines: [String]) throws {
        try drop(name, data: Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    func inboxFiles() -> [String] { fileNames(in: "inbox") }

    /// `count` requests from `ezinsurance generate` (JSON Lines), written beside the home.
    func generated(count: Int, seed: Int, asOf: String) throws -> Data {
        let file = root.appendingPathComponent("requests-\(count)-\(seed).jsonl")
        let result = try run(["generate", "--count", "\(count)", "--seed", "\(seed)", "--out", file.path], asOf: asOf)
        try #require(result.status == 0, "\(result)")
        return try Data(contentsOf: file)
    }

    /// Sets the `intake` job's `chunk_size` (small chunks: many commits, bundles and batches).
    func setIntakeChunkSize(_ size: Int) throws {
        let job = path("jobs/intake.yaml")
        let text = try String(contentsOf: job, encoding: .utf8)
            .replacingOccurrences(of: #"(?m)^chunk_size: .*$"#, with: "chunk_size: \(size)", options: .regularExpression)
        try text.write(to: job, atomically: true, encoding: .utf8)
    }

    // MARK: - Outputs

    func fileNames(in relative: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path(relative).path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    /// A customer's status view as `views export` writes its file, or nil when the views
    /// database holds none.
    func customerViewText(_ customerNo: String) throws -> String? {
        try exportedViews(["--customer", customerNo]) { folder in
            let file = folder.appendingPathComponent("customers/\(customerNo).json")
            guard FileManager.default.fileExists(atPath: file.path) else { return nil }
            return try String(contentsOf: file, encoding: .utf8)
        } ?? nil
    }

    /// `body` on a folder `views export` (with `arguments`) has just written, removed after;
    /// nil when the export failed.
    private func exportedViews<T>(_ arguments: [String], _ body: (URL) throws -> T) throws -> T? {
        let folder = root.appendingPathComponent("export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard try run(["views", "export", "--out", folder.path] + arguments).status == 0 else { return nil }
        return try body(folder)
    }

    /// A customer's status view, parsed, or nil when the views database holds none.
    func customerView(_ customerNo: String) throws -> JSONObject? {
        try customerViewText(customerNo).map { try Self.object(Data($0.utf8), source: "view of \(customerNo)") }
    }

    /// Every alarm line of every `outbox/alarms/*.jsonl` file, in file order.
    func alarms() throws -> [JSONObject] {
        var all: [JSONObject] = []
        for name in fileNames(in: "outbox/alarms") where name.hasSuffix(".jsonl") {
            all += try Self.jsonLines(try Data(contentsOf: path("outbox/alarms/\(name)")), source: name)
        }
        return all
    }

    /// `rejected/<file>.rejects.jsonl` (empty when absent).
    func rejects(of file: String) throws -> [JSONObject] {
        let url = path("rejected/\(file).rejects.jsonl")
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try Self.jsonLines(try Data(contentsOf: url), source: url.lastPathComponent)
    }

    /// The sandbox gateway's ledger (`pg-sandbox ledger --json`, one object per line).
    func ledger() throws -> [JSONObject] {
        let result = try run(["pg-sandbox", "ledger", "--json"])
        guard result.status == 0 else {
            throw BinaryError(description: "pg-sandbox ledger failed: \(result)")
        }
        return try Self.jsonLines(Data(result.stdout.utf8), source: "pg-sandbox ledger")
    }

    /// Raw ledger text, for byte comparisons.
    func ledgerText() throws -> String {
        try run(["pg-sandbox", "ledger", "--json"]).stdout
    }

    /// Bytes of every regular file under the given home subdirectories, by relative path.
    /// `views` stands for the views as files: `views export`'s `customers/<no>.json` and
    /// `summary.json` in place of the views database (whose pages are not the same bytes
    /// for the same views), next to the home's own `views/summary.json`.
    func snapshot(_ directories: [String]) -> [String: Data] {
        var files: [String: Data] = [:]
        for directory in directories {
            if directory == "views", let exported = try? exportedViews([], { Self.files(under: $0, prefix: "views/export") }) {
                files.merge(exported) { $1 }
            }
            for (name, bytes) in Self.files(under: path(directory), prefix: directory)
            where !(directory == "views" && name.hasPrefix("views/status.sqlite")) {
                files[name] = bytes
            }
        }
        return files
    }

    private static func files(under base: URL, prefix: String) -> [String: Data] {
        var files: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else { return files }
        for case let file as URL in walker {
            guard (try? file.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            files[prefix + "/" + String(file.path.dropFirst(base.path.count + 1))] = try? Data(contentsOf: file)
        }
        return files
    }

    /// Every row of the store as the `sqlite3` shell dumps it, the home's path taken out and
    /// the job runs (wall-clock times) left out.
    func storeDump() throws -> [String] { try dump("ezinsurance.sqlite") }

    /// Every row of the views database (`views/status.sqlite`), as `storeDump`.
    func viewsDump() throws -> [String] { try dump("views/status.sqlite") }

    private func dump(_ database: String) throws -> [String] {
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", path(database).path, ".dump"]
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
            .replacingOccurrences(of: root.path, with: "<home>")
            .split(separator: "\n").map(String.init)
            .filter { !$0.hasPrefix("INSERT INTO job_runs") }
    }

    /// The first row where two store dumps differ, or nil when they are the same rows in the
    /// same order.
    static func firstDifference(_ a: [String], _ b: [String]) -> String? {
        for index in 0..<max(a.count, b.count) where index >= a.count || index >= b.count || a[index] != b[index] {
            let left = index < a.count ? String(a[index].prefix(200)) : "(none)"
            let right = index < b.count ? String(b[index].prefix(200)) : "(none)"
            return "row \(index): \(left) | \(right)"
        }
        return nil
    }

    // MARK: - JSON helpers

    static func object(_ data: Data, source: String) throws -> JSONObject {
        guard let object = try JSONSerialization.jsonObject(with: data) as? JSONObject else {
            throw BinaryError(description: "\(source): not a JSON object")
        }
        return object
    }

    static func jsonLines(_ data: Data, source: String) throws -> [JSONObject] {
        let text = String(decoding: data, as: UTF8.self)
        var objects: [JSONObject] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            do {
                objects.append(try object(Data(line.utf8), source: source))
            } catch {
                throw BinaryError(description: "\(source) line \(index + 1) is not a JSON object: \(line)")
            }
        }
        return objects
    }
}

// MARK: - Reading JSON values

extension Dictionary where Key == String, Value == Any {
    func string(_ key: String) -> String? { self[key] as? String }
    func int(_ key: String) -> Int? { (self[key] as? NSNumber)?.intValue ?? (self[key] as? Int) }
    func objects(_ key: String) -> [JSONObject] { self[key] as? [JSONObject] ?? [] }
    func object(_ key: String) -> JSONObject? { self[key] as? JSONObject }
}

extension RunResult {
    /// The counts of the `lines: N read = A accepted + D duplicate + R rejected` line.
    var lineCounts: (read: Int, accepted: Int, duplicate: Int, rejected: Int)? {
        let pattern = #"lines: (\d+) read = (\d+) accepted \+ (\d+) duplicate \+ (\d+) rejected"#
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: stdout, range: NSRange(stdout.startIndex..., in: stdout))
        else { return nil }
        func group(_ i: Int) -> Int { Int((stdout as NSString).substring(with: match.range(at: i)))! }
        return (group(1), group(2), group(3), group(4))
    }
}
