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

    public init(stage: String) { self.stage = stage }

    enum CodingKeys: String, CodingKey {
        case stage, read, accepted, duplicate, rejected, processed, failed, deferred, files
        case unreadableFiles = "unreadable_files", duplicateFiles = "duplicate_files", notes
    }

    /// One line for logs and the summary: only the counts that are not zero.
    public var line: String {
        let parts: [(String, Int)] = [("files", files), ("unreadable files", unreadableFiles), ("duplicate files", duplicateFiles), ("read", read),
                                      ("accepted", accepted), ("duplicate", duplicate), ("rejected", rejected),
                                      ("processed", processed), ("failed", failed), ("deferred", deferred)]
        let shown = parts.filter { $0.1 != 0 }.map { "\($0.0) \($0.1)" }
        return "\(stage): " + (shown.isEmpty ? "nothing to do" : shown.joined(separator: ", "))
            + (notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")")
    }
}
