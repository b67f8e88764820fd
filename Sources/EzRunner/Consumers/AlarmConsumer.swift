import EzAdapters
import EzCore
import Foundation
import Logging

/// The alarm consumer (알림톡): turns events into outbox messages, exactly one per event that
/// calls for one.
///
/// Phase one, in one transaction per chunk: render the messages into a numbered batch and
/// advance the checkpoint. Phase two: publish each unpublished batch as one JSON Lines file
/// (temp file, fsync, rename) and mark it published. A crash between the two republishes the
/// same batch under the same name with the same bytes, so no line is lost or doubled.
public struct AlarmConsumer: EventConsumer {
    public static let name = "alarms"
    public static let stage = StageName.alarms
    public init() {}

    public static func count(_ step: ConsumerStep, into counts: inout StageCounts) {
        counts.read += step.scanned
        counts.processed += step.made
    }

    public func run(_ ctx: RunContext) throws -> StageCounts {
        var counts = StageCounts(stage: StageName.alarms)
        while let step = try applyChunk(ctx, wholeChunksOnly: false) {
            counts.read += step.scanned
            counts.processed += step.made
            if step.scanned < ctx.chunkSize { break }
        }
        try publish(ctx, &counts)
        return counts
    }

    /// One chunk of messages, rendered on a read snapshot, ready to commit as one batch.
    private struct Chunk {
        var from: Int64
        var to: Int64
        var scanned: Int
        var recipients: [AlarmRecipient] = []
        /// The outbox lines, in event order.
        var messages: [String] = []
    }

    /// Phase one: prepares the messages of the next chunk on a read snapshot, then commits them
    /// as one numbered batch with the checkpoint. Chunks always span `chunkSize` events from the
    /// checkpoint (the last one fewer), so batches are the same however the run is timed.
    ///
    /// Following the log (`wholeChunksOnly`), it prepares up to `ConsumerFollower.chunksPerStep`
    /// whole chunks on one snapshot and commits them, each its own batch, in one write: a
    /// commit waits for the stage that holds the store's writer, so one chunk per commit fell
    /// behind the stages.
    public func applyChunk(_ ctx: RunContext, wholeChunksOnly: Bool) throws -> ConsumerStep? {
        let composer = try ctx.composer()
        // Only customer events (recipients) and events with a template are decoded.
        let wanted = Set(composer.templates.keys).union([.customerRegistered, .customerUpdated])
        let chunkSize = ctx.chunkSize
        let prepared = try ctx.store.read { tx -> [Chunk] in
            let from = try tx.offset(of: AlarmConsumer.name)
            if wholeChunksOnly, try !tx.hasEvents(after: from, count: chunkSize) { return [] }
            let raw = try tx.rawEvents(after: from, limit: chunkSize * (wholeChunksOnly ? ConsumerFollower.chunksPerStep : 1))
            // Recipients of earlier chunks of this step are not committed yet: carried over.
            var recipients: [String: AlarmRecipient] = [:]
            var chunks: [Chunk] = []
            var start = 0
            while start < raw.count {
                let end = min(raw.count, start + chunkSize)
                if wholeChunksOnly && end - start < chunkSize { break }
                let slice = Array(raw[start..<end])
                chunks.append(try prepare(slice, from: start == 0 ? from : raw[start - 1].seq, wanted: wanted,
                                          composer: composer, recipients: &recipients, tx: tx, ctx: ctx))
                start = end
            }
            return chunks
        }
        guard !prepared.isEmpty else { return nil }
        let closed = try ctx.write { tx -> [(fileName: String, content: String)] in
            var closed: [(fileName: String, content: String)] = []
            for chunk in prepared {
                try tx.expectOffset(of: AlarmConsumer.name, at: chunk.from)
                let batch = try tx.newAlarmBatch(firstSeq: chunk.from + 1, lastSeq: chunk.to)
                for recipient in chunk.recipients { try tx.save(recipient) }
                if let content = try tx.closeAlarmBatch(batch.batchNo, lines: chunk.messages) {
                    closed.append((batch.fileName, content))
                }
                try tx.setOffset(of: AlarmConsumer.name, to: chunk.to)
            }
            return closed
        }
        // Batches are published (phase two) by the stage, not while following: each file is
        // fsync'd, and on the follower thread those waits fell behind the store's writeback.
        // Following, each committed batch's file is written at once under its temporary name,
        // without fsync: the kernel writes it back while the stages run, and the stage then
        // only fsyncs and renames it (see `publish`).
        if wholeChunksOnly {
            for batch in closed {
                let temp = try AtomicFile.writeTemporary(Data(batch.content.utf8),
                                                         for: ctx.home.alarmOutbox.appendingPathComponent(batch.fileName), sync: false)
                AlarmConsumer.prewritten.insert(temp.path)
            }
        }
        return ConsumerStep(scanned: prepared.reduce(0) { $0 + $1.scanned },
                            made: prepared.reduce(0) { $0 + $1.messages.count })
    }

    /// The messages of one chunk (`raw`, the events after `from`).
    private func prepare(_ raw: [RawEvent], from: Int64, wanted: Set<EventType>, composer: AlarmComposer,
                         recipients: inout [String: AlarmRecipient], tx: StoreTransaction, ctx: RunContext) throws -> Chunk {
        var chunk = Chunk(from: from, to: raw.last?.seq ?? from, scanned: raw.count)
        for stored in try ctx.decodedEvents.decoded(raw, only: wanted) {
            if case .customer(let c) = stored.event.payload {
                let recipient = AlarmRecipient(customerNo: c.customerNo, name: c.name, phone: c.phone)
                chunk.recipients.append(recipient)
                recipients[c.customerNo] = recipient
            }
            guard composer.callsForMessage(stored.event.type),
                  let no = stored.event.correlation.customerNo else { continue }
            guard let recipient = try recipients[no] ?? tx.recipient(no) else {
                ctx.logger.warning("event \(stored.seq): no recipient known for customer \(no); no alarm")
                continue
            }
            recipients[no] = recipient
            let composed: AlarmMessage?
            do { composed = try composer.compose(stored, recipient: recipient) } catch {
                throw RunnerError.invalidInput("alarm for event \(stored.seq) (\(stored.event.type.rawValue)): \(error); fix \(ctx.home.templates.path)/alarms.yaml and run again")
            }
            guard let message = composed else { continue }
            chunk.messages.append(try StoreJSON.encode(message))
        }
        return chunk
    }

    /// Phase two: writes each unpublished batch as one file and marks it published, a group of
    /// batches at a time. Every file of the group is written and fsync'd under its temporary
    /// name, several at once (one cache flush of the disk serves the fsyncs in flight
    /// together); then they are renamed into place in batch order, so a reader of the outbox
    /// never sees a later file before an earlier one; then the folder is fsync'd, so the
    /// renames survive a power loss; only then are the batches marked published.
    ///
    /// A temporary file this process wrote while following (`prewritten`) holds the batch's
    /// bytes already and is only fsync'd; one left by another process (a crashed run) is never
    /// trusted and is written again from the store.
    private func publish(_ ctx: RunContext, _ counts: inout StageCounts) throws {
        CrashPoint.hit("alarms-before-publish")
        let outbox = ctx.home.alarmOutbox
        let batches = try ctx.store.read { try $0.unpublishedAlarmBatches() }
        for start in stride(from: 0, to: batches.count, by: AlarmConsumer.publishGroup) {
            let group = Array(batches[start..<min(batches.count, start + AlarmConsumer.publishGroup)])
            let files = try ctx.store.read { tx in
                try group.map { batch -> (url: URL, content: String?) in
                    let url = outbox.appendingPathComponent(batch.fileName)
                    let temp = AtomicFile.temporaryURL(for: url).path
                    if AlarmConsumer.prewritten.contains(temp), FileManager.default.fileExists(atPath: temp) {
                        return (url, nil)
                    }
                    return (url, try tx.alarmBatchContent(batchNo: batch.batchNo))
                }
            }
            try Parallel.waiting(files, threads: AlarmConsumer.fsyncsInFlight) { file in
                if let content = file.content {
                    _ = try AtomicFile.writeTemporary(Data(content.utf8), for: file.url, sync: true)
                } else {
                    try AtomicFile.syncFile(AtomicFile.temporaryURL(for: file.url))
                }
            }
            for file in files {
                try AtomicFile.rename(AtomicFile.temporaryURL(for: file.url), over: file.url)
                CrashPoint.hit("alarms-after-file")
            }
            try AtomicFile.syncDirectory(outbox)
            try ctx.write { tx in for batch in group { try tx.markAlarmBatchPublished(batch.batchNo) } }
            for file in files { AlarmConsumer.prewritten.remove(AtomicFile.temporaryURL(for: file.url).path) }
            counts.files += group.count
        }
    }

    /// Batches published per folder fsync and commit, and files fsync'd at once.
    static let publishGroup = 64
    static let fsyncsInFlight = 4

    /// Temporary files (paths) of batches this process has written in full while following.
    static let prewritten = PathSet()
}

/// A set of paths shared by the follower thread and the job's thread.
final class PathSet: @unchecked Sendable {
    private var paths: Set<String> = []
    private let lock = NSLock()
    func insert(_ path: String) { lock.withLock { _ = paths.insert(path) } }
    func remove(_ path: String) { lock.withLock { _ = paths.remove(path) } }
    func contains(_ path: String) -> Bool { lock.withLock { paths.contains(path) } }
}
