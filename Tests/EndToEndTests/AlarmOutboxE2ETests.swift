import Foundation
import Testing

/// The alarm outbox is published a group of batches at a time (files fsync'd together, renamed
/// in batch order, the folder fsync'd, then the batches marked published); while following, a
/// batch's file is written early under its temporary name. A crash inside a group must leave
/// the outbox as a clean run leaves it once the next run is done, whatever temporary files the
/// crashed process left.
@Suite("Alarm outbox publishing (end to end)", .serialized)
struct AlarmOutboxE2ETests {
    let day = "2026-12-01"

    /// A home with 300 generated requests and chunks of 25 events: about a hundred batches,
    /// more than one publishing group.
    func preparedHome() throws -> TestHome {
        let home = try TestHome()
        let requests = try home.generated(count: 300, seed: 3, asOf: day)
        try home.setIntakeChunkSize(25)
        try home.drop("requests.jsonl", data: requests)
        return home
    }

    @Test("a crash after the 70th alarm file of a run: the rerun gives the clean run's outbox, no line lost or doubled")
    func crashInsideAGroup() throws {
        let clean = try preparedHome()
        #expect(try clean.runIntake(asOf: day).status == 0)
        let expected = clean.snapshot(["outbox"])
        #expect(expected.count > 70, "too few alarm files for a crash in the second group: \(expected.count)")

        let crashed = try preparedHome()
        let run = try crashed.run(["run", "intake"], asOf: day, environment: ["EZINSURANCE_CRASH_AT": "alarms-after-file:70"])
        #expect(run.status != 0, "the crash point was not reached: \(run)")
        let published = crashed.fileNames(in: "outbox/alarms")
        #expect(published.count == 70, "files renamed in batch order up to the crash: \(published.count)")
        #expect(published == Array(expected.keys.map { String($0.dropFirst("outbox/alarms/".count)) }.sorted().prefix(70)))
        // The temporary files the crashed process left (written while following, or for the
        // group in progress) are not trusted by the next process: spoil them.
        let outbox = crashed.path("outbox/alarms")
        let temps = try FileManager.default.contentsOfDirectory(atPath: outbox.path).filter { $0.hasSuffix(".tmp") }
        #expect(!temps.isEmpty, "the crash left no temporary file, so this test proves nothing")
        for name in temps { try Data("spoilt\n".utf8).write(to: outbox.appendingPathComponent(name)) }
        #expect(try crashed.runIntake(asOf: day).status == 0)
        let after = crashed.snapshot(["outbox"])
        #expect(after.keys.sorted() == expected.keys.sorted(), "no temporary file left, none missing")
        for (name, bytes) in expected where after[name] != bytes { Issue.record("\(name) differs from the clean run") }
        let ids = try crashed.alarms().compactMap { $0.string("message_id") }
        #expect(ids.count == Set(ids).count, "no alarm twice")
    }

    @Test("batches committed, then their files lost before publishing: the rerun renders them again from the events, as a clean run wrote them")
    func lostTemporaryFiles() throws {
        let clean = try preparedHome()
        #expect(try clean.runIntake(asOf: day).status == 0)
        let expected = clean.snapshot(["outbox"])

        let crashed = try preparedHome()
        let run = try crashed.run(["run", "intake"], asOf: day, environment: ["EZINSURANCE_CRASH_AT": "alarms-before-publish"])
        #expect(run.status != 0, "the crash point was not reached: \(run)")
        #expect(crashed.fileNames(in: "outbox/alarms").isEmpty, "nothing published before the crash")
        let outbox = crashed.path("outbox/alarms")
        let temps = try FileManager.default.contentsOfDirectory(atPath: outbox.path).filter { $0.hasSuffix(".tmp") }.sorted()
        #expect(temps.count == expected.count, "every committed batch's file was written before its commit")
        // What a power loss can do to files the kernel had not written back: one gone, one cut short.
        try FileManager.default.removeItem(at: outbox.appendingPathComponent(temps[0]))
        let cut = outbox.appendingPathComponent(temps[temps.count / 2])
        try Data(try Data(contentsOf: cut).prefix(100)).write(to: cut)
        let rerun = try crashed.runIntake(asOf: day)
        #expect(rerun.status == 0)
        #expect(rerun.stdout.contains("rendered again"), "the run says which batches it rendered again: \(rerun.stdout)")
        let after = crashed.snapshot(["outbox"])
        #expect(after.keys.sorted() == expected.keys.sorted())
        for (name, bytes) in expected where after[name] != bytes { Issue.record("\(name) differs from the clean run") }
    }
}
