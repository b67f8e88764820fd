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
            // One read transaction for the bundle's documents, plans, customers and breakdowns.
            let bundle = try ctx.store.read { tx -> (fileName: String, documents: [(documentNo: String, text: String)])? in
                guard let fileName = try tx.nextUnpublishedDocumentFile() else { return nil }
                let documents = try tx.unpublishedDocuments(inFile: fileName).map { doc in
                    guard let plan = try tx.plan(doc.planNo), let customer = try tx.customer(plan.customerNo),
                          let version = catalog.version(id: plan.versionId) else {
                        throw StoreError.corrupt("document \(doc.documentNo): plan, customer or version \(doc.planNo) missing")
                    }
                    let breakdown = try tx.breakdown(ofPlan: plan.planNo)
                        .map { try StoreJSON.decode(PremiumBreakdown.self, from: $0) }
                    return (doc.documentNo, DocumentRenderer.render(
                        documentNo: doc.documentNo, plan: plan, customerName: customer.name, version: version,
                        breakdown: breakdown, issuedOn: BusinessDate(doc.issuedOn) ?? ctx.asOf))
                }
                return (fileName, documents)
            }
            guard let bundle else { break }
            let url = ctx.home.documents.appendingPathComponent(bundle.fileName)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            // A document written before bundles is its own file, without a marker.
            let text = bundle.fileName.contains("/") ? DocumentBundle.compose(bundle.documents) : bundle.documents.map(\.text).joined()
            try AtomicFile.write(text, to: url)
            CrashPoint.hit("documents-after-file")
            try ctx.write { try $0.markDocumentsPublished(bundle.documents.map(\.documentNo)) }
            counts.processed += bundle.documents.count
            counts.files += 1
        }
        return counts
    }
}
