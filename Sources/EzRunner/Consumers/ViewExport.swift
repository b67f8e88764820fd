import EzAdapters
import EzCore
import Foundation

/// `views export`: the status views as the files of SPEC section 3's layout
/// (`customers/<customer_no>.json` and `summary.json`), for readers that want files; the
/// views database keeps the same JSON per customer, compact.
public enum ViewExport {
    /// Writes every customer view (or only `customerNo`'s) and the summary under `directory`;
    /// returns the number of files written. Each file is written atomically; a view that is
    /// not in the database is not written.
    public static func write(_ views: ViewStore, to directory: URL, customerNo: String? = nil,
                             workers: Int? = nil) throws -> Int {
        let customers = directory.appending(path: "customers", directoryHint: .isDirectory)
        try FileManager.default.createDirectory(at: customers, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        var written = 0
        if let customerNo {
            guard let view = try views.read({ try $0.customerView(customerNo) }) else { return 0 }
            try AtomicFile.write(try ViewJSON.encode(view),
                                 to: customers.appending(path: "\(customerNo).json", directoryHint: .notDirectory))
            written += 1
        } else {
            var after: String?
            while true {
                let page = try views.read { try $0.customerViews(after: after, limit: 1000) }
                guard let last = page.last else { break }
                _ = try Parallel.map(page, workers: workers ?? Parallel.stageWorkers) { view in
                    try AtomicFile.write(try ViewJSON.encode(view),
                                         to: customers.appending(path: "\(view.customerNo).json", directoryHint: .notDirectory))
                }
                written += page.count
                after = last.customerNo
            }
        }
        let summary = try StatusSummary.current(views)
        try AtomicFile.write(try ViewJSON.encode(summary), to: directory.appending(path: "summary.json", directoryHint: .notDirectory))
        return written + 1
    }
}
