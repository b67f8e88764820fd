import EzAdapters
import EzCore
import Foundation

/// Writes issued product description documents to `documents/` that are not written yet, one
/// bundle file at a time (`DocumentBundle`: the documents one requests chunk issued).
///
/// The requests stage writes each chunk's bundle as the chunk commits; this stage finds work
/// only when that did not happen: a job without the requests stage after one with it, or
/// documents issued by an older version.
///
/// Issuing is a committed state change (document row with its bundle file + event); writing
/// the file follows and is marked done afterwards, so a crash in between rewrites the same
/// bytes next run (a bundle's documents are all issued in one transaction, so the set is
/// complete once any of them is visible).
public struct DocumentStage {
    public init() {}

    public func run(_ ctx: RunContext) throws -> StageCounts {
        var counts = StageCounts(stage: StageName.documents)
        let written = try DocumentPublisher.publishPending(ctx, try ctx.catalog())
        counts.files = written.files
        counts.processed = written.documents
        return counts
    }
}
