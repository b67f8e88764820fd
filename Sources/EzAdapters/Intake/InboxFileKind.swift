/// What kind of request file a name in `inbox/` is (SPEC sections 3 and 5).
public enum InboxFileKind: String, Hashable, Sendable, CaseIterable {
    /// `*.jsonl`: one JSON object per line.
    case jsonLines
    /// `*.csv`: one `enrollment.apply` (by default) per row, header of flattened field names.
    case csv

    /// The kind of a file by its extension (case-insensitive), or nil for names that are not
    /// request files, including ignored ones (`isIgnored`).
    public static func of(fileName: String) -> InboxFileKind? {
        guard !isIgnored(fileName: fileName) else { return nil }
        let lower = fileName.lowercased()
        if lower.hasSuffix(".jsonl") { return .jsonLines }
        if lower.hasSuffix(".csv") { return .csv }
        return nil
    }

    /// Names an upstream is still writing or that are hidden: starting with `.`, or ending
    /// with `.tmp` or `.part` (case-insensitive). These are left alone in the inbox.
    public static func isIgnored(fileName: String) -> Bool {
        let lower = fileName.lowercased()
        return fileName.hasPrefix(".") || lower.hasSuffix(".tmp") || lower.hasSuffix(".part")
    }
}
