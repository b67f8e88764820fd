import Foundation

/// The reconciliation report as Markdown, CSV and a self-contained HTML page with an inline
/// SVG chart (no script, no network). Pure: no clock, so a rerun gives the same bytes.
public enum ReconciliationRenderer {
    /// Matched lines the Markdown and HTML reports list, the first in the statement's order;
    /// every matched line is in the CSV. A 1M night matches 865,000 lines: listed in full, the
    /// Markdown page was 86 MB and the HTML page 157 MB, more than anyone reads or a browser
    /// opens, and most of the report's time.
    public static let matchedListed = 1_000

    /// The line after a cut list of matched lines.
    static func matchedCut(_ r: ReconciliationReport) -> String? {
        guard r.matchedCount > matchedListed else { return nil }
        return "The first \(matchedListed) of \(r.matchedCount) matched lines; all of them are in reconcile-\(r.date).csv."
    }

    // MARK: Markdown

    public static func markdown(_ r: ReconciliationReport) -> String {
        var out = "# Reconciliation \(r.date)\n\n"
        out += "Statement: \(r.statement == .present ? "\(r.statementSource), \(r.statementLines) line(s)" : "MISSING (\(r.statementSource))")\n\n"
        out += "| | count |\n|---|---:|\n"
        out += "| matched | \(r.matchedCount) |\n"
        for kind in Discrepancy.Kind.allCases {
            out += "| \(kind.title.lowercased()) | \(r.count(kind)) |\n"
        }
        out += "| **discrepancies** | **\(r.discrepancies.count)** |\n\n"

        out += "## Totals per product\n\n"
        if r.productTotals.isEmpty {
            out += "(no approved payments on this date)\n\n"
        } else {
            out += "| product | charges | charged (KRW) | refunds | refunded (KRW) | fees (KRW) | net (KRW) |\n"
            out += "|---|---:|---:|---:|---:|---:|---:|\n"
            for t in r.productTotals {
                out += "| \(md(t.productCode)) | \(t.charges) | \(Won.format(t.chargeAmount)) | \(t.refunds) | \(Won.format(t.refundAmount)) | \(Won.format(t.fees)) | \(Won.format(t.net)) |\n"
            }
            let sum = grandTotal(r)
            out += "| **total** | \(sum.charges) | \(Won.format(sum.chargeAmount)) | \(sum.refunds) | \(Won.format(sum.refundAmount)) | \(Won.format(sum.fees)) | \(Won.format(sum.net)) |\n"
            out += "\n"
        }

        out += "## Discrepancies\n\n"
        if r.discrepancies.isEmpty { out += "None: our ledger and the statement agree.\n\n" }
        for kind in Discrepancy.Kind.allCases {
            let items = r.discrepancies.filter { $0.kind == kind }
            guard !items.isEmpty else { continue }
            out += "### \(kind.title) (\(items.count))\n\n"
            out += "| reference | order | product | ours (KRW) | theirs (KRW) | detail |\n|---|---|---|---:|---:|---|\n"
            for d in items {
                out += "| \(md(d.reference)) | \(md(d.orderId)) | \(md(d.productCode)) | \(amount(d.ourAmount)) | \(amount(d.theirAmount)) | \(md(d.detail)) |\n"
            }
            out += "\n"
        }

        out += "## Matched (\(r.matchedCount))\n\n"
        if !r.matched.isEmpty {
            out += "| idempotency key | transaction | order | product | type | status | amount (KRW) | fee (KRW) | note |\n"
            out += "|---|---|---|---|---|---|---:|---:|---|\n"
            for m in r.matched.prefix(matchedListed) {
                out += "| \(md(m.idempotencyKey)) | \(md(m.transactionId)) | \(md(m.orderId)) | \(md(m.productCode)) | \(m.type) | \(m.status) | \(Won.format(m.amount)) | \(Won.format(m.fee)) | \(md(m.timingNote ?? "")) |\n"
            }
            out += "\n"
            if let cut = matchedCut(r) { out += cut + "\n\n" }
        }

        out += "## Operations summary\n\n"
        let o = r.operations
        out += "| | count |\n|---|---:|\n"
        for (label, value) in operationRows(o) { out += "| \(label) | \(value) |\n" }
        out += "\n"
        for (title, tallies) in operationTallies(o) where !tallies.isEmpty {
            out += "### \(title)\n\n| reason | count |\n|---|---:|\n"
            for t in tallies { out += "| \(md(t.label)) | \(t.count) |\n" }
            out += "\n"
        }
        return out
    }

    // MARK: CSV

    public static let csvHeader = "section,category,reference,order_id,product_code,type,status,our_amount,their_amount,fee,detail"

    /// One row per matched line, discrepancy, product total and operations figure: `csvHead`,
    /// a `csvRow` per line of `matched`, `csvTail`.
    public static func csv(_ r: ReconciliationReport) -> String {
        csvHead(r) + r.matched.map(csvRow).joined() + csvTail(r)
    }

    /// The header and the summary rows, each ending with its line feed.
    public static func csvHead(_ r: ReconciliationReport) -> String {
        csvRows([
            ["summary", "statement", r.statementSource, "", "", "", r.statement.rawValue, "", "", "", "\(r.statementLines) line(s)"],
            ["summary", "matched", "", "", "", "", "", "", "", "", String(r.matchedCount)],
            ["summary", "discrepancies", "", "", "", "", "", "", "", "", String(r.discrepancies.count)],
        ], header: true)
    }

    /// The row of one matched line (what a streamed report writes as each line is matched).
    public static func csvRow(_ m: Match) -> String {
        csvRows([["matched", "MATCHED", m.idempotencyKey, m.orderId, m.productCode, m.type, m.status,
                  String(m.amount), String(m.amount), String(m.fee), m.timingNote ?? m.transactionId]])
    }

    /// The rows after the matched lines: discrepancies, totals per product, operations.
    public static func csvTail(_ r: ReconciliationReport) -> String {
        var rows: [[String]] = []
        for d in r.discrepancies {
            rows.append(["discrepancy", d.kind.rawValue, d.reference, d.orderId, d.productCode, "", "",
                         d.ourAmount.map(String.init) ?? "", d.theirAmount.map(String.init) ?? "", "", d.detail])
        }
        for t in r.productTotals {
            rows.append(["product_total", "charges", "", "", t.productCode, "charge", "", String(t.chargeAmount), "", String(t.fees), "\(t.charges)"])
            rows.append(["product_total", "refunds", "", "", t.productCode, "cancel", "", String(t.refundAmount), "", "", "\(t.refunds)"])
            rows.append(["product_total", "net", "", "", t.productCode, "", "", String(t.net), "", "", ""])
        }
        for (label, value) in operationRows(r.operations) {
            rows.append(["operations", label, "", "", "", "", "", "", "", "", value.replacingOccurrences(of: ",", with: "")])
        }
        for (title, tallies) in operationTallies(r.operations) {
            for t in tallies { rows.append(["operations", title, t.label, "", "", "", "", "", "", "", String(t.count)]) }
        }
        return csvRows(rows)
    }

    private static func csvRows(_ rows: [[String]], header: Bool = false) -> String {
        var out = header ? csvHeader + "\n" : ""
        for fields in rows { out += fields.map(csvField).joined(separator: ",") + "\n" }
        return out
    }

    // MARK: HTML

    public static func html(_ r: ReconciliationReport) -> String {
        let ok = r.discrepancies.isEmpty
        var body = """
        <h1>Reconciliation \(r.date)</h1>
        <p class="verdict \(ok ? "ok" : "bad")">\(ok ? "Our ledger and the PG statement agree." : "\(r.discrepancies.count) discrepanc\(r.discrepancies.count == 1 ? "y" : "ies") to review.")</p>
        <p>Statement: \(h(r.statement == .present ? "\(r.statementSource), \(r.statementLines) line(s)" : "MISSING (\(r.statementSource))"))</p>
        <div class="cards">
        """
        body += card("matched", r.matchedCount, good: true)
        for kind in Discrepancy.Kind.allCases where kind != .statementUnreadableLine || r.count(kind) > 0 {
            body += card(kind.title, r.count(kind), good: r.count(kind) == 0)
        }
        body += "</div>\n<h2>Totals per product</h2>\n"
        body += chart(r)
        if !r.productTotals.isEmpty {
            body += "<table><thead><tr><th>product</th><th>charges</th><th>charged (KRW)</th><th>refunds</th><th>refunded (KRW)</th><th>fees (KRW)</th><th>net (KRW)</th></tr></thead><tbody>\n"
            for t in r.productTotals + [grandTotal(r)] {
                let strong = t.productCode == "total"
                body += "<tr\(strong ? " class=\"total\"" : "")><td>\(h(t.productCode))</td><td class=\"n\">\(t.charges)</td><td class=\"n\">\(Won.format(t.chargeAmount))</td><td class=\"n\">\(t.refunds)</td><td class=\"n\">\(Won.format(t.refundAmount))</td><td class=\"n\">\(Won.format(t.fees))</td><td class=\"n\">\(Won.format(t.net))</td></tr>\n"
            }
            body += "</tbody></table>\n"
        }
        body += "<h2>Discrepancies</h2>\n"
        if ok { body += "<p>None.</p>\n" }
        for kind in Discrepancy.Kind.allCases {
            let items = r.discrepancies.filter { $0.kind == kind }
            guard !items.isEmpty else { continue }
            body += "<h3>\(h(kind.title)) (\(items.count))</h3>\n<table><thead><tr><th>reference</th><th>order</th><th>product</th><th>ours (KRW)</th><th>theirs (KRW)</th><th>detail</th></tr></thead><tbody>\n"
            for d in items {
                body += "<tr class=\"bad\"><td>\(h(d.reference))</td><td>\(h(d.orderId))</td><td>\(h(d.productCode))</td><td class=\"n\">\(amount(d.ourAmount))</td><td class=\"n\">\(amount(d.theirAmount))</td><td>\(h(d.detail))</td></tr>\n"
            }
            body += "</tbody></table>\n"
        }
        body += "<h2>Matched (\(r.matchedCount))</h2>\n"
        if !r.matched.isEmpty {
            body += "<table><thead><tr><th>idempotency key</th><th>transaction</th><th>order</th><th>product</th><th>type</th><th>status</th><th>amount (KRW)</th><th>fee (KRW)</th><th>note</th></tr></thead><tbody>\n"
            for m in r.matched.prefix(matchedListed) {
                body += "<tr><td>\(h(m.idempotencyKey))</td><td>\(h(m.transactionId))</td><td>\(h(m.orderId))</td><td>\(h(m.productCode))</td><td>\(m.type)</td><td>\(m.status)</td><td class=\"n\">\(Won.format(m.amount))</td><td class=\"n\">\(Won.format(m.fee))</td><td>\(h(m.timingNote ?? ""))</td></tr>\n"
            }
            body += "</tbody></table>\n"
            if let cut = matchedCut(r) { body += "<p>\(h(cut))</p>\n" }
        }
        body += "<h2>Operations summary</h2>\n<table class=\"ops\"><tbody>\n"
        for (label, value) in operationRows(r.operations) {
            body += "<tr><td>\(h(label))</td><td class=\"n\">\(h(value))</td></tr>\n"
        }
        body += "</tbody></table>\n"
        for (title, tallies) in operationTallies(r.operations) where !tallies.isEmpty {
            body += "<h3>\(h(title))</h3>\n<table><tbody>\n"
            for t in tallies { body += "<tr><td>\(h(t.label))</td><td class=\"n\">\(t.count)</td></tr>\n" }
            body += "</tbody></table>\n"
        }
        return """
        <!DOCTYPE html>
        <html lang="ko">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Reconciliation \(r.date)</title>
        <style>
        body { font-family: -apple-system, "Segoe UI", "Noto Sans KR", "Malgun Gothic", sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #1f2933; }
        h1 { margin-bottom: .2rem; }
        h2 { margin-top: 2rem; border-bottom: 1px solid #d9e2ec; padding-bottom: .3rem; }
        table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; }
        th, td { border: 1px solid #d9e2ec; padding: .3rem .6rem; text-align: left; }
        th { background: #f0f4f8; }
        td.n { text-align: right; font-variant-numeric: tabular-nums; }
        tr.total td { font-weight: bold; background: #f0f4f8; }
        tr.bad td { background: #fff5f5; }
        .verdict { font-weight: bold; padding: .5rem .8rem; border-radius: 4px; display: inline-block; }
        .verdict.ok { background: #e3f9e5; color: #05400a; }
        .verdict.bad { background: #ffe3e3; color: #610404; }
        .cards { display: flex; flex-wrap: wrap; gap: .6rem; margin: 1rem 0; }
        .card { border: 1px solid #d9e2ec; border-radius: 6px; padding: .5rem .8rem; min-width: 9rem; }
        .card .v { font-size: 1.5rem; font-weight: bold; }
        .card.bad { border-color: #e12d39; color: #8a041a; }
        .card.good .v { color: #0e7c86; }
        svg text { font-family: inherit; }
        </style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }

    /// Grouped bars per product: charged, refunded and net (KRW).
    static func chart(_ r: ReconciliationReport) -> String {
        let totals = r.productTotals
        guard !totals.isEmpty else { return "<p>(no approved payments on this date)</p>\n" }
        let series: [(String, String, (ProductTotal) -> Int64)] = [
            ("charged", "#2f80ed", { $0.chargeAmount }),
            ("refunded", "#f2994a", { $0.refundAmount }),
            ("net", "#27ae60", { max(0, $0.net) }),
        ]
        let maxValue = max(1, totals.flatMap { t in series.map { $0.2(t) } }.max() ?? 1)
        let barWidth = 26, gap = 6, groupGap = 40, left = 90, top = 30, plotHeight = 220
        let groupWidth = series.count * barWidth + (series.count - 1) * gap
        let width = left + totals.count * (groupWidth + groupGap) + 20
        let height = top + plotHeight + 60
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"Amounts per product on \(r.date)\">\n"
        svg += "<title>Charged, refunded and net KRW per product on \(r.date)</title>\n"
        for i in 0...4 {
            let value = maxValue * Int64(i) / 4
            let y = top + plotHeight - Int(Int64(plotHeight) * Int64(i) / 4)
            svg += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(width - 10)\" y2=\"\(y)\" stroke=\"#d9e2ec\"/>\n"
            svg += "<text x=\"\(left - 6)\" y=\"\(y + 4)\" font-size=\"11\" text-anchor=\"end\" fill=\"#52606d\">\(Won.format(value))</text>\n"
        }
        for (g, t) in totals.enumerated() {
            let x0 = left + 20 + g * (groupWidth + groupGap)
            for (s, (name, color, value)) in series.enumerated() {
                let v = value(t)
                let h = Int(Int64(plotHeight) * v / maxValue)
                let x = x0 + s * (barWidth + gap)
                svg += "<rect x=\"\(x)\" y=\"\(top + plotHeight - h)\" width=\"\(barWidth)\" height=\"\(h)\" fill=\"\(color)\"><title>\(h_(t.productCode)) \(name): \(Won.format(v)) KRW</title></rect>\n"
            }
            svg += "<text x=\"\(x0 + groupWidth / 2)\" y=\"\(top + plotHeight + 18)\" font-size=\"12\" text-anchor=\"middle\">\(h_(t.productCode))</text>\n"
        }
        for (s, (name, color, _)) in series.enumerated() {
            let x = left + s * 110
            svg += "<rect x=\"\(x)\" y=\"\(height - 22)\" width=\"12\" height=\"12\" fill=\"\(color)\"/><text x=\"\(x + 18)\" y=\"\(height - 12)\" font-size=\"12\">\(name)</text>\n"
        }
        svg += "<text x=\"\(left)\" y=\"\(top - 12)\" font-size=\"12\" fill=\"#52606d\">KRW</text>\n"
        svg += "</svg>\n"
        return svg
    }

    // MARK: Shared

    static func grandTotal(_ r: ReconciliationReport) -> ProductTotal {
        var sum = ProductTotal(productCode: "total")
        for t in r.productTotals {
            sum.charges += t.charges
            sum.chargeAmount += t.chargeAmount
            sum.refunds += t.refunds
            sum.refundAmount += t.refundAmount
            sum.fees += t.fees
        }
        return sum
    }

    static func operationRows(_ o: OperationsSummary) -> [(String, String)] {
        [("requests received", String(o.requestsReceived)), ("accepted", String(o.accepted)),
         ("duplicates", String(o.duplicates)), ("rejected", String(o.rejected)),
         ("unreadable files", String(o.unreadableFiles)), ("quotes", String(o.quotes)),
         ("plans declined", String(o.plansDeclined)), ("payments deferred", String(o.paymentsDeferred)),
         ("contracts", String(o.contracts)), ("premium written (KRW)", Won.format(o.premiumWritten)),
         ("withdrawals requested", String(o.withdrawalsRequested)),
         ("withdrawals completed", String(o.withdrawalsCompleted)),
         ("withdrawals cancelled (unpaid)", String(o.withdrawalsCancelled)),
         ("withdrawals rejected", String(o.withdrawalsRejected)), ("refunds", String(o.refunds)),
         ("refunded (KRW)", Won.format(o.refundAmount))]
    }

    static func operationTallies(_ o: OperationsSummary) -> [(String, [Tally])] {
        [("Rejected by reason", o.rejectedByReason), ("Failed requests by reason", o.failedByReason),
         ("Underwriting declines by reason", o.underwritingDeclinesByReason),
         ("Payment declines by reason", o.paymentDeclinesByReason)]
    }

    static func card(_ title: String, _ count: Int, good: Bool) -> String {
        "<div class=\"card \(good ? "good" : "bad")\"><div>\(h(title))</div><div class=\"v\">\(count)</div></div>\n"
    }

    static func amount(_ v: Int64?) -> String { v.map(Won.format) ?? "-" }

    /// Markdown table cell: pipes and newlines escaped.
    static func md(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// HTML text escaping.
    static func h(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    private static func h_(_ s: String) -> String { h(s) }

    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
