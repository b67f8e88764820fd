import EzAdapters
import EzCore
import Foundation
import Logging

/// The alarm consumer (알림톡): turns events into outbox messages, exactly one per event that
/// calls for one.
///
/// Phase one, per chunk: render the messages into a numbered batch, write the batch's file
/// under its temporary name, then commit the batch (its number, event range, count and the
/// bytes' SHA-256) with the checkpoint. Phase two: publish each unpublished batch (fsync the
/// temporary file, rename it into place, fsync the folder) and mark it published.
///
/// A crash before the commit leaves a temporary file that the next run writes again, with the
/// same name and bytes (the chunk, its number and its messages are the same). A crash after it
/// leaves the file the batch's hash vouches for; one that does not match (a power loss before
/// the kernel wrote it back) is rendered again from the batch's events. So no line is lost or
/// doubled, and the store does not carry the messages' bytes through its WAL.
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
        /// The outbox lines, in event order, each ending with a newline: the batch file's bytes.
        var lines: [UInt8] = []
        var messages = 0

        var content: Data { Data(lines) }
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
        let wanted = Self.wanted(composer)
        let chunkSize = ctx.chunkSize
        let (prepared, firstBatch) = try ctx.store.read { tx -> ([Chunk], Int64) in
            let from = try tx.offset(of: AlarmConsumer.name)
            let slices: [ChunkEvents]
            let limit = chunkSize * (wholeChunksOnly ? ConsumerFollower.chunksPerStep : 1)
            if wholeChunksOnly, let read = ctx.recentEvents.events(following: from, limit: limit), read.count >= chunkSize {
                // Following: the events the views consumer has just read from here on are the
                // log's next events; whole chunks of them, as a read would give.
                slices = try ChunkEvents.slices(read[..<(read.count / chunkSize * chunkSize)], after: from, size: chunkSize, wanted: wanted)
            } else {
                if wholeChunksOnly, try !tx.hasEvents(after: from, count: chunkSize) { return ([], 0) }
                let raw = try tx.rawEvents(after: from, limit: limit)
                let whole = wholeChunksOnly ? raw.count / chunkSize * chunkSize : raw.count
                slices = try ChunkEvents.slices(raw[..<whole], after: from, size: chunkSize, wanted: wanted)
            }
            // Recipients of earlier chunks of this step are not committed yet: carried over.
            var recipients: [String: AlarmRecipient] = [:]
            let chunks = try slices.map {
                try prepare($0, composer: composer, recipients: &recipients, tx: tx, ctx: ctx)
            }
            return (chunks, try tx.nextAlarmBatch().batchNo)
        }
        guard !prepared.isEmpty else { return nil }
        // Each batch's file is written before the batch commits (no fsync: publishing syncs
        // it); an empty chunk makes no batch and no file. No other process writes these files
        // meanwhile: the alarms stage's lock, which the stage and the follower take, keeps the
        // consumer to one process at a time.
        var written: [(chunk: Chunk, hash: String?, temp: URL?)] = []
        var batchNo = firstBatch
        for chunk in prepared {
            guard chunk.messages > 0 else { written.append((chunk, nil, nil)); continue }
            let content = chunk.content
            let temp = try AtomicFile.writeTemporary(content, for: ctx.home.alarmOutbox.appendingPathComponent(
                StoreTransaction.alarmBatchFileName(batchNo)), sync: false)
            written.append((chunk, ContentHash.sha256Hex(data: content), temp))
            batchNo += 1
        }
        CrashPoint.hit("alarms-before-commit")
        try ctx.write { tx in
            var expected = firstBatch
            for (chunk, hash, _) in written {
                try tx.expectOffset(of: AlarmConsumer.name, at: chunk.from)
                for recipient in chunk.recipients { try tx.save(recipient) }
                if let hash {
                    let batch = try tx.newAlarmBatch(firstSeq: chunk.from + 1, lastSeq: chunk.to)
                    guard batch.batchNo == expected else {
                        throw StoreError.corrupt("alarm batch \(batch.batchNo) opened where \(expected) was written")
                    }
                    try tx.closeAlarmBatch(batch.batchNo, count: chunk.messages, sha256: hash)
                    expected += 1
                }
                try tx.setOffset(of: AlarmConsumer.name, to: chunk.to)
            }
        }
        for case let (_, _, temp?) in written { AlarmConsumer.prewritten.insert(temp.path) }
        return ConsumerStep(scanned: prepared.reduce(0) { $0 + $1.scanned },
                            made: prepared.reduce(0) { $0 + $1.messages })
    }

    /// The messages of one chunk of events.
    private func prepare(_ slice: ChunkEvents, composer: AlarmComposer, recipients: inout [String: AlarmRecipient],
                         tx: StoreTransaction, ctx: RunContext) throws -> Chunk {
        var chunk = Chunk(from: slice.from, to: slice.to, scanned: slice.scanned)
        var messages: [AlarmMessage] = []
        for stored in slice.wanted {
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
            messages.append(message)
        }
        chunk.lines = try JSONCodec.encodeLines(messages)
        chunk.messages = messages.count
        return chunk
    }

    /// Phase two: publishes each unpublished batch as its file and marks it published, a group
    /// of batches at a time. Every file of the group is fsync'd under its temporary name,
    /// several at once (one cache flush of the disk serves the fsyncs in flight together); then
    /// they are renamed into place in batch order, so a reader of the outbox never sees a later
    /// file before an earlier one; then the folder is fsync'd, so the renames survive a power
    /// loss; only then are the batches marked published.
    ///
    /// A temporary file this process wrote (`prewritten`) is only fsync'd. One left by another
    /// process (a crashed run) is used when its bytes have the batch's hash, else the batch is
    /// rendered again from its events; a file already renamed into place with the batch's hash
    /// is kept as it is. A batch closed by an earlier version is written from the store.
    private func publish(_ ctx: RunContext, _ counts: inout StageCounts) throws {
        CrashPoint.hit("alarms-before-publish")
        let outbox = ctx.home.alarmOutbox
        let batches = try ctx.store.read { try $0.unpublishedAlarmBatches() }
        for start in stride(from: 0, to: batches.count, by: AlarmConsumer.publishGroup) {
            let group = Array(batches[start..<min(batches.count, start + AlarmConsumer.publishGroup)])
            let files = try group.map { batch -> (url: URL, source: BatchFile) in
                let url = outbox.appendingPathComponent(batch.fileName)
                return (url, try source(of: batch, at: url, ctx, &counts))
            }
            try Parallel.waiting(files, threads: AlarmConsumer.fsyncsInFlight) { file in
                switch file.source {
                case .write(let content): _ = try AtomicFile.writeTemporary(content, for: file.url, sync: true)
                case .temporary: try AtomicFile.syncFile(AtomicFile.temporaryURL(for: file.url))
                case .inPlace: try AtomicFile.syncFile(file.url)
                }
            }
            for file in files {
                if case .inPlace = file.source { continue }
                try AtomicFile.rename(AtomicFile.temporaryURL(for: file.url), over: file.url)
                CrashPoint.hit("alarms-after-file")
            }
            try AtomicFile.syncDirectory(outbox)
            try ctx.write { tx in for batch in group { try tx.markAlarmBatchPublished(batch.batchNo) } }
            for file in files { AlarmConsumer.prewritten.remove(AtomicFile.temporaryURL(for: file.url).path) }
            counts.files += group.count
        }
    }

    /// Where a batch's file comes from when it is published.
    private enum BatchFile {
        /// Its temporary file holds the batch's bytes.
        case temporary
        /// Already renamed into place (by a run that crashed before marking it published).
        case inPlace
        /// These bytes, written now.
        case write(Data)
    }

    private func source(of batch: UnpublishedAlarmBatch, at url: URL, _ ctx: RunContext,
                        _ counts: inout StageCounts) throws -> BatchFile {
        let temp = AtomicFile.temporaryURL(for: url)
        guard let hash = batch.sha256 else {
            guard let content = try ctx.store.read({ try $0.storedAlarmBatchContent(batchNo: batch.batchNo) }) else {
                throw StoreError.corrupt("alarm batch \(batch.batchNo) has neither a hash nor its messages")
            }
            return .write(Data(content.utf8))
        }
        if AlarmConsumer.prewritten.contains(temp.path), FileManager.default.fileExists(atPath: temp.path) {
            return .temporary
        }
        if let data = FileManager.default.contents(atPath: temp.path), ContentHash.sha256Hex(data: data) == hash {
            return .temporary
        }
        if let data = FileManager.default.contents(atPath: url.path), ContentHash.sha256Hex(data: data) == hash {
            return .inPlace
        }
        // The file did not survive (a power loss before the kernel wrote it back, or it was
        // removed): the same messages again, from the batch's events.
        let composer = try ctx.composer()
        let chunk = try ctx.store.read { tx -> Chunk in
            let raw = try tx.rawEvents(after: batch.firstSeq - 1, limit: Int(batch.lastSeq - batch.firstSeq + 1))
            var recipients: [String: AlarmRecipient] = [:]
            let slice = try ChunkEvents(raw[...], after: batch.firstSeq - 1, wanted: Self.wanted(composer))
            return try prepare(slice, composer: composer, recipients: &recipients, tx: tx, ctx: ctx)
        }
        let note = "alarm batch \(batch.batchNo) (\(batch.fileName)): its file was missing or damaged; "
            + "\(chunk.messages) messages rendered again from events \(batch.firstSeq)-\(batch.lastSeq)"
        ctx.logger.warning("\(note)")
        counts.notes.append(note)
        return .write(chunk.content)
    }

    /// Batches published per folder fsync and commit, and files fsync'd at once (32 rather
    /// than 4: the stage took 532 instead of 632 ms at 100k, means of six alternating runs;
    /// the disk flushes its cache once for the fsyncs in flight together).
    static let publishGroup = 64
    static let fsyncsInFlight = 32

    /// Temporary files (paths) of batches this process has written and committed.
    static let prewritten = PathSet()

    /// The events a batch is composed from: customer events (recipients) and events with a
    /// template; only these are decoded.
    static func wanted(_ composer: AlarmComposer) -> Set<EventType> {
        Set(composer.templates.keys).union([.customerRegistered, .customerUpdated])
    }
}

/// One chunk of the log as the alarms consumer takes it: the events after `from` up to `to`
/// (`scanned` of them), and those of them it composes from (decoded).
struct ChunkEvents {
    var from: Int64
    var to: Int64
    var scanned: Int
    var wanted: [StoredEvent]

    /// The chunk of `events`, the log's next events after `after`; the events of the types in
    /// `wanted` decoded.
    init(_ events: ArraySlice<RawEvent>, after: Int64, wanted: Set<EventType>) throws {
        from = after
        to = events.last?.seq ?? after
        scanned = events.count
        self.wanted = try events.filter { wanted.contains($0.type) }.map { try $0.decoded() }
    }

    /// `events` (the log's next events after `after`, in order) cut into chunks of `size`, the
    /// last one shorter (none when there are no events).
    static func slices(_ events: ArraySlice<RawEvent>, after: Int64, size: Int, wanted: Set<EventType>) throws -> [ChunkEvents] {
        try stride(from: events.startIndex, to: events.endIndex, by: size).map { start in
            try ChunkEvents(events[start..<min(events.endIndex, start + size)],
                            after: start == events.startIndex ? after : events[start - 1].seq, wanted: wanted)
        }
    }
}

/// A set of paths shared by the follower thread and the job's thread.
final class PathSet: @unchecked Sendable {
    private var paths: Set<String> = []
    private let lock = NSLock()
    func insert(_ path: String) { lock.withLock { _ = paths.insert(path) } }
    func remove(_ path: String) { lock.withLock { _ = paths.remove(path) } }
    func contains(_ path: String) -> Bool { lock.withLock { paths.contains(path) } }
}
