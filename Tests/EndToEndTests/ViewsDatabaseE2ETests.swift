// End-to-end: the status views' own database (`views/status.sqlite`), `views export`, and a
// home upgraded from the version that wrote one view file per customer.

import Foundation
import Testing

@Suite("Views database (end to end)", .serialized)
struct ViewsDatabaseE2ETests {
    let day = "2026-12-01"

    @Test("views are rows of views/status.sqlite; status and views export show them; no file per customer")
    func viewsAreRows() throws {
        let home = try TestHome()
        try home.drop("web.jsonl", lines: [Requests.enrollment(id: "E2E-VDB-1", customer: applicant)])
        let run = try home.runIntake(asOf: day)
        #expect(run.status == 0, "\(run)")
        #expect(home.fileNames(in: "views") == ["status.sqlite", "status.sqlite.migrate-lock", "summary.json"])
        let status = try home.run(["status", "--customer", "C9001", "--json"])
        #expect(status.status == 0, "\(status)")
        // The exported file is the JSON `status --json` prints, and the row holds.
        let exported = try #require(try home.customerViewText("C9001"))
        #expect(exported == status.stdout)
        #expect(try TestHome.object(Data(exported.utf8), source: "view").objects("proposals").first?.string("status") == "ACTIVE")
        #expect(try home.customerViewText("C0000") == nil)
        let missing = try home.run(["views", "export", "--out", home.root.appendingPathComponent("x").path, "--customer", "C0000"])
        #expect(missing.status == 64, "\(missing)")
        // A request's view and the summary counts come from the same database.
        #expect(try home.run(["status", "--request", "E2E-VDB-1"]).stdout.contains("PROCESSED"))
        #expect(try home.run(["status"]).stdout.contains("proposal: ACTIVE 1"))
    }

    @Test("a home upgraded from view files: the views are built again from the log and the old folder goes")
    func upgradeFromViewFiles() throws {
        let home = try TestHome()
        try home.drop("web.jsonl", lines: [Requests.enrollment(id: "E2E-VDB-2", customer: applicant)])
        #expect(try home.runIntake(asOf: day).status == 0)
        let before = home.snapshot(["views"])
        #expect(before.keys.contains("views/export/customers/C9001.json"))
        // As an older version left it: no views database, one (now stale) file per customer.
        for name in home.fileNames(in: "views") where name.hasPrefix("status.sqlite") {
            try FileManager.default.removeItem(at: home.path("views/\(name)"))
        }
        try FileManager.default.createDirectory(at: home.path("views/customers"), withIntermediateDirectories: true)
        try Data("{}\n".utf8).write(to: home.path("views/customers/C9001.json"))
        let rerun = try home.runIntake(asOf: day)
        #expect(rerun.status == 0, "\(rerun)")
        #expect(rerun.stderr.contains("removed") && rerun.stderr.contains("views/customers"), "\(rerun.stderr)")
        #expect(!FileManager.default.fileExists(atPath: home.path("views/customers").path))
        #expect(home.snapshot(["views"]) == before, "views built again from the event log differ")
    }
}
