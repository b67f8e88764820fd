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
        let (report, ours) = try reconciled(ctx, date: date, statementURL: statementURL)
        counts.read = report.statementLines + ours
        let urls = Self.reportURLs(home: ctx.home, date: date)
        try FileManager.default.createDirectory(at: ctx.home.reports, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try AtomicFile.write(ReconciliationRenderer.markdown(report), to: urls.markdown)
        try AtomicFile.write(ReconciliationRenderer.csv(report), to: urls.csv)
        try AtomicFile.write(ReconciliationRenderer.html(report), to: urls.html)
        counts.processed = report.matched.count
        counts.failed = report.discrepancies.count
        counts.files = 3
        counts.notes.append(Self.note(report) + ": reports/\(urls.markdown.lastPathComponent)")
        ctx.logger.info("reconcile \(date): \(Self.note(report))")
        return (report, counts)
    }

    /// The report of `date` and the number of our payments settled on it. The inputs (the
    /// day's ledger and statement, the largest part of the memory at 1M) end with this call,
    /// before the reports are rendered.
    private func reconciled(_ ctx: RunContext, date: BusinessDate, statementURL: URL) throws -> (ReconciliationReport, Int) {
        var records: [SettlementRecord]?
        var errors: [SettlementParseError] = []
        if let data = FileManager.default.contents(atPath: statementURL.path) {
            let parsed = SettlementStatement.parse(String(decoding: data, as: UTF8.self))
            records = parsed.records
            errors = parsed.errors
        }
        let input = try ctx.store.read { tx -> ReconciliationInput in
            let ours = try tx.ledgerPayments(settledOn: date)
            let onStatement = Set((records ?? []).map(\.idempotencyKey))
            // Our payments on the statement: those settled on the date are read already (the
            // same rows the lookup by key gives); only the others are looked up.
            var byKey: [String: LedgerPayment] = [:]
            byKey.reserveCapacity(onStatement.count)
            for payment in ours where onStatement.contains(payment.idempotencyKey) { byKey[payment.idempotencyKey] = payment }
            let others = onStatement.filter { byKey[$0] == nil }.sorted()
            for (key, payment) in try tx.ledgerPayments(keys: others) { byKey[key] = payment }
            let unmatched = Set(ours.map(\.idempotencyKey)).subtracting(onStatement)
            return ReconciliationInput(
                date: date, statement: records, statementErrors: errors, settledOnDate: ours, byStatementKey: byKey,
                onOtherStatements: unmatched.isEmpty ? [:] : earlierStatementKeys(ctx, before: date, wanted: unmatched),
                overdueRefunds: try tx.overdueRefunds(before: date),
                activeWithoutCharge: try tx.activePoliciesWithoutCharge(asOf: date),
                chargesWithoutPolicy: try tx.chargesWithoutPolicy(asOf: date),
                operations: try tx.operationsSummary(on: date))
        }
        return (Reconciler.reconcile(input, statementSource: statementURL.lastPathComponent), input.settledOnDate.count)
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
        if r.discrepancies.isEmpty { return "\(r.matched.count) matched, no discrepancies" }
        let parts = Discrepancy.Kind.allCases.compactMap { k -> String? in
            let n = r.count(k)
            return n == 0 ? nil : "\(n) \(k.title.lowercased())"
        }
        return "\(r.matched.count) matched, \(r.discrepancies.count) discrepanc\(r.discrepancies.count == 1 ? "y" : "ies") (\(parts.joined(separator: ", ")))"
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
                let text = try gateway.settlementStatement(date: date)
                try FileManager.default.createDirectory(at: ctx.home.settlements, withIntermediateDirectories: true)
                try AtomicFile.write(text, to: url)
                return "statement downloaded from \(gateway.baseURL.absoluteString)"
            }
        } catch {
            ctx.logger.warning("reconcile \(date): settlement statement missing and not fetched: \(error)")
            return "statement missing: \(error)"
        }
    }

    /// Keys (of `wanted`) on the statements of the 7 days before `date` that exist.
    private func earlierStatementKeys(_ ctx: RunContext, before date: BusinessDate, wanted: Set<String>) -> [String: BusinessDate] {
        var found: [String: BusinessDate] = [:]
        for back in 1...7 {
            let day = date.adding(days: -back)
            let url = ctx.home.settlements.appendingPathComponent("settlement-\(day).csv")
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            for r in SettlementStatement.parse(String(decoding: data, as: UTF8.self)).records
            where wanted.contains(r.idempotencyKey) && found[r.idempotencyKey] == nil {
                found[r.idempotencyKey] = day
            }
        }
        return found
    }
}
