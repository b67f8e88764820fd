import Foundation

/// The runner's home directory and everything in it (SPEC section 3).
public struct Home: Sendable {
    public let root: URL

    public init(_ path: String) {
        self.root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    public var database: URL { root.appendingPathComponent("ezinsurance.sqlite") }
    public var inbox: URL { dir("inbox") }
    public var work: URL { dir("work") }
    public var archive: URL { dir("archive") }
    public var rejected: URL { dir("rejected") }
    public var documents: URL { dir("documents") }
    public var alarmOutbox: URL { dir("outbox/alarms") }
    public var views: URL { dir("views") }
    /// The status views' database (`ViewStore`).
    public var viewStore: URL { root.appendingPathComponent("views/status.sqlite") }
    /// Where versions before the views database wrote one file per customer.
    public var legacyCustomerViews: URL { dir("views/customers") }
    public var reports: URL { dir("reports") }
    public var settlements: URL { dir("settlements") }
    public var catalog: URL { dir("catalog") }
    public var templates: URL { dir("templates") }
    public var jobs: URL { dir("jobs") }
    public var locks: URL { dir("locks") }

    public func archive(on date: String) -> URL { archive.appendingPathComponent(date, isDirectory: true) }

    private func dir(_ name: String) -> URL { root.appendingPathComponent(name, isDirectory: true) }

    public var exists: Bool { FileManager.default.fileExists(atPath: database.path) }

    /// Creates the folders (0700: the home holds personal data) and, on first use, copies the
    /// catalog, templates and job definitions from `seed`; sample requests too when asked.
    public func prepare(seed: SeedSource?, withSamples: Bool) throws {
        let fm = FileManager.default
        let fresh = !fm.fileExists(atPath: root.path) || !fm.fileExists(atPath: catalog.path)
        for url in [root, inbox, work, archive, rejected, documents, alarmOutbox, views,
                    reports, settlements, locks] {
            try fm.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        // The home holds personal data: owner only, even when someone else created the folder.
        chmod(root.path, 0o700)
        guard fresh, let seed else { return }
        try copyTree(seed.catalog, to: catalog)
        try copyTree(seed.templates, to: templates)
        try copyTree(seed.jobs, to: jobs)
        if let mortality = seed.mortality { try copyTree(mortality, to: dir("mortality")) }
        if withSamples, let samples = seed.sampleInbox,
           let names = try? fm.contentsOfDirectory(atPath: samples.path) {
            for name in names.sorted() where !name.hasPrefix(".") && !name.hasPrefix("README") {
                try fm.copyItem(at: samples.appendingPathComponent(name), to: inbox.appendingPathComponent(name))
            }
        }
    }

    private func copyTree(_ from: URL, to: URL) throws {
        let fm = FileManager.default
        guard fm.fileExists(atPath: from.path), !fm.fileExists(atPath: to.path) else { return }
        try fm.copyItem(at: from, to: to)
    }
}

/// Where a new home's catalog, templates, jobs and samples come from: the project's `data/`
/// and `jobs/` folders.
public struct SeedSource: Sendable {
    public let projectRoot: URL
    public var catalog: URL { projectRoot.appendingPathComponent("data/catalog") }
    public var templates: URL { projectRoot.appendingPathComponent("data/templates") }
    public var jobs: URL { projectRoot.appendingPathComponent("jobs") }
    public var sampleInbox: URL? { projectRoot.appendingPathComponent("data/samples/inbox") }
    public var mortality: URL? { projectRoot.appendingPathComponent("data/mortality") }

    public init(projectRoot: URL) { self.projectRoot = projectRoot }

    /// `$EZINSURANCE_DATA/..`, else the first of the working directory and the executable's
    /// ancestors that holds `data/catalog`.
    public static func locate(executable: String) -> SeedSource? {
        let fm = FileManager.default
        if let data = ProcessInfo.processInfo.environment["EZINSURANCE_DATA"] {
            return SeedSource(projectRoot: URL(fileURLWithPath: data).deletingLastPathComponent())
        }
        var candidates = [URL(fileURLWithPath: fm.currentDirectoryPath)]
        var dir = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(dir)
            dir = dir.deletingLastPathComponent()
        }
        for c in candidates where fm.fileExists(atPath: c.appendingPathComponent("data/catalog").path) {
            return SeedSource(projectRoot: c)
        }
        return nil
    }
}
