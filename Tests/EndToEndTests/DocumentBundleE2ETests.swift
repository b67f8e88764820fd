// End-to-end: product description documents in bundle files, and documents issued by an
// older version (one file each) that were not yet written when the store was upgraded.

import Foundation
import Testing

@Suite("Document bundles (end to end)", .serialized)
struct DocumentBundleE2ETests {
    /// Runs SQL on the home's store with the `sqlite3` shell (as an operator or an older
    /// version would have left it).
    func sql(_ home: TestHome, _ statement: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", home.path("ezinsurance.sqlite").path, statement]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "sqlite3 \(statement)")
    }

    @Test("one bundle per requests chunk holds every document of the chunk, each cut out again by `document`")
    func bundlePerChunk() throws {
        let home = try TestHome()
        let customers = [("C9301", "박하나"), ("C9302", "최둘"), ("C9303", "정셋")]
        try home.drop("web.jsonl", lines: customers.enumerated().map { index, c in
            Requests.enrollment(id: "E2E-BUNDLE-\(index)", customer: Requests.customer(
                c.0, name: c.1, birth: "1990-01-10", gender: "M", phone: "010-1111-222\(index)"))
        })
        let result = try home.runIntake(asOf: day1)
        #expect(result.status == 0, "\(result)")
        #expect(home.fileNames(in: "documents/\(day1)") == ["bundle-DOC00000001.md"], "one chunk, one bundle")
        for (index, c) in customers.enumerated() {
            let no = "DOC0000000\(index + 1)"
            let printed = try home.run(["document", no])
            #expect(printed.status == 0, "\(printed)")
            #expect(printed.stdout.contains("- 문서번호: \(no)") && printed.stdout.contains(c.1), "\(printed.stdout)")
            #expect(!printed.stdout.contains("<!-- document"), "one document only, no marker")
            let path = try home.run(["document", no, "--path"])
            #expect(path.stdout.hasSuffix("documents/\(day1)/bundle-DOC00000001.md\n"), "\(path)")
        }
    }

    @Test("a document issued before bundles and not yet written goes to its own file, as before")
    func legacyUnwrittenDocument() throws {
        let home = try TestHome()
        try home.drop("web.jsonl", lines: [Requests.enrollment(id: "E2E-LEGACY-1", customer: applicant)])
        #expect(try home.runIntake(asOf: day1).status == 0)
        let bundle = try String(contentsOf: home.path("documents/\(day1)/bundle-DOC00000001.md"), encoding: .utf8)

        // As an older version left it: issued, named DOC00000001.md, not yet written.
        try FileManager.default.removeItem(at: home.path("documents/\(day1)/bundle-DOC00000001.md"))
        try sql(home, "UPDATE documents SET file_name = 'DOC00000001.md', published = 0 WHERE document_no = 'DOC00000001'")
        let rerun = try home.runIntake(asOf: day1)
        #expect(rerun.status == 0, "\(rerun)")
        let single = try String(contentsOf: home.path("documents/DOC00000001.md"), encoding: .utf8)
        #expect(!single.contains("<!-- document"), "a single document has no marker")
        #expect(bundle == "<!-- document DOC00000001 -->\n\n" + single, "the same text as in the bundle")
        let printed = try home.run(["document", "DOC00000001"])
        #expect(printed.status == 0 && printed.stdout == single, "\(printed)")
    }

    @Test("bundles the requests stage writes from memory are the bytes written again from the store")
    func inStageBundlesMatchTheStore() throws {
        let home = try TestHome()
        let requests = try home.generated(count: 300, seed: 5, asOf: day1)
        // Small chunks: many bundles. The last line renames the customer of the first line, in
        // a later chunk: the first bundle shows the name as its document was issued, written
        // from memory and from the store alike.
        try home.setIntakeChunkSize(40)
        let renamed = Requests.customer("C9401", name: "이전이름", birth: "1980-02-02", gender: "F", phone: "010-9400-0001")
        var lines = [Requests.enrollment(id: "E2E-NAME-1", customer: renamed)]
        lines += String(decoding: requests, as: UTF8.self).split(separator: "\n").map(String.init)
        var later = renamed
        later["name"] = "나중이름"
        lines.append(Requests.enrollment(id: "E2E-NAME-2", customer: later, product: "P00000002", sumInsured: 10_000_000))
        try home.drop("requests.jsonl", lines: lines)
        let result = try home.runIntake(asOf: day1)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("documents written in"), "the requests stage wrote no bundle: \(result.stdout)")
        let inStage = home.snapshot(["documents"])
        #expect(inStage.count > 5, "too few bundles to compare: \(inStage.count)")
        let first = try String(contentsOf: home.path("documents/\(day1)/bundle-DOC00000001.md"), encoding: .utf8)
        #expect(first.contains("피보험자: 이전이름"), "the first bundle shows the name as its document was issued")
        #expect(inStage.values.contains { String(decoding: $0, as: UTF8.self).contains("피보험자: 나중이름") },
                "the later document shows the new name")

        try FileManager.default.removeItem(at: home.path("documents"))
        try sql(home, "UPDATE documents SET published = 0")
        let rerun = try home.runIntake(asOf: day1)
        #expect(rerun.status == 0, "\(rerun)")
        let fromStore = home.snapshot(["documents"])
        #expect(fromStore.keys.sorted() == inStage.keys.sorted())
        for (name, bytes) in inStage where fromStore[name] != bytes { Issue.record("\(name) differs when written from the store") }
    }
}
