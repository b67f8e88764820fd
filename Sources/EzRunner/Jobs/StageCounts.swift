import Foundation

/// What one stage did in one run. `history` and the run summary print these.
public struct StageCounts: Hashable, Sendable, Codable {
    public var stage: String
    public var read = 0
    public var accepted = 0
    public var duplicate = 0
    public var rejected = 0
    public var processed = 0
    public var failed = 0
    public var deferred = 0
    public var files = 0
    public var unreadableFiles = 0
    public var duplicateFiles = 0
    public var notes: [String] = []
    /// Wall-clock milliseconds the stage took (run metadata, not business data).
    public var durationMs: Int = 0

    public init(stage: String) { self.stage = stage }

    enum CodingKeys: String, CodingKey {
        case stage, read, accepted, duplicate, rejected, processed, failed, deferred, files
        case unreadableFiles = "unreadable_files", duplicateFiles = "duplicate_files", notes
        case durationMs = "duration_ms"
    }

    /// Reads summaries written by older versions too (missing counts are zero).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        stage = try c.decode(String.self, forKey: .stage)
        func int(_ key: CodingKeys) throws -> Int { try c.decodeIfPresent(Int.self, forKey: key) ?? 0 }
        read = try int(.read)
        accepted = try int(.accepted)
        duplicate = try int(.duplicate)
        rejected = try int(.rejected)
        processed = try int(.processed)
        failed = try int(.failed)
        deferred = try int(.deferred)
        files = try int(.files)
        unreadableFiles = try int(.unreadableFiles)
        duplicateFiles = try int(.duplicateFiles)
        notes = try c.decodeIfPresent([String].self, forKey: .notes) ?? []
        durationMs = try int(.durationMs)
    }

    /// One line for logs and the summary: only the counts that are not zero.
    public var line: String {
        let parts: [(String, Int)] = [("files", files), ("unreadable files", unreadableFiles), ("duplicate files", duplicateFiles), ("read", read),
                                      ("accepted", accepted), ("duplicate", duplicate), ("rejected", rejected),
                                      ("processed", processed), ("failed", failed), ("deferred", deferred)]
        let shown = parts.filter { $0.1 != 0 }.map { "\($0.0) \($0.1)" }
        let took = durationMs >= 1000 ? String(format: " [%.1f s]", Double(durationMs) / 1000) : ""
        return "\(stage): " + (shown.isEmpty ? "nothing to do" : shown.joined(separator: ", ")) + took
            + (notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")")
    }
}
