import EzAdapters
import EzCore
import Foundation

/// Writes product description documents as bundle files (`DocumentBundle`) and marks them
/// written. Two callers:
///
/// - the requests stage, which renders a chunk's documents from what it has in memory and
///   writes the chunk's bundle as soon as the chunk is committed, and
/// - `publishPending`, which renders every issued document not yet written from the store:
///   the documents stage, and the requests stage before its first chunk (a bundle whose
///   chunk committed before a crash).
///
/// Both give the same bytes for a bundle: the renderer is pure, the plan and breakdown do not
/// change once quoted, and the insured's name is the one recorded with the document as it was
/// issued.
enum DocumentPublisher {
    /// Renders `parts` on the stage's workers and writes them as the file `fileName`
    /// (relative to `documents/`). No fsync: a lost file is rewritten from the store, because
    /// its documents are marked written only afterwards.
    static func write(_ parts: [DocumentParts], toFile fileName: String, _ ctx: RunContext) throws {
        // Each version's shared text made once for the bundle, then the documents on the workers.
        var texts: [String: DocumentRenderer.VersionText] = [:]
        let work = parts.map { part in
            if let text = texts[part.version.versionId] { return (part, text) }
            let text = DocumentRenderer.VersionText(part.version)
            texts[part.version.versionId] = text
            return (part, text)
        }
        let documents = try Parallel.map(work, workers: Parallel.stageWorkers) { part, text in
            (documentNo: part.documentNo, utf8: try part.render(versionText: text))
        }
        let url = ctx.home.documents.appendingPathComponent(fileName)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try AtomicFile.write(DocumentBundle.contents(ofFile: fileName, documents), to: url)
        CrashPoint.hit("documents-after-file")
    }

    /// Writes every issued document not yet written, one bundle file at a time, from the store.
    static func publishPending(_ ctx: RunContext, _ catalog: ProductCatalog) throws -> (files: Int, documents: Int) {
        var files = 0, documents = 0
        while true {
            // One read transaction for the bundle's documents, plans, customers and breakdowns;
            // decoding breakdowns and rendering run on the stage's workers.
            let read = try ctx.store.read { tx -> (fileName: String, parts: [DocumentParts])? in
                guard let fileName = try tx.nextUnpublishedDocumentFile() else { return nil }
                let parts = try tx.unpublishedDocuments(inFile: fileName).map { doc in
                    guard let plan = try tx.plan(doc.planNo),
                          let customerName = try doc.customerName ?? tx.customer(plan.customerNo)?.name,
                          let version = catalog.version(id: plan.versionId) else {
                        throw StoreError.corrupt("document \(doc.documentNo): plan, customer or version \(doc.planNo) missing")
                    }
                    return DocumentParts(documentNo: doc.documentNo, plan: plan, customerName: customerName, version: version,
                                         storedBreakdown: try tx.breakdown(ofPlan: plan.planNo),
                                         issuedOn: BusinessDate(doc.issuedOn) ?? ctx.asOf)
                }
                return (fileName, parts)
            }
            guard let read else { break }
            try write(read.parts, toFile: read.fileName, ctx)
            try ctx.write { try $0.markDocumentsPublished(read.parts.map(\.documentNo)) }
            files += 1
            documents += read.parts.count
        }
        return (files, documents)
    }
}

/// What one document is rendered from.
struct DocumentParts: Sendable {
    var documentNo: String
    var plan: Plan
    var customerName: String
    var version: ProductVersion
    /// The premium breakdown as computed (requests stage), or as stored (JSON, decoded when
    /// rendered, on a worker).
    var breakdown: PremiumBreakdown? = nil
    var storedBreakdown: String? = nil
    var issuedOn: BusinessDate

    /// The document's UTF-8 text.
    func render(versionText: DocumentRenderer.VersionText) throws -> [UInt8] {
        DocumentRenderer.render(documentNo: documentNo, plan: plan, customerName: customerName, version: versionText,
                                breakdown: try breakdown ?? storedBreakdown.map { try StoreJSON.decode(PremiumBreakdown.self, from: $0) },
                                issuedOn: issuedOn)
    }
}
