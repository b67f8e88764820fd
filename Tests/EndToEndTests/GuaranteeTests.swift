import Foundation
import Testing

/// SPEC section 9, driven through the built binary: crash points, locks, schedules,
/// determinism and inbox hardening. Each test fails when its guarantee is broken.
@Suite("Runner guarantees (end to end)", .serialized)
struct GuaranteeTests {
    let day1 = "2026-12-01"
    let applicant = Requests.customer("C9101", name: "장보장", birth: "1985-04-10", gender: "M", phone: "010-3333-4444")

    /// [lines, accepted, duplicate, rejected] summed over the dropped files (`status --files`),
    /// committed with the lines themselves, so a crashed run's lines count too.
    func ingestTotals(_ home: TestHome) throws -> [Int] {
        var totals = [0, 0, 0, 0]
        for file in try TestHome.jsonLines(Data(try home.run(["status", "--files", "--json"]).stdout.utf8), source: "status --files") {
            for (i, key) in ["lines", "accepted", "duplicate", "rejected"].enumerated() { totals[i] += file.int(key) ?? 0 }
        }
        return totals
    }

    func alarmIds(_ home: TestHome) throws -> [String] {
        try home.alarms().compactMap { $0.string("message_id") }
    }

    @Test("a crash between the gateway's answer and our commit: one charge, one contract, one alarm",
          arguments: ["payment-before-charge", "payment-after-charge", "alarms-before-commit", "alarms-before-publish",
                      "alarms-after-file",
                      "documents-after-file", "views-after-chunk",
                      "ingest-after-claim", "ingest-after-chunk", "ingest-before-archive", "requests-after-chunk"])
    func crashPoint(point: String) throws {
        let home = try TestHome()
        try home.drop("crash.jsonl", lines: [Requests.enrollment(id: "E2E-CRASH-1", customer: applicant)])
        let crashed = try home.run(["run", "intake"], asOf: day1, environment: ["EZINSURANCE_CRASH_AT": point])
        #expect(crashed.status != 0, "the crash point \(point) was not reached: \(crashed)")
        let rerun = try home.runIntake(asOf: day1)
        #expect(rerun.status == 0, "\(rerun)")
        let again = try home.runIntake(asOf: day1)
        #expect(again.status == 0)
        let view = try #require(try home.customerView("C9101"))
        let proposals = view.objects("proposals")
        #expect(proposals.count == 1)
        #expect(proposals.first?.string("status") == "ACTIVE", "\(proposals)")
        let charges = try home.ledger().filter { $0.string("type") == "charge" }
        #expect(charges.count == 1, "exactly one charge at the gateway: \(charges)")
        let ids = try alarmIds(home)
        #expect(ids.count == Set(ids).count, "no alarm twice: \(ids)")
        #expect(try home.alarms().filter { $0.string("template_code") == "EZ_CONTRACT_ACTIVE" }.count == 1)
        #expect(home.inboxFiles().isEmpty)
        #expect(home.fileNames(in: "work").isEmpty, "nothing left claimed")
        #expect(home.fileNames(in: "archive/\(day1)") == ["crash.jsonl"])
        #expect(try ingestTotals(home) == [1, 1, 0, 0], "the one line is counted once, as accepted, over all runs")
    }

    @Test("two fresh homes given the same inputs produce the same bytes; views rebuild equals incremental")
    func determinism() throws {
        let lines = [
            Requests.enrollment(id: "E2E-DET-1", customer: applicant),
            Requests.enrollment(id: "E2E-DET-2", customer: Requests.customer("C9102", name: "남결정", birth: "1990-01-31",
                                                                            gender: "F", phone: "010-4444-5555"),
                                cardToken: "tok_decline_9"),
            Requests.withdraw(id: "E2E-DET-3", proposalRequestId: "E2E-DET-1", requestedOn: day1),
        ]
        var snapshots: [[String: Data]] = []
        for _ in 0..<2 {
            let home = try TestHome()
            try home.drop("same.jsonl", lines: lines)
            #expect(try home.runIntake(asOf: day1).status == 0)
            #expect(try home.runIntake(asOf: BusinessDate.plus(day1, days: 1)).status == 0)
            let incremental = home.snapshot(["views"])
            #expect(try home.run(["views", "rebuild"], asOf: day1).status == 0)
            #expect(home.snapshot(["views"]) == incremental, "views rebuild differs from the incremental views")
            snapshots.append(home.snapshot(["views", "outbox", "documents", "rejected"]))
        }
        #expect(!snapshots[0].isEmpty)
        #expect(snapshots[0].keys.sorted() == snapshots[1].keys.sorted())
        for (file, bytes) in snapshots[0] { #expect(snapshots[1][file] == bytes, "\(file) differs between homes") }
    }

    @Test("a second run of a running job exits 75 naming the holder; a dead run's lock is taken over")
    func noOverlap() throws {
        let home = try TestHome()
        try home.drop("slow.jsonl", lines: [Requests.enrollment(id: "E2E-LOCK-1", customer: applicant)])
        // The first run sits at the (slow) gateway while the second one tries; it is killed long before 20 s.
        #expect(try home.run(["pg-sandbox", "faults", "--latency-ms", "20000"]).status == 0)
        let first = Process()
        first.executableURL = try Binary.location()
        first.arguments = ["run", "intake", "--home", home.url.path, "--as-of", day1, "-q"]
        var env = ProcessInfo.processInfo.environment
        env["EZINSURANCE_DATA"] = Binary.dataDirectory.path
        env["EZINSURANCE_INBOX_SETTLE_SECONDS"] = "0"
        first.environment = env
        let firstLog = home.path("first-run.log")
        _ = FileManager.default.createFile(atPath: firstLog.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: firstLog)
        first.standardOutput = logHandle
        first.standardError = logHandle
        try first.run()
        // Wait until the first run is at the gateway (the proposal exists and the charge is slow).
        let deadline = Date().addingTimeInterval(60)
        var running = false
        while Date() < deadline, !running {
            running = try home.run(["history"]).stdout.contains("RUNNING")
            if !running { usleep(50_000) }
        }
        try #require(running, "the first run never started: \((try? String(contentsOf: firstLog, encoding: .utf8)) ?? "")")
        let second = try home.runIntake(asOf: day1)
        #expect(second.status == 75, "\(second)")
        #expect(second.stderr.contains("pid \(first.processIdentifier)"), "names the holder: \(second.stderr)")
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(try home.run(["pg-sandbox", "reset-faults"]).status == 0)
        let third = try home.runIntake(asOf: day1)
        #expect(third.status == 0, "the dead run's lock is free at once: \(third)")
        let history = try home.run(["history"]).stdout
        #expect(history.contains("died before finishing"), "the dead run is marked failed: \(history)")
        let view = try #require(try home.customerView("C9101"))
        #expect(view.objects("proposals").first?.string("status") == "ACTIVE")
        #expect(try home.ledger().filter { $0.string("type") == "charge" }.count == 1)
    }

    @Test("tick runs due jobs once, catches up by policy, and --dry-run changes nothing")
    func tick() throws {
        let home = try TestHome()
        try home.drop("tick.jsonl", lines: [Requests.enrollment(id: "E2E-TICK-1", customer: applicant)])
        let dry = try home.run(["tick", "--now", "\(day1)T09:00", "--dry-run"], asOf: nil)
        #expect(dry.status == 0, "\(dry)")
        #expect(dry.stdout.contains("would run slot \(day1)T09:00"), "\(dry.stdout)")
        #expect(home.inboxFiles() == ["tick.jsonl"], "dry run picked nothing up")
        let first = try home.run(["tick", "--now", "\(day1)T09:00"])
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout.contains("intake: first scheduled run"))
        #expect(try home.customerView("C9101") != nil)
        let same = try home.run(["tick", "--now", "\(day1)T09:03"])
        #expect(same.stdout.contains("intake: not due"), "\(same.stdout)")
        // Machine off for two days: daily-close (catch_up: each) runs each missed night, intake once.
        let later = try home.run(["tick", "--now", "2026-12-03T09:00"])
        #expect(later.stdout.contains("daily-close: catching up 2 slots"), "\(later.stdout)")
        #expect(later.stdout.contains("slot 2026-12-02T00:10 as of 2026-12-02"), "\(later.stdout)")
        #expect(later.stdout.contains("slot 2026-12-03T00:10 as of 2026-12-03"), "\(later.stdout)")
        #expect(later.stdout.components(separatedBy: "intake: caught up once").count == 2, "\(later.stdout)")
        #expect(later.stdout.contains("retry-payments: missed slots"), "catch_up: skip drops old slots: \(later.stdout)")
    }

    @Test("inbox hardening: unsettled, symlinked and hard-linked files are not read; requeue brings a fixed file back")
    func inboxHardening() throws {
        let home = try TestHome()
        let inbox = home.path("inbox")
        // A symlink and a hard link are refused and moved to rejected/ with a reason.
        let outside = home.path("outside.jsonl")
        try Data((Requests.enrollment(id: "E2E-LINK-1", customer: applicant) + "\n").utf8).write(to: outside)
        try FileManager.default.createSymbolicLink(at: inbox.appendingPathComponent("link.jsonl"), withDestinationURL: outside)
        #expect(link(outside.path, inbox.appendingPathComponent("hard.jsonl").path) == 0)
        // A file modified just now is left alone while the settle time runs.
        try home.drop("fresh.jsonl", lines: [Requests.enrollment(id: "E2E-FRESH-1", customer: applicant)])
        let run = try home.run(["run", "intake"], asOf: day1, environment: ["EZINSURANCE_INBOX_SETTLE_SECONDS": "30"])
        #expect(run.status == 0, "\(run)")
        #expect(home.inboxFiles() == ["fresh.jsonl"], "the fresh file waits: \(home.inboxFiles())")
        #expect(run.stdout.contains("still being written"), "\(run.stdout)")
        let rejected = home.fileNames(in: "rejected")
        #expect(rejected.contains("link.jsonl") && rejected.contains("hard.jsonl"), "\(rejected)")
        let errors = try String(contentsOf: home.path("rejected/link.jsonl.errors.jsonl"), encoding: .utf8)
        #expect(errors.contains("symbolic link"))
        #expect(try String(contentsOf: outside, encoding: .utf8).contains("E2E-LINK-1"), "the link target is untouched")
        #expect(try home.customerView("C9101") == nil, "nothing was read through a link")
        // Requeue refuses names that leave rejected/, and brings a fixed file back.
        #expect(try home.run(["requeue", "../outside.jsonl"]).status == 64)
        try FileManager.default.removeItem(at: home.path("rejected/hard.jsonl"))
        try Data((Requests.enrollment(id: "E2E-LINK-2", customer: applicant) + "\n").utf8)
            .write(to: home.path("rejected/hard.jsonl"))
        #expect(try home.run(["requeue", "hard.jsonl"]).status == 0)
        #expect(!home.fileNames(in: "rejected").contains("hard.jsonl.errors.jsonl"))
        let after = try home.runIntake(asOf: day1)
        #expect(after.status == 0, "\(after)")
        #expect(try home.customerView("C9101")?.objects("proposals").count == 2)
    }

    @Test("home 0700, personal-data files 0600, and no full phone or card number in logs or history")
    func permissionsAndMasking() throws {
        let home = try TestHome()
        try home.drop("pii.jsonl", lines: [Requests.enrollment(id: "E2E-PII-1", customer: applicant,
                                                               cardToken: "tok_visa_4111111111")])
        let run = try home.run(["run", "intake", "--verbose"], asOf: day1)
        #expect(run.status == 0)
        func mode(_ path: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
        }
        #expect(try mode(home.url.path) == 0o700)
        #expect(try mode(home.path("documents/\(day1)").path) == 0o700, "a documents day folder")
        #expect(!home.fileNames(in: "documents/\(day1)").isEmpty)
        #expect(home.fileNames(in: "views").contains("status.sqlite"))
        for dir in ["views", "outbox/alarms", "documents/\(day1)"] {
            for name in home.fileNames(in: dir) {
                #expect(try mode(home.path("\(dir)/\(name)").path) == 0o600, "\(dir)/\(name)")
            }
        }
        let history = try home.run(["history", "--json"]).stdout
        for text in [run.stdout, run.stderr, history] {
            #expect(!text.contains("010-3333-4444"), "full phone leaked")
            #expect(!text.contains("4111111111"), "full card token leaked")
        }
        let view = try #require(try home.customerViewText("C9101"))
        #expect(view.contains("010-****-4444") && !view.contains("4111111111"))
    }

    @Test("a deferred payment records its reason and next attempt time and is not retried before it")
    func backoff() throws {
        let home = try TestHome()
        try home.drop("backoff.jsonl", lines: [Requests.enrollment(id: "E2E-BACKOFF-1", customer: applicant)])
        #expect(try home.run(["pg-sandbox", "faults", "--outage", "on"]).status == 0)
        // A backoff long enough that the immediate rerun is surely early, even on a loaded machine.
        let slow = ["EZINSURANCE_RETRY_BACKOFF_SECONDS": "4"]
        let first = try home.run(["run", "intake"], asOf: day1, environment: slow)
        let deferredAt = Date()
        #expect(first.status == 0, "deferred work is not a failure: \(first)")
        #expect(first.stdout.contains("1 deferred: payment gateway unavailable"), "\(first.stdout)")
        // The operator sees why the charge waits and until when.
        let proposalNo = try #require(try home.customerView("C9101")?.objects("proposals").first?.string("proposal_no"))
        let shown = try home.run(["status", "--proposal", proposalNo])
        #expect(shown.stdout.contains("waiting for the gateway: deferred 1 time, not retried before "), "\(shown)")
        #expect(shown.stdout.contains("last error: payment gateway unavailable"), "\(shown)")
        let shownJSON = try TestHome.object(Data(try home.run(["status", "--proposal", proposalNo, "--json"]).stdout.utf8), source: "status")
        #expect(shownJSON.object("pending_charge")?.int("deferrals") == 1, "\(shownJSON)")
        #expect(try home.run(["pg-sandbox", "faults", "--outage", "off"]).status == 0)
        let early = try home.run(["run", "intake"], asOf: day1, environment: slow)
        #expect(early.stdout.contains("waiting for their retry time"), "\(early.stdout)")
        #expect(try home.customerView("C9101")?.objects("proposals").first?.string("status") == "PAYMENT_DEFERRED")
        #expect(try home.ledger().isEmpty, "nothing was called before the retry time")
        let wait = 4.3 - Date().timeIntervalSince(deferredAt)
        if wait > 0 { usleep(useconds_t(wait * 1_000_000)) }
        let later = try home.run(["run", "intake"], asOf: day1, environment: slow)
        #expect(later.status == 0)
        #expect(try home.customerView("C9101")?.objects("proposals").first?.string("status") == "ACTIVE", "\(later.stdout)")
        #expect(try home.ledger().filter { $0.string("type") == "charge" }.count == 1)
        #expect(try home.run(["history"]).stdout.contains("DEFERRED"))
    }
}
