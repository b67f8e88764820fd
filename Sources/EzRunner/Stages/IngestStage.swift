import EzAdapters
import EzCore
import Foundation
import Logging

/// File-drop ingestion: claims complete files from `inbox/`, validates every line, records
/// each as accepted, duplicate or rejected, and archives the file once its rows are committed.
///
/// A file is claimed in a transaction (a row naming its work path) and then moved to
/// `work/`; its lines are committed in chunks together with the file's progress mark, so a
/// crashed run resumes after the last committed line and never counts a line twice.
public struct IngestStage {
    public init() {}

    public func run(_ ctx: RunContext) throws -> StageCounts {
        var counts = StageCounts(stage: StageName.ingest)
        try finishInterruptedMoves(ctx)
        for record in try ctx.store.read({ try $0.claimedFiles() }) {
            try ingest(record, ctx, &counts)
        }
        for entry in InboxScanner(inbox: ctx.home.inbox).scan() {
            let name = entry.name, url = entry.url
            let size: Int64
            switch entry.verdict {
            case .notSettled:
                counts.notes.append("\(name) is still being written; left for the next run")
                continue
            case .skipped(let reason):
                counts.notes.append("skipped \(name): \(reason)")
                continue
            case .refused(let reason):
                counts.files += 1
                try refuseFile(url, reason: reason, ctx, &counts)
                continue
            case .ready(let bytes):
                size = bytes
            }
            counts.files += 1
            let sha = try ContentHash.sha256Hex(fileAt: url)
            if let original = try ctx.store.read({ try $0.ingestedFile(sha256: sha) }) {
                try setAsideDuplicate(url, sha: sha, original: original, ctx, &counts)
                continue
            }
            let record = try ctx.write { tx -> InboxFileRecord in
                let id = try tx.claimFile(name: name, sha256: sha, size: size, runId: ctx.runId,
                                          receivedOn: ctx.asOf, workPath: "pending")
                let work = ctx.home.work.appendingPathComponent("\(id)-\(name)").path
                try tx.setWorkPath(of: id, to: work)
                return try tx.inboxFile(id)!
            }
            CrashPoint.hit("ingest-after-claim")
            try move(url, to: URL(fileURLWithPath: record.workPath))
            try ingest(record, ctx, &counts)
        }
        return counts
    }

    /// Reads the claimed file from its committed mark to the end, then archives it.
    private func ingest(_ record: InboxFileRecord, _ ctx: RunContext, _ counts: inout StageCounts) throws {
        let work = URL(fileURLWithPath: record.workPath)
        let inboxCopy = ctx.home.inbox.appendingPathComponent(record.name)
        if !FileManager.default.fileExists(atPath: work.path) {
            // Claimed, then the run died before the move.
            guard FileManager.default.fileExists(atPath: inboxCopy.path) else {
                try ctx.write { try $0.finishFile(record.fileId, status: "UNREADABLE", finalPath: nil,
                                                        error: "file vanished after it was claimed") }
                counts.notes.append("\(record.name) vanished after it was claimed")
                return
            }
            try move(inboxCopy, to: work)
        }
        guard let source = InboxReader.source(for: work) else { return }
        let iterator: any InboxRecordIterator
        do {
            iterator = try source.records()
        } catch let error as InboxFileError {
            try markUnreadable(record, work: work, reason: error.reason, ctx, &counts)
            return
        }
        // The file's next chunk is read, parsed and checked (on a thread of its own, and the
        // stage's workers) while the chunk before it commits.
        let chunks = LineChunks(iterator, after: record.linesDone, size: ctx.chunkSize)
        let prefetch = Prefetcher(ahead: !ConsumerFollower.serial) { try chunks.next() }
        defer { prefetch.stop() }
        while let chunk = try prefetch.next() {
            try commit(chunk, record, ctx, &counts)
        }
        try archive(record, work: work, ctx)
    }

    /// A file's lines after its committed mark, a chunk at a time, checked (what can be
    /// judged without the store) and ready to commit. Used by one thread at a time.
    private final class LineChunks: @unchecked Sendable {
        private let iterator: any InboxRecordIterator
        private var linesDone: Int
        private let size: Int

        init(_ iterator: any InboxRecordIterator, after linesDone: Int, size: Int) {
            self.iterator = iterator
            self.linesDone = linesDone
            self.size = size
        }

        /// The next chunk; nil at the end of the file.
        func next() throws -> CheckedChunk? {
            var records: [InboxRecord] = []
            records.reserveCapacity(size)
            while records.count < size, let line = try iterator.next() {
                if line.line <= linesDone { continue }
                records.append(line)
            }
            guard let last = records.last else { return nil }
            linesDone = last.line
            // Validation, canonical hashing and encoding need no store: done here, on the
            // stage's workers, so the transaction only looks up and writes, line by line.
            let checked = try Parallel.map(records, workers: Parallel.stageWorkers) { try CheckedLine($0) }
            return CheckedChunk(lines: checked, lastLine: last.line)
        }
    }

    private struct CheckedChunk: Sendable {
        var lines: [CheckedLine]
        var lastLine: Int
    }

    /// One transaction: every line of the chunk and the file's progress mark.
    private func commit(_ chunk: CheckedChunk, _ file: InboxFileRecord,
                        _ ctx: RunContext, _ counts: inout StageCounts) throws {
        let checked = chunk.lines, lastLine = chunk.lastLine
        let delta = try ctx.write { tx -> (Int, Int, Int) in
            var accepted = 0, duplicates = 0, rejected = 0
            for line in checked {
                switch try classify(line, file: file, tx: tx, ctx: ctx) {
                case .accepted: accepted += 1
                case .duplicate: duplicates += 1
                case .rejected: rejected += 1
                }
            }
            try tx.advanceFile(file.fileId, linesDone: lastLine, accepted: accepted, duplicates: duplicates,
                               rejected: rejected)
            return (accepted, duplicates, rejected)
        }
        counts.read += checked.count
        counts.accepted += delta.0
        counts.duplicate += delta.1
        counts.rejected += delta.2
        ctx.progress.report("ingest \(file.name)", done: lastLine, total: nil)
        CrashPoint.hit("ingest-after-chunk")
    }

    private enum Verdict { case accepted, duplicate, rejected }

    /// A line as far as it can be judged without the store: unparsable, invalid, or a valid
    /// request with its content hash (for duplicates) and its stored body.
    private enum CheckedLine: Sendable {
        case unparsable(line: Int, FieldError)
        case invalid(line: Int, RequestRejection)
        case valid(line: Int, Request, hash: String, body: UTF8Text)

        init(_ record: InboxRecord) throws {
            switch record.value {
            case .failure(let error):
                self = .unparsable(line: record.line, error)
            case .success(let value):
                switch RequestDecoder.decode(value) {
                case .failure(let rejection):
                    self = .invalid(line: record.line, rejection)
                case .success(let request):
                    self = .valid(line: record.line, request,
                                  hash: ContentHash.sha256Hex(bytes: RequestCanonical.canonicalBytes(request)),
                                  body: try StoreJSON.encodeBytes(request))
                }
            }
        }
    }

    private func classify(_ checked: CheckedLine, file: InboxFileRecord, tx: StoreTransaction,
                          ctx: RunContext) throws -> Verdict {
        switch checked {
        case .unparsable(let line, let error):
            try reject(file, line, requestId: nil, type: nil, errors: [error], tx, ctx)
            return .rejected
        case .invalid(let line, let rejection):
            try reject(file, line, requestId: rejection.requestId, type: rejection.type,
                       errors: rejection.errors, tx, ctx)
            return .rejected
        case .valid(let line, let request, let hash, let body):
            return try admit(request, line: line, hash: hash, body: body, file: file, tx: tx, ctx: ctx)
        }
    }

    /// A valid request: a duplicate of one received before, a conflict with it (same id,
    /// other content: rejected), or accepted.
    private func admit(_ request: Request, line: Int, hash: String, body: UTF8Text, file: InboxFileRecord,
                       tx: StoreTransaction, ctx: RunContext) throws -> Verdict {
        if let first = try tx.requestHash(request.requestId) {
            if first == hash { return .duplicate }
            try reject(file, line, requestId: request.requestId, type: request.type.rawValue,
                       errors: [FieldError(field: "request_id",
                                           reason: "conflict: request_id \(request.requestId) was already received with other content; the first stands")],
                       tx, ctx)
            return .rejected
        }
        try tx.acceptRequest(request, hash: hash, body: body, fileId: file.fileId, line: line,
                             receivedOn: ctx.asOf)
        let outcome = RequestOutcome(requestId: request.requestId, type: request.type.rawValue, status: .accepted,
                                     file: file.name, line: line, customerNo: request.customerNo)
        try tx.append(DomainEvent(.requestAccepted, on: ctx.asOf, .request(outcome)), runId: ctx.runId)
        return .accepted
    }

    private func reject(_ file: InboxFileRecord, _ line: Int, requestId: String?, type: String?,
                        errors: [FieldError], _ tx: StoreTransaction, _ ctx: RunContext) throws {
        try tx.rejectLine(fileId: file.fileId, line: line, requestId: requestId, errors: errors)
        guard let requestId else { return }
        let outcome = RequestOutcome(requestId: requestId, type: type, status: .rejected, file: file.name,
                                     line: line, errors: errors)
        try tx.append(DomainEvent(.requestRejected, on: ctx.asOf, .request(outcome)), runId: ctx.runId)
    }

    /// Marks the file done with its archive path (committed), then writes the rejects sidecar
    /// and moves the file. A crash in between is finished by `finishInterruptedMoves`.
    private func archive(_ record: InboxFileRecord, work: URL, _ ctx: RunContext) throws {
        let day = ctx.home.archive(on: record.receivedOn.description)
        try FileManager.default.createDirectory(at: day, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        var target = day.appendingPathComponent(record.name)
        if FileManager.default.fileExists(atPath: target.path) {
            target = day.appendingPathComponent("\(record.name).\(record.fileId)")
        }
        try ctx.write { try $0.finishFile(record.fileId, status: "DONE", finalPath: target.path, error: nil) }
        CrashPoint.hit("ingest-before-archive")
        try completeMove(fileId: record.fileId, work: work, target: target, ctx)
    }

    private func completeMove(fileId: Int64, work: URL, target: URL, _ ctx: RunContext) throws {
        guard let record = try ctx.store.read({ try $0.inboxFile(fileId) }) else { return }
        // The rejected lines' sidecar, written a line at a time (a million-line file's rejects
        // were 22 MB of JSON, held three times over when joined first); none without rejects.
        let sidecar = ctx.home.rejected.appendingPathComponent(target.lastPathComponent + ".rejects.jsonl")
        try AtomicFile.stream(to: sidecar) { file in
            var any = false
            try ctx.store.read { tx in
                try tx.forEachRejection(fileId: fileId) { line, requestId, errors in
                    any = true
                    try file.write(try StoreJSON.encode(RejectLine(file: record.name, line: line, requestId: requestId,
                                                                   errors: errors)) + "\n")
                }
            }
            return any
        }
        if FileManager.default.fileExists(atPath: work.path) { try move(work, to: target) }
    }

    /// Finishes archive moves that a crashed run committed but did not perform.
    private func finishInterruptedMoves(_ ctx: RunContext) throws {
        let rows = try ctx.store.read { try $0.archivedFiles() }
        for (id, work, target) in rows where FileManager.default.fileExists(atPath: work) {
            try completeMove(fileId: id, work: URL(fileURLWithPath: work), target: URL(fileURLWithPath: target), ctx)
        }
    }

    private func markUnreadable(_ record: InboxFileRecord, work: URL, reason: String, _ ctx: RunContext,
                                _ counts: inout StageCounts) throws {
        let target = ctx.home.rejected.appendingPathComponent(record.name)
        try ctx.write { try $0.finishFile(record.fileId, status: "UNREADABLE", finalPath: target.path, error: reason) }
        try writeErrors(for: target, reason: reason)
        try move(work, to: target)
        counts.unreadableFiles += 1
        ctx.logger.warning("\(record.name): unreadable, moved to rejected/: \(reason)")
    }

    /// The same bytes were ingested before (under any name): the file is a duplicate. It is
    /// recorded and archived beside the day's files as `NAME.duplicate-<id>`, not read again.
    private func setAsideDuplicate(_ url: URL, sha: String, original: InboxFileRecord, _ ctx: RunContext,
                                   _ counts: inout StageCounts) throws {
        let day = ctx.home.archive(on: ctx.asOf.description)
        try FileManager.default.createDirectory(at: day, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let id = try ctx.write { tx in
            try tx.recordDuplicateFile(name: url.lastPathComponent, sha256: sha, duplicateOf: original.fileId,
                                       runId: ctx.runId, receivedOn: ctx.asOf)
        }
        try move(url, to: day.appendingPathComponent("\(url.lastPathComponent).duplicate-\(id)"))
        counts.duplicateFiles += 1
        counts.notes.append("\(url.lastPathComponent) is a duplicate of \(original.name) (same SHA-256); not read again")
    }

    /// A file that is not a request file at all: moved to `rejected/` with its reason.
    private func refuseFile(_ url: URL, reason: String, _ ctx: RunContext, _ counts: inout StageCounts) throws {
        let target = ctx.home.rejected.appendingPathComponent(url.lastPathComponent)
        try writeErrors(for: target, reason: reason)
        try move(url, to: target)
        counts.unreadableFiles += 1
        ctx.logger.warning("\(url.lastPathComponent): refused, moved to rejected/: \(reason)")
    }

    private func writeErrors(for target: URL, reason: String) throws {
        let line = try StoreJSON.encode(RejectLine(file: target.lastPathComponent, line: 0, requestId: nil,
                                                   errors: [FieldError(field: "file", reason: reason)]))
        try AtomicFile.write(line + "\n", to: URL(fileURLWithPath: target.path + ".errors.jsonl"))
    }

    private func move(_ from: URL, to: URL) throws {
        if FileManager.default.fileExists(atPath: to.path) { try FileManager.default.removeItem(at: to) }
        guard rename(from.path, to.path) == 0 else {
            throw RunnerError.internalError("cannot move \(from.path) to \(to.path): \(String(cString: strerror(errno)))")
        }
    }
}

/// One line of `rejected/NAME.rejects.jsonl` (or `NAME.errors.jsonl` for a whole file).
struct RejectLine: Codable {
    var file: String
    var line: Int
    var requestId: String?
    var errors: [FieldError]
    enum CodingKeys: String, CodingKey { case file, line, requestId = "request_id", errors }
}

extension Request {
    /// The customer a request concerns, when it names one directly.
    var customerNo: String? {
        switch body {
        case .customerRegister(let c): c.customerNo
        case .planQuote(let q): q.customerNo
        case .enrollmentApply(let c, _, _): c.customerNo
        default: nil
        }
    }
}
