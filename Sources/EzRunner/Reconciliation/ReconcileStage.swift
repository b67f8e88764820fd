import EzAdapters
import EzCore
import Foundation
import Logging

/// The nightly reconciliation (정산 대사): for a business date, matches our payments and
/// refunds to the PG's settlement statement and writes `reports/reconcile-YYYY-MM-DD.md`,
/// `.csv` and `.html` (self-contained, inline SVG chart), atomically.
///
/// The statement is `settlements/settlement-YYYY-MM-DD.csv`. When it is missing it is
/// fetched: exported from the sandbox ledger when the gateway is the sandbox, downloaded
/// (`GET /v1/settlements?date=`) when it is an HTTP PG; else the report says "statement
/// missing". The reports hold no clock reading: the same ledger and statement give the same
/// bytes. Counts: `processed` = matched lines, `failed` = discrepancies, `files` = reports written.
public struct ReconcileStage {
    public static let stageName = "reconcile"
    /// How many nights `runNightly` catches up at most.
    public static let maxCatchUpDays = 31

    public init() {}

    /// The paths of the three reports of a date.
    public static func reportURLs(home: Home, date: BusinessDate) -> (markdown: URL, csv: URL, html: URL) {
        let base = home.reports.appendingPathComponent("reconcile-\(date)")
        return (base.appendingPathExtension("md"), base.appendingPathExtension("csv"), base.appendingPathExtension("html"))
    }

    /// Reconciles `date` and writes its reports.
    public func run(_ ctx: RunContext, date: BusinessDate) throws -> StageCounts {
        try reconcile(ctx, date: date).counts
    }

    /// Reconciles `date`; returns the report too (for `report reconcile`).
    public func reconcile(_ ctx: RunContext, date: BusinessDate) throws -> (report: ReconciliationReport, counts: StageCounts) {
        var counts = StageCounts(stage: Self.stageName)
        let statementURL = ctx.home.settlements.appendingPathComponent("settlement-\(date).csv")
        if !FileManager.default.fileExists(atPath: statementURL.path) {
            if let how = fetchStatement(ctx, date: date, to: statementURL) { counts.notes.append(how) }
        }
        let urls = Self.reportURLs(home: ctx.home, date: date)
        try FileManager.default.createDirectory(at: ctx.home.reports, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        // The matched lines' CSV rows, written as they are matched; the CSV is assembled from
        // them once the counts of its summary rows are known.
        let matchedRows = ctx.home.reports.appendingPathComponent(".reconcile-\(date).matched.tmp")
        defer { try? FileManager.default.removeItem(at: matchedRows) }
        let (report, ours) = try reconciled(ctx, date: date, statementURL: statementURL,
                                            matchedRows: try BufferedFile(creating: matchedRows))
        counts.read = report.statementLines + ours
        try AtomicFile.write(ReconciliationRenderer.markdown(report), to: urls.markdown)
        try AtomicFile.stream(to: urls.csv) { csv in
            try csv.write(ReconciliationRenderer.csvHead(report))
            try csv.append(contentsOf: matchedRows)
            try csv.write(ReconciliationRenderer.csvTail(report))
            return true
        }
        try AtomicFile.write(ReconciliationRenderer.html(report), to: urls.html)
        counts.processed = report.matchedCount
        counts.failed = report.discrepancies.count
        counts.files = 3
        counts.notes.append(Self.note(report) + ": reports/\(urls.markdown.lastPathComponent)")
        ctx.logger.info("reconcile \(date): \(Self.note(report))")
        return (report, counts)
    }

    /// The report of `date` and the number of our payments settled on it; each matched
    /// line's CSV row is written to `matchedRows` as it is matched. Streamed: the statement is
    /// read a chunk at a time, each line's payment looked up by its key, and our payments of
    /// the date read a row at a time, so the memory held is that of the discrepancies and of
    /// the row ids of our payments found on the statement (8 bytes a line), whatever the
    /// night's size (a 1M night took 0.9 GB when the statement and the ledger were read whole).
    private func reconciled(_ ctx: RunContext, date: BusinessDate, statementURL: URL,
                            matchedRows: BufferedFile) throws -> (ReconciliationReport, Int) {
        try ctx.store.read { tx -> (ReconciliationReport, Int) in
            var matcher = ReconciliationMatcher(date: date)
            // Row ids of our payments whose key is on a line of the statement.
            var onStatement: [Int64] = []
            let present = try Self.forEachLine(ofStatement: statementURL) { item in
                switch item {
                case .error(let error):
                    matcher.unreadable(error)
                case .record(let line):
                    let ours = try tx.ledgerPayment(key: line.idempotencyKey)
                    if let ours { onStatement.append(ours.id) }
                    if let match = matcher.line(line, ours: ours?.payment) {
                        try matchedRows.write(ReconciliationRenderer.csvRow(match))
                    }
                }
            }
            onStatement.sort()
            var ours = 0
            var notOnStatement: [LedgerPayment] = []
            try tx.forEachLedgerPayment(settledOn: date) { id, payment in
                ours += 1
                matcher.settled(payment)
                if present && !onStatement.containsSorted(id) { notOnStatement.append(payment) }
            }
            onStatement = []
            notOnStatement.sort { $0.idempotencyKey < $1.idempotencyKey }
            let other = notOnStatement.isEmpty ? [:]
                : try earlierStatementKeys(ctx, before: date, wanted: Set(notOnStatement.map(\.idempotencyKey)))
            for payment in notOnStatement {
                if let match = matcher.notOnStatement(payment, other: other[payment.idempotencyKey]) {
                    try matchedRows.write(ReconciliationRenderer.csvRow(match))
                }
            }
            try matchedRows.flush()
            let report = matcher.report(
                statement: present ? .present : .missing, source: statementURL.lastPathComponent,
                overdueRefunds: try tx.overdueRefunds(before: date),
                activeWithoutCharge: try tx.activePoliciesWithoutCharge(asOf: date),
                chargesWithoutPolicy: try tx.chargesWithoutPolicy(asOf: date),
                operations: try tx.operationsSummary(on: date))
            return (report, ours)
        }
    }

    /// Catches up missed nights: reconciles every date before the run's business date that
    /// has no report yet, from the day after the latest report (or the first settled
    /// payment) up to the day before `ctx.asOf`, at most `maxCatchUpDays` nights.
    public func runNightly(_ ctx: RunContext) throws -> StageCounts {
        let last = ctx.asOf.adding(days: -1)
        let fm = FileManager.default
        let existing = ((try? fm.contentsOfDirectory(atPath: ctx.home.reports.path)) ?? [])
            .compactMap { name -> BusinessDate? in
                guard name.hasPrefix("reconcile-"), name.hasSuffix(".md") else { return nil }
                return BusinessDate(String(name.dropFirst("reconcile-".count).dropLast(3)))
            }
            .filter { $0 <= last }
        var start: BusinessDate
        if let latest = existing.max() {
            start = latest.adding(days: 1)
        } else {
            start = try ctx.store.read { try $0.firstSettlementDate() } ?? last
        }
        start = max(start, last.adding(days: -(Self.maxCatchUpDays - 1)))
        var total = StageCounts(stage: Self.stageName)
        guard start <= last else {
            total.notes.append("reconciled up to \(last) already")
            return total
        }
        var date = start
        var nights: [String] = []
        while date <= last {
            let c = try run(ctx, date: date)
            total.read += c.read
            total.processed += c.processed
            total.failed += c.failed
            total.files += c.files
            nights.append("\(date): \(c.failed) discrepanc\(c.failed == 1 ? "y" : "ies")")
            date = date.adding(days: 1)
        }
        total.notes.append(nights.count == 1 ? nights[0] : "\(nights.count) nights (\(nights.joined(separator: "; ")))")
        return total
    }

    static func note(_ r: ReconciliationReport) -> String {
        if r.discrepancies.isEmpty { return "\(r.matchedCount) matched, no discrepancies" }
        let parts = Discrepancy.Kind.allCases.compactMap { k -> String? in
            let n = r.count(k)
            return n == 0 ? nil : "\(n) \(k.title.lowercased())"
        }
        return "\(r.matchedCount) matched, \(r.discrepancies.count) discrepanc\(r.discrepancies.count == 1 ? "y" : "ies") (\(parts.joined(separator: ", ")))"
    }

    /// Exports or downloads a missing statement; a note saying how, or nil when it stays missing.
    private func fetchStatement(_ ctx: RunContext, date: BusinessDate, to url: URL) -> String? {
        do {
            let config = try GatewayConfig.load(home: ctx.home.root)
            switch config.kind {
            case .sandbox:
                try SandboxGateway(home: ctx.home.root).exportSettlement(date: date, to: ctx.home.settlements)
                return "statement exported from the sandbox ledger"
            case .http:
                guard let gateway = try config.makeBareGateway(home: ctx.home.root) as? HTTPPaymentGateway else { return nil }
                try FileManager.default.createDirectory(at: ctx.home.settlements, withIntermediateDirectories: true)
                try gateway.downloadSettlementStatement(date: date, to: url)
                return "statement downloaded from \(gateway.baseURL.absoluteString)"
            }
        } catch {
            ctx.logger.warning("reconcile \(date): settlement statement missing and not fetched: \(error)")
            return "statement missing: \(error)"
        }
    }

    /// Keys (of `wanted`) on the statements of the 7 days before `date` that exist.
    private func earlierStatementKeys(_ ctx: RunContext, before date: BusinessDate,
                                      wanted: Set<String>) throws -> [String: BusinessDate] {
        var found: [String: BusinessDate] = [:]
        for back in 1...7 {
            let day = date.adding(days: -back)
            try Self.forEachLine(ofStatement: ctx.home.settlements.appendingPathComponent("settlement-\(day).csv")) { item in
                if case .record(let r) = item, wanted.contains(r.idempotencyKey), found[r.idempotencyKey] == nil {
                    found[r.idempotencyKey] = day
                }
            }
        }
        return found
    }

    /// Calls `body` with each line of the statement at `url` (a record, or why it could not be
    /// read), the file read a chunk at a time; false when there is no such statement.
    @discardableResult
    private static func forEachLine(ofStatement url: URL,
                                    _ body: (SettlementStatementReader.Item) throws -> Void) throws -> Bool {
        var reader = SettlementStatementReader()
        guard try ChunkedFile.read(url, { try reader.read($0).forEach(body) }) else { return false }
        try reader.finish().forEach(body)
        return true
    }
}

extension Array where Element: Comparable {
    /// Whether the array, sorted in ascending order, holds `value` (binary search).
    func containsSorted(_ value: Element) -> Bool {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if self[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low < count && self[low] == value
    }
}
