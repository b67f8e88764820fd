import Foundation
import Testing

/// The views and alarms consumers follow the event log on a second thread while the earlier
/// stages run; their outputs must be the bytes a serial run gives.
@Suite("Consumers following the log (end to end)", .serialized)
struct ConsumerFollowerTests {
    let day = "2026-12-01"

    /// A home with `count` generated requests in its inbox, small chunks and a slow gateway, so
    /// the follower has many whole chunks to apply while the earlier stages still run.
    func preparedHome(count: Int) throws -> TestHome {
        let home = try TestHome()
        let requests = try home.generated(count: count, seed: 7, asOf: day)
        try home.setIntakeChunkSize(25)
        // A slow gateway: the follower catches up with the log during the payments stage and
        // then sees the tail grow a little at a time, the case where chunking could differ.
        try #require(try home.run(["pg-sandbox", "faults", "--latency-ms", "4"]).status == 0)
        try home.drop("requests.jsonl", data: requests)
        return home
    }

    @Test("following consumers write the same views, outbox and documents as serial ones")
    func sameBytesAsSerial() throws {
        let following = try preparedHome(count: 400)
        let result = try following.run(["run", "intake"], asOf: day)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("events applied while earlier stages ran"),
                "the follower applied nothing, so this test would prove nothing: \(result.stdout)")
        let serial = try preparedHome(count: 400)
        let serialResult = try serial.run(["run", "intake"], asOf: day, environment: ["EZINSURANCE_CONSUMERS": "serial"])
        #expect(serialResult.status == 0, "\(serialResult)")
        #expect(!serialResult.stdout.contains("events applied while earlier stages ran"))

        let a = following.snapshot(["views", "outbox", "documents"])
        let b = serial.snapshot(["views", "outbox", "documents"])
        #expect(a.count > 400)
        let onlyOne = Set(a.keys).symmetricDifference(b.keys)
        #expect(onlyOne.isEmpty, "files written by one home only: \(onlyOne.sorted().prefix(5))")
        for (file, bytes) in a where b[file] != bytes { Issue.record("\(file) differs between following and serial consumers") }
        // The store too, row for row in storage order: how the follower happened to chunk the
        // log must not show in it.
        if let difference = TestHome.firstDifference(try following.storeDump(), try serial.storeDump()) {
            Issue.record("store rows differ between following and serial consumers at \(difference)")
        }
        // The views database too (views, counts and checkpoint).
        let beforeRebuild = try following.viewsDump()
        #expect(beforeRebuild.filter { $0.hasPrefix("INSERT INTO customers") }.count > 100)
        if let difference = TestHome.firstDifference(beforeRebuild, try serial.viewsDump()) {
            Issue.record("views database rows differ between following and serial consumers at \(difference)")
        }
        // A rebuild cuts the log into chunks of 1,000 events, the run into chunks of 25: the
        // views database must come out row for row the same.
        #expect(try following.run(["views", "rebuild"], asOf: day).status == 0)
        if let difference = TestHome.firstDifference(beforeRebuild, try following.viewsDump()) {
            Issue.record("view rows differ after a rebuild in other chunks at \(difference)")
        }
        let rebuilt = following.snapshot(["views"])
        let serialViews = serial.snapshot(["views"])
        #expect(rebuilt.count == serialViews.count)
        for (file, bytes) in rebuilt where serialViews[file] != bytes { Issue.record("\(file) differs after views rebuild") }
    }
}
