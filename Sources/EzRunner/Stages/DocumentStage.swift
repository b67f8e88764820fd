import EzAdapters
import EzCore
import Foundation

/// Writes issued product description documents to `documents/`.
///
/// Issuing is a committed state change (document row + event); writing the file follows and
/// is marked done afterwards, so a crash in between rewrites the same bytes next run.
public struct DocumentStage {
    public init() {}

    public func run(_ ctx: RunContext) throws -> StageCounts {
        var counts = StageCounts(stage: StageName.documents)
        let catalog = try ctx.catalog()
        while true {
            let batch = try ctx.store.read { try $0.unpublishedDocuments(limit: ctx.chunkSize) }
            if batch.isEmpty { break }
            // One read transaction for the chunk's plans, customers and breakdowns.
            let texts = try ctx.store.read { tx -> [(String, String)] in
                try batch.map { doc in
                    guard let plan = try tx.plan(doc.planNo), let customer = try tx.customer(plan.customerNo),
                          let version = catalog.version(id: plan.versionId) else {
                        throw StoreError.corrupt("document \(doc.documentNo): plan, customer or version \(doc.planNo) missing")
                    }
                    let breakdown = try tx.breakdown(ofPlan: plan.planNo)
                        .map { try StoreJSON.decode(PremiumBreakdown.self, from: $0) }
                    return (doc.fileName, DocumentRenderer.render(
                        documentNo: doc.documentNo, plan: plan, customerName: customer.name, version: version,
                        breakdown: breakdown, issuedOn: BusinessDate(doc.issuedOn) ?? ctx.asOf))
                }
            }
            var written: [String] = []
            for (doc, (fileName, text)) in zip(batch, texts) {
                try AtomicFile.write(text, to: ctx.home.documents.appendingPathComponent(fileName))
                CrashPoint.hit("documents-after-file")
                written.append(doc.documentNo)
            }
            try ctx.write { try $0.markDocumentsPublished(written) }
            counts.processed += written.count
        }
        return counts
    }
}
