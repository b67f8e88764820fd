import EzAdapters
import Foundation

/// Looks at the inbox and says, for each entry, whether it may be picked up now.
///
/// A file is ready when it is a regular file with one link, a request-file name, and has
/// settled: its size and modification time have not changed for `settleSeconds`. Files being
/// written are left for the next run; symlinks, hard-linked and non-regular entries are refused.
public struct InboxScanner {
    public enum Verdict: Equatable {
        case ready(size: Int64)
        case notSettled
        /// Refused and moved to `rejected/` with the reason.
        case refused(String)
        /// Left where it is (a folder cannot be moved into `rejected/` as a file).
        case skipped(String)
    }

    public struct Entry {
        public var name: String
        public var url: URL
        public var verdict: Verdict
    }

    public let inbox: URL
    public let settleSeconds: Double
    /// The longest a run waits for young files before leaving them to the next run.
    public static let maxWait = 2.0

    /// `EZINSURANCE_INBOX_SETTLE_SECONDS` overrides the default of 1 second.
    public init(inbox: URL, settleSeconds: Double? = nil) {
        self.inbox = inbox
        let env = ProcessInfo.processInfo.environment["EZINSURANCE_INBOX_SETTLE_SECONDS"].flatMap(Double.init)
        self.settleSeconds = settleSeconds ?? env ?? 1
    }

    /// Entries in name order; ignored names (dotfiles, `.tmp`, `.part`) are left out.
    /// Waits at most `maxWait` seconds once, for files modified just now, and re-checks them.
    public func scan(wait: Bool = true) -> [Entry] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: inbox.path)) ?? [])
            .filter { !InboxFileKind.isIgnored(fileName: $0) }.sorted()
        var first: [String: stat] = [:]
        var youngest = Double.infinity
        let now = Date().timeIntervalSince1970
        for name in names {
            var st = stat()
            guard lstat(inbox.appendingPathComponent(name).path, &st) == 0 else { continue }
            first[name] = st
            youngest = min(youngest, now - Double(st.st_mtim.tv_sec) - Double(st.st_mtim.tv_nsec) / 1e9)
        }
        if wait, youngest < settleSeconds {
            // Wait a little for files that are about to settle; longer ones wait for the next run.
            usleep(useconds_t(min(InboxScanner.maxWait, max(0, settleSeconds - youngest)) * 1_000_000))
        }
        return names.compactMap { name in
            let url = inbox.appendingPathComponent(name)
            guard let before = first[name] else { return nil }
            var st = stat()
            guard lstat(url.path, &st) == 0 else { return nil }
            return Entry(name: name, url: url, verdict: verdict(name, before, st, wait: wait))
        }
    }

    private func verdict(_ name: String, _ before: stat, _ after: stat, wait: Bool) -> Verdict {
        switch after.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFLNK: return .refused("a symbolic link; drop the file itself")
        case S_IFDIR: return .skipped("a directory")
        default: return .refused("not a regular file")
        }
        if after.st_nlink > 1 { return .refused("a hard-linked file (\(after.st_nlink) links); drop a copy") }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return .refused("control characters in the file name")
        }
        if InboxFileKind.of(fileName: name) == nil {
            return .refused("unsupported file type: expected *.jsonl or *.csv")
        }
        if before.st_size != after.st_size || before.st_mtim.tv_sec != after.st_mtim.tv_sec
            || before.st_mtim.tv_nsec != after.st_mtim.tv_nsec {
            return .notSettled
        }
        let age = Date().timeIntervalSince1970 - Double(after.st_mtim.tv_sec) - Double(after.st_mtim.tv_nsec) / 1e9
        if wait && age < settleSeconds * 0.95 { return .notSettled }
        return .ready(size: Int64(after.st_size))
    }
}
