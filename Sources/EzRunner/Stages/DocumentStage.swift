import EzAdapters
import EzCore
import Foundation

/// Writes issued product description documents to `documents/`, one bundle file at a time
/// (`DocumentBundle`: the documents one requests chunk issued).
///
/// Issuing is a committed state change (document row with its bundle file + event); writing
/// the file follows and is marked done afterwards, so a crash in between rewrites the same
/// bytes next run (a bundle's documents are all issued in one transaction, so the set is
/// complete once any of them is visible).
public struct DocumentStage {
    public init() {}

    public func run(_ ctx: RunContext) throws -> StageCounts {
        var counts = StageCounts(stage: StageName.documents)
        let catalog = try ctx.catalog()
        while true {
            // One read transaction for the bundle's documents, plans, customers and breakdowns;
            // then decoding breakdowns and rendering run on the stage's workers.
            let read = try ctx.store.read { tx -> (fileName: String, parts: [DocumentParts])? in
                guard let fileName = try tx.nextUnpublishedDocumentFile() else { return nil }
                let parts = try tx.unpublishedDocuments(inFile: fileName).map { doc in
                    guard let plan = try tx.plan(doc.planNo), let customer = try tx.customer(plan.customerNo),
                          let version = catalog.version(id: plan.versionId) else {
                        throw StoreError.corrupt("document \(doc.documentNo): plan, customer or version \(doc.planNo) missing")
                    }
                    return DocumentParts(documentNo: doc.documentNo, plan: plan, customerName: customer.name, version: version,
                                         breakdown: try tx.breakdown(ofPlan: plan.planNo),
                                         issuedOn: BusinessDate(doc.issuedOn) ?? ctx.asOf)
                }
                return (fileName, parts)
            }
            guard let read else { break }
            let documents = try Parallel.map(read.parts, workers: Parallel.stageWorkers) { parts in
                (documentNo: parts.documentNo, text: try parts.render())
            }
            let url = ctx.home.documents.appendingPathComponent(read.fileName)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            try AtomicFile.write(DocumentBundle.contents(ofFile: read.fileName, documents), to: url)
            CrashPoint.hit("documents-after-file")
            try ctx.write { try $0.markDocumentsPublished(documents.map(\.documentNo)) }
            counts.processed += documents.count
            counts.files += 1
        }
        return counts
    }
}

/// What one document is rendered from, read in the bundle's transaction.
private struct DocumentParts: Sendable {
    var documentNo: String
    var plan: Plan
    var customerName: String
    var version: ProductVersion
    var breakdown: String?
    var issuedOn: BusinessDate

    func render() throws -> String {
        DocumentRenderer.render(documentNo: documentNo, plan: plan, customerName: customerName, version: version,
                                breakdown: try breakdown.map { try StoreJSON.decode(PremiumBreakdown.self, from: $0) },
                                issuedOn: issuedOn)
    }
}
