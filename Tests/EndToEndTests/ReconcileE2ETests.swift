// End-to-end: the nightly reconciliation report (`report reconcile`, the `reconcile` stage)
// against the sandbox's settlement statement, with discrepancies injected into the statement.

import Foundation
import Testing

@Suite("Reconciliation report (end to end)", .serialized, .enabled(if: GatewayWiring.ready,
       "needs ReportCommand registered and the reconcile stage wired"))
struct ReconcileE2ETests {
    private func customer(_ n: Int) -> JSONObject {
        Requests.customer("C96\(String(format: "%02d", n))", name: "대사\(n)", birth: "1990-01-10", gender: "M",
                          phone: "010-4444-\(String(format: "%04d", n))")
    }

    private func report(_ home: TestHome, _ date: String, _ ext: String) throws -> String {
        try String(contentsOf: home.path("reports/reconcile-\(date).\(ext)"), encoding: .utf8)
    }

    @Test("a clean day has no discrepancies; an edited statement shows each injected one; reruns give the same bytes")
    func discrepancies() throws {
        let home = try TestHome()
        try home.drop("rc.jsonl", lines: (1...3).map {
            Requests.enrollment(id: "E2E-RC-\($0)", customer: customer($0))
        } + [Requests.enrollment(id: "E2E-RC-DECL", customer: customer(4), cardToken: "tok_decline_rc")])
        let run = try home.runIntake(asOf: day1)
        #expect(run.status == 0, "\(run)")

        let clean = try home.run(["report", "reconcile", "--date", day1])
        #expect(clean.status == 0, "\(clean)")
        #expect(clean.stdout.contains("matched 4, discrepancies 0"), "\(clean)")
        #expect(FileManager.default.fileExists(atPath: home.path("settlements/settlement-\(day1).csv").path))
        let md = try report(home, day1, "md")
        #expect(md.contains("| requests received | 4 |"), "\(md)")
        #expect(md.contains("| contracts | 3 |"), "\(md)")
        #expect(md.contains("| premium written (KRW) | 68,220 |"), "\(md)")
        #expect(md.contains("CARD_DECLINED") || md.contains("카드 승인이 거절되었습니다."), "\(md)")
        let html = try report(home, day1, "html")
        #expect(html.contains("<svg") && !html.contains("<script"))
        let before = home.snapshot(["reports"])
        #expect(try home.run(["report", "reconcile", "--date", day1]).status == 0)
        #expect(home.snapshot(["reports"]) == before, "a rerun must give the same bytes")

        // Inject: drop the first charge, alter the second's amount, add a foreign row.
        let statementURL = home.path("settlements/settlement-\(day1).csv")
        var lines = try String(contentsOf: statementURL, encoding: .utf8).split(separator: "\n").map(String.init)
        let dropped = lines.remove(at: 1)
        var altered = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        altered[4] = String(Int(altered[4])! + 100)
        lines[1] = altered.joined(separator: ",")
        lines.append("T0000009999,chg-PR99999999-1,PR99999999,charge,50000,1100,\(day1),approved")
        try (lines.joined(separator: "\n") + "\n").write(to: statementURL, atomically: true, encoding: .utf8)

        let dirty = try home.run(["report", "reconcile", "--date", day1])
        #expect(dirty.status == 0, "\(dirty)")
        #expect(dirty.stdout.contains("discrepancies 3"), "\(dirty)")
        #expect(dirty.stdout.contains("MISSING_ON_THEIR_SIDE: 1"), "\(dirty)")
        #expect(dirty.stdout.contains("MISSING_ON_OUR_SIDE: 1"), "\(dirty)")
        #expect(dirty.stdout.contains("AMOUNT_MISMATCH: 1"), "\(dirty)")
        let csv = try report(home, day1, "csv")
        let droppedKey = dropped.split(separator: ",")[1]
        #expect(csv.contains("discrepancy,MISSING_ON_THEIR_SIDE,\(droppedKey),"), "\(csv)")
        #expect(csv.contains("discrepancy,AMOUNT_MISMATCH,\(altered[1]),"), "\(csv)")
        #expect(csv.contains("discrepancy,MISSING_ON_OUR_SIDE,chg-PR99999999-1,"), "\(csv)")
        // The matched rows are streamed to a hidden file and assembled under the summary rows
        // that count them; the hidden file is gone afterwards.
        let matchedRows = csv.split(separator: "\n").filter { $0.hasPrefix("matched,MATCHED,") }
        #expect(matchedRows.count == 2, "\(csv)")
        #expect(csv.contains("\nsummary,matched,,,,,,,,,2\nsummary,discrepancies,,,,,,,,,3\nmatched,MATCHED,"), "\(csv)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.path("reports").path).allSatisfy { !$0.hasPrefix(".") })

        // While another reconciliation holds the stage's lock (the nightly job), the command
        // refuses with exit 75 and says who holds it.
        let lockPath = home.path("locks/stage-reconcile.lock").path
        let fd = open(lockPath, O_RDWR | O_CREAT, 0o600)
        #expect(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
        _ = "pid 1 run 9 stage reconcile\n".withCString { write(fd, $0, strlen($0)) }
        let busy = try home.run(["report", "reconcile", "--date", day1])
        flock(fd, LOCK_UN)
        close(fd)
        #expect(busy.status == 75, "\(busy)")
        #expect(busy.stderr.contains("pid 1 run 9 stage reconcile"), "\(busy)")
    }

    @Test("a refund stuck in REFUND_PENDING past its due date is reported overdue; the nightly job catches up")
    func overdueRefundAndNightlyJob() throws {
        let home = try TestHome()
        try home.drop("rc.jsonl", lines: [Requests.enrollment(id: "E2E-RC-W1", customer: customer(11))])
        #expect(try home.runIntake(asOf: day1).status == 0)
        let day2 = BusinessDate.plus(day1, days: 1)
        try home.setFaults(["--outage", "on"])
        try home.drop("wd.jsonl", lines: [Requests.withdraw(id: "E2E-RC-W1-WD", proposalRequestId: "E2E-RC-W1", requestedOn: day2)])
        let stuck = try home.runIntake(asOf: day2)
        #expect(stuck.status == 0, "\(stuck)")
        try home.setFaults(["--outage", "off"])

        let day6 = BusinessDate.plus(day1, days: 5)
        let overdue = try home.run(["report", "reconcile", "--date", day6])
        #expect(overdue.status == 0, "\(overdue)")
        #expect(overdue.stdout.contains("REFUND_OVERDUE: 1"), "\(overdue)")

        // The nightly job: reconciles every night without a report up to the day before --as-of.
        try """
            name: nightly-reconcile
            schedule: "30 0 * * *"
            stages: [reconcile]

            """.write(to: home.path("jobs/nightly-reconcile.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: home.path("reports/reconcile-\(day6).md"))
        let nightly = try home.run(["run", "nightly-reconcile"], asOf: BusinessDate.plus(day1, days: 3))
        #expect(nightly.status == 0, "\(nightly)")
        for back in 0...2 {
            let date = BusinessDate.plus(day1, days: back)
            #expect(FileManager.default.fileExists(atPath: home.path("reports/reconcile-\(date).html").path), "\(date)\n\(nightly)")
        }
        let history = try home.run(["history", "--job", "nightly-reconcile"])
        #expect(history.stdout.contains("reconcile:"), "\(history)")
    }
}
