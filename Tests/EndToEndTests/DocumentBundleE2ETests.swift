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
}
