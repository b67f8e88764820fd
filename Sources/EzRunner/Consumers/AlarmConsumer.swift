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
public struct AlarmConsumer {
    public static let name = "alarms"
    public init() {}

    public func run(_ ctx: RunContext) throws -> StageCounts {
        var counts = StageCounts(stage: StageName.alarms)
        let composer = try ctx.composer()
        while true {
            let (read, made) = try ctx.write { tx -> (Int, Int) in
                let from = try tx.offset(of: AlarmConsumer.name)
                // Only customer events (recipients) and events with a template are decoded.
                let wanted = Set(composer.templates.keys).union([.customerRegistered, .customerUpdated])
                let (events, scannedTo, scanned) = try tx.events(after: from, limit: ctx.chunkSize, only: wanted)
                guard let lastSeq = scannedTo else { return (0, 0) }
                let batch = try tx.newAlarmBatch(firstSeq: from + 1, lastSeq: lastSeq)
                var made = 0
                var recipients: [String: AlarmRecipient] = [:]
                for stored in events {
                    if case .customer(let c) = stored.event.payload {
                        let recipient = AlarmRecipient(customerNo: c.customerNo, name: c.name, phone: c.phone)
                        try tx.save(recipient)
                        recipients[c.customerNo] = recipient
                    }
                    guard composer.callsForMessage(stored.event.type),
                          let no = stored.event.correlation.customerNo else { continue }
                    guard let recipient = try recipients[no] ?? tx.recipient(no) else {
                        ctx.logger.warning("event \(stored.seq): no recipient known for customer \(no); no alarm")
                        continue
                    }
                    let composed: AlarmMessage?
                    do { composed = try composer.compose(stored, recipient: recipient) } catch {
                        throw RunnerError.invalidInput("alarm for event \(stored.seq) (\(stored.event.type.rawValue)): \(error); fix \(ctx.home.templates.path)/alarms.yaml and run again")
                    }
                    guard let message = composed else { continue }
                    recipients[no] = recipient
                    try tx.insertAlarm(messageId: message.messageId, eventSeq: stored.seq, batchNo: batch.batchNo,
                                       line: try StoreJSON.encode(message))
                    made += 1
                }
                try tx.closeAlarmBatch(batch.batchNo, count: made)
                try tx.setOffset(of: AlarmConsumer.name, to: lastSeq)
                return (scanned, made)
            }
            counts.read += read
            counts.processed += made
            if read < ctx.chunkSize { break }
        }
        CrashPoint.hit("alarms-before-publish")
        for batch in try ctx.store.read({ try $0.unpublishedAlarmBatches() }) {
            let lines = try ctx.store.read { try $0.alarmLines(batchNo: batch.batchNo) }
            try AtomicFile.write(lines.joined(separator: "\n") + "\n",
                                 to: ctx.home.alarmOutbox.appendingPathComponent(batch.fileName), sync: true)
            CrashPoint.hit("alarms-after-file")
            try ctx.write { try $0.markAlarmBatchPublished(batch.batchNo) }
            counts.files += 1
        }
        return counts
    }
}
