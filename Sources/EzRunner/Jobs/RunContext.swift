import EzAdapters
import EzCore
import Foundation
import Logging

/// Everything a stage needs for one run: the home, the store, the business date and the
/// adapters. Built by the runner, passed to every stage.
public final class RunContext {
    public let home: Home
    public let store: StateStore
    public let asOf: BusinessDate
    public let runId: Int64
    public let chunkSize: Int
    public let logger: Logger
    public let gateway: any PaymentGateway
    /// The job whose lease fences every commit of this run; nil for commands outside jobs.
    public let leaseJob: String?
    /// The run's wall clock (backoff of deferred payments only; business rules use `asOf`).
    public var now: @Sendable () -> Date = { Date() }
    public var backoff = RetryBackoff()
    /// Progress of long stages (terminal line or one log line per chunk).
    public var progress: ProgressReporter
    /// Events the views consumer read last, for the alarms consumer of the same context.
    let recentEvents = RecentEvents()
    /// The status views' database, opened on first use; shared with the consumers' thread.
    let views: ViewStoreOpener
    private var loadedCatalog: ProductCatalog?
    private var loadedComposer: AlarmComposer?

    public init(home: Home, store: StateStore, asOf: BusinessDate, runId: Int64, chunkSize: Int,
                logger: Logger, gateway: any PaymentGateway, leaseJob: String? = nil, views: ViewStoreOpener? = nil) {
        self.home = home
        self.views = views ?? ViewStoreOpener(home: home)
        self.store = store
        self.asOf = asOf
        self.runId = runId
        self.chunkSize = chunkSize
        self.logger = logger
        self.gateway = gateway
        self.leaseJob = leaseJob
        self.progress = ProgressReporter(logger: logger, quiet: true)
    }

    /// One write transaction, fenced by the run's lease: if another run has taken the job
    /// over, nothing is committed and the run stops with `LeaseLost`.
    public func write<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        try store.write { tx in
            if let leaseJob { try tx.checkLease(job: leaseJob, runId: runId) }
            return try body(tx)
        }
    }

    /// Stops the run if another run has taken its job over (`LeaseLost`), for commits outside
    /// the state store (a check, not a fence: the views database also checks its checkpoint).
    public func checkLease() throws {
        guard let leaseJob else { return }
        try store.read { try $0.checkLease(job: leaseJob, runId: runId) }
    }

    /// The status views' database (`views/status.sqlite`).
    public func viewStore() throws -> ViewStore { try views.open() }

    /// The product catalog; an invalid catalog stops the run (exit 65) before anything is priced.
    public func catalog() throws -> ProductCatalog {
        if let loadedCatalog { return loadedCatalog }
        let catalog = try CatalogService.load(home: home)
        loadedCatalog = catalog
        return catalog
    }

    public func composer() throws -> AlarmComposer {
        if let loadedComposer { return loadedComposer }
        let composer: AlarmComposer
        do {
            composer = try AlarmComposer(templates: AlarmTemplateFile.load(from: home.templates))
        } catch {
            throw RunnerError.invalidInput("alarm templates in \(home.templates.path): \(error)")
        }
        loadedComposer = composer
        return composer
    }
}

/// Loads the home's catalog and turns diagnostics into a run-stopping error.
public enum CatalogService {
    public static func load(home: Home) throws -> ProductCatalog {
        let (catalog, diagnostics) = CatalogLoader.load(directory: home.catalog.path)
        guard let catalog, diagnostics.isEmpty else {
            let shown = diagnostics.prefix(20).map { "\($0)" }.joined(separator: "\n")
            throw RunnerError.invalidInput("the catalog in \(home.catalog.path) is invalid; nothing was priced:\n\(shown)"
                + (diagnostics.count > 20 ? "\n... and \(diagnostics.count - 20) more" : ""))
        }
        return catalog
    }
}

/// Opens a home's views database once, for every context of a run that asks for it.
public final class ViewStoreOpener: @unchecked Sendable {
    private let home: Home
    private let lock = NSLock()
    private var opened: ViewStore?

    init(home: Home) { self.home = home }

    func open() throws -> ViewStore {
        try lock.withLock {
            if let opened { return opened }
            let store = try ViewStore(path: home.viewStore.path)
            opened = store
            return store
        }
    }
}
