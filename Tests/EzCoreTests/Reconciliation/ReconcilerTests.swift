import Foundation
@testable import EzCore
import Testing

private let d = BusinessDate("2026-12-01")!

private func ours(_ key: String, _ order: String, kind: LedgerPayment.Kind = .charge, amount: Int64,
                  status: LedgerPayment.Status = .approved, on: BusinessDate? = d, tx: String? = nil,
                  product: String = "P00000001") -> LedgerPayment {
    LedgerPayment(idempotencyKey: key, proposalNo: order, productCode: product, kind: kind, amount: amount,
                  status: status, settledOn: status == .pending ? nil : on, gatewayTxId: tx)
}

private let statement = """
    transaction_id,idempotency_key,order_id,type,amount,fee,approved_at,status
    T0000000001,chg-PR1-1,PR1,charge,22740,500,2026-12-01,approved
    T0000000002,chg-PR2-1,PR2,charge,30000,660,2026-12-01,approved
    T0000000003,chg-PR3-1,PR3,charge,10000,0,2026-12-01,declined
    T0000000004,rfd-PR1,PR1,cancel,22740,500,2026-12-01,approved

    """

@Suite struct SettlementStatementTests {
    @Test func parsesTheSandboxStatement() {
        let (records, errors) = SettlementStatement.parse(statement)
        #expect(errors.isEmpty)
        #expect(records.count == 4)
        #expect(records[0] == SettlementRecord(transactionId: "T0000000001", idempotencyKey: "chg-PR1-1", orderId: "PR1",
                                               type: "charge", amount: 22740, fee: 500, approvedAt: "2026-12-01",
                                               status: "approved", line: 2))
        #expect(records[3].type == "cancel")
    }

    @Test func quotedFieldsCRLFAndBadLines() {
        let text = "transaction_id,idempotency_key,order_id,type,amount,fee,approved_at,status\r\n"
            + "T1,\"key,with,commas\",O1,charge,100,2,2026-12-01,approved\r\n"
            + "T2,k2,O2,charge,lots,2,2026-12-01,approved\r\n"
        let (records, errors) = SettlementStatement.parse(text)
        #expect(records.map(\.idempotencyKey) == ["key,with,commas"])
        #expect(errors.map(\.line) == [3])
    }

    @Test func aQuoteNeverClosedIsAnErrorNotALoss() {
        let text = statement + "T9,\"broken,quote\nT10,k10,O10,charge,5,0,2026-12-01,approved\n"
        let (records, errors) = SettlementStatement.parse(text)
        #expect(records.count == 4)
        #expect(errors == [SettlementParseError(line: 6, reason: "a quoted field opened on this line is never closed: lines 6–7 unreadable")])
        // Without the last line feed, and read in pieces: the same.
        #expect(SettlementStatement.parse(String(text.dropLast())).errors.map(\.line) == [6])
        var reader = SettlementStatementReader()
        var items: [SettlementStatementReader.Item] = []
        for byte in Array(text.utf8) { items += withUnsafeBytes(of: byte) { reader.read($0) } }
        items += reader.finish()
        #expect(items.filter { if case .error = $0 { true } else { false } }.count == 1)
    }

    @Test func aHeaderWithoutTheColumnsIsAnError() {
        #expect(SettlementStatement.parse("a,b\n1,2\n").errors.count == 1)
    }

    /// The reader of the versions before 2026-12-06 (an array of every character of the
    /// statement first), kept as the reference the byte reader must agree with.
    private static func referenceRows(_ text: String) -> [(line: Int, fields: [String])] {
        var rows: [(Int, [String])] = []
        var fields: [String] = [], field = "", quoted = false, line = 1, rowStart = 1
        var chars = Array(text.unicodeScalars.map(Character.init))
        if chars.last != "\n" { chars.append("\n") }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                fields.append(field); field = ""
            } else if c == "\r" {
            } else if c == "\n" {
                fields.append(field); rows.append((rowStart, fields)); fields = []; field = ""; line += 1; rowStart = line
            } else {
                field.append(c)
            }
            i += 1
        }
        return rows
    }

    @Test func theByteReaderReadsWhatTheCharacterReaderRead() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["a", "b", "한", "😀", ",", "\"", "\"\"", "\n", "\r\n", "\r", " ", "12", "é"]
        var texts = ["", "\n", "a", "a,b", "\"x", "\"a\nb\",c\n", "x\r\ny\r\n", "\u{FEFF}a,b\n"]
        for _ in 0..<2_000 {
            texts.append((0..<Int.random(in: 0...30, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
        }
        for text in texts {
            var rows: [(line: Int, fields: [String])] = []
            SettlementStatement.forEachRow(text) { rows.append(($0, $1)) }
            let reference = Self.referenceRows(text)
            #expect(rows.map(\.line) == reference.map(\.line), "\(text.debugDescription)")
            #expect(rows.map(\.fields) == reference.map(\.fields), "\(text.debugDescription)")
            // Read in pieces of random sizes (a file read a chunk at a time), cut anywhere:
            // inside a character, between a quote and the quote that doubles it, inside CRLF.
            var pieces: [(line: Int, fields: [String])] = []
            var reader = CSVRowReader()
            let bytes = Array(text.utf8)
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + Int.random(in: 1...4, using: &generator))
                bytes[start..<end].withUnsafeBytes { reader.read($0) { pieces.append(($0, $1)) } }
                start = end
            }
            reader.finish { pieces.append(($0, $1)) }
            #expect(pieces.map(\.line) == reference.map(\.line), "pieces of \(text.debugDescription)")
            #expect(pieces.map(\.fields) == reference.map(\.fields), "pieces of \(text.debugDescription)")
        }
    }

    @Test func aStatementReadInPiecesGivesWhatTheWholeTextGives() {
        let texts = [statement, "a,b\n1,2\n", "",
                     "transaction_id,idempotency_key,order_id,type,amount,fee,approved_at,status\r\n"
                        + "T1,\"key,with,\"\"commas\"\"\",O1,charge,100,2,2026-12-01,approved\r\n"
                        + "T2,k2,O2,charge,lots,2,2026-12-01,approved\r\nT3,k3\r\n\r\n"
                        + "T4,k4,O4,cancel,7,0,2026-12-01,declined"]
        for text in texts {
            let whole = SettlementStatement.parse(text)
            for size in [1, 2, 3, 7, 64] {
                var reader = SettlementStatementReader()
                var items: [SettlementStatementReader.Item] = []
                let bytes = Array(text.utf8)
                for start in stride(from: 0, to: bytes.count, by: size) {
                    bytes[start..<min(bytes.count, start + size)].withUnsafeBytes { items += reader.read($0) }
                }
                items += reader.finish()
                let records = items.compactMap { if case .record(let r) = $0 { r } else { nil } }
                let errors = items.compactMap { if case .error(let e) = $0 { e } else { nil } }
                #expect(records == whole.records, "\(text.debugDescription) in pieces of \(size)")
                #expect(errors == whole.errors, "\(text.debugDescription) in pieces of \(size)")
            }
        }
    }
}

@Suite struct ReconcilerTests {
    private func input(statementText: String? = statement, settled: [LedgerPayment], extra: [LedgerPayment] = []) -> ReconciliationInput {
        let parsed = statementText.map(SettlementStatement.parse)
        var byKey: [String: LedgerPayment] = [:]
        for p in settled + extra where parsed?.records.contains(where: { $0.idempotencyKey == p.idempotencyKey }) == true {
            byKey[p.idempotencyKey] = p
        }
        return ReconciliationInput(date: d, statement: parsed?.records, statementErrors: parsed?.errors ?? [],
                                   settledOnDate: settled, byStatementKey: byKey)
    }

    private let agreeing = [
        ours("chg-PR1-1", "PR1", amount: 22740, tx: "T0000000001"),
        ours("chg-PR2-1", "PR2", amount: 30000, tx: "T0000000002", product: "P00000002"),
        ours("chg-PR3-1", "PR3", amount: 10000, status: .declined, tx: "T0000000003"),
        ours("rfd-PR1", "PR1", kind: .refund, amount: 22740, tx: "T0000000004"),
    ]

    @Test func agreeingLedgersHaveNoDiscrepancies() {
        let r = Reconciler.reconcile(input(settled: agreeing), statementSource: "s.csv")
        #expect(r.discrepancies.isEmpty)
        #expect(r.matched.count == 4)
        #expect(r.productTotals.map(\.productCode) == ["P00000001", "P00000002"])
        let p1 = r.productTotals[0]
        #expect(p1.charges == 1 && p1.chargeAmount == 22740 && p1.refunds == 1 && p1.refundAmount == 22740)
        #expect(p1.fees == 0 && p1.net == 0)
        #expect(r.productTotals[1].fees == 660)
    }

    @Test func findsEveryKindOfMismatch() {
        var text = statement.replacingOccurrences(of: "T0000000002,chg-PR2-1,PR2,charge,30000", with: "T0000000002,chg-PR2-1,PR2,charge,31000")
        text = text.replacingOccurrences(of: "T0000000004,rfd-PR1,PR1,cancel,22740,500,2026-12-01,approved\n", with: "")
        text += "T0000000099,chg-FOREIGN-1,PR99,charge,5000,110,2026-12-01,approved\n"
        var settled = agreeing
        settled[2].status = .approved  // ours approved, theirs declined
        let r = Reconciler.reconcile(input(statementText: text, settled: settled), statementSource: "s.csv")
        #expect(r.count(.amountMismatch) == 1)
        #expect(r.count(.missingOnTheirSide) == 1)
        #expect(r.count(.missingOnOurSide) == 1)
        #expect(r.count(.statusMismatch) == 1)
        #expect(r.discrepancies.first { $0.kind == .missingOnTheirSide }?.reference == "rfd-PR1")
        #expect(r.discrepancies.first { $0.kind == .missingOnOurSide }?.reference == "chg-FOREIGN-1")
        let mismatch = r.discrepancies.first { $0.kind == .amountMismatch }
        #expect(mismatch?.ourAmount == 30000 && mismatch?.theirAmount == 31000)
        #expect(r.matched.map(\.idempotencyKey) == ["chg-PR1-1"])
    }

    @Test func aPendingRecordOfOursIsMissingOnOurSide() {
        let pending = ours("chg-PR2-1", "PR2", amount: 30000, status: .pending)
        let settled = [agreeing[0], agreeing[2], agreeing[3]]
        let r = Reconciler.reconcile(input(settled: settled, extra: [pending]), statementSource: "s.csv")
        #expect(r.count(.missingOnOurSide) == 1)
        #expect(r.discrepancies[0].detail.contains("PENDING"))
    }

    @Test func timingDifferencesStillMatch() {
        var late = agreeing[1]
        late.settledOn = d.adding(days: 1)
        let settled = [agreeing[0], agreeing[2], agreeing[3]]
        var i = input(settled: settled, extra: [late])
        i.settledOnDate.append(ours("chg-PR7-1", "PR7", amount: 100, tx: "T7"))
        i.onOtherStatements = ["chg-PR7-1": d.adding(days: -1)]
        let r = Reconciler.reconcile(i, statementSource: "s.csv")
        #expect(r.discrepancies.isEmpty)
        #expect(r.matched.first { $0.idempotencyKey == "chg-PR2-1" }?.timingNote == "settled on our side on 2026-12-02")
        #expect(r.matched.first { $0.idempotencyKey == "chg-PR7-1" }?.timingNote == "on the PG's statement of 2026-11-30")
    }

    @Test func aMissingStatementIsReported() {
        let r = Reconciler.reconcile(input(statementText: nil, settled: agreeing), statementSource: "settlement-2026-12-01.csv")
        #expect(r.statement == .missing)
        #expect(r.count(.statementMissing) == 1)
        #expect(r.count(.missingOnTheirSide) == 0)
    }

    @Test func ledgerChecksBecomeDiscrepancies() {
        var i = input(settled: agreeing)
        i.overdueRefunds = [OverdueRefund(withdrawalNo: "WD1", proposalNo: "PR5", productCode: "P00000001", amount: 900,
                                          dueOn: d.adding(days: -2), lastError: "gateway down")]
        i.activeWithoutCharge = [PolicyRef(policyNo: "PO1", proposalNo: "PR6", productCode: "P00000001", establishedOn: d)]
        i.chargesWithoutPolicy = [ours("chg-PR8-1", "PR8", amount: 700, tx: "T8")]
        let r = Reconciler.reconcile(i, statementSource: "s.csv")
        #expect(r.count(.refundOverdue) == 1 && r.count(.activeWithoutCharge) == 1 && r.count(.chargeWithoutPolicy) == 1)
        #expect(r.discrepancies.first { $0.kind == .refundOverdue }?.detail.contains("2 day(s) overdue") == true)
    }

    @Test func renderingIsDeterministicAndSelfContained() {
        var i = input(settled: agreeing)
        i.operations.requestsReceived = 5
        i.operations.rejectedByReason = Tally.of(["a", "b", "a"])
        let r = Reconciler.reconcile(i, statementSource: "s.csv")
        #expect(ReconciliationRenderer.html(r) == ReconciliationRenderer.html(Reconciler.reconcile(i, statementSource: "s.csv")))
        let html = ReconciliationRenderer.html(r)
        #expect(!html.contains("<script"))
        #expect(!html.contains("src=\"http"))
        #expect(html.contains("<svg"))
        let md = ReconciliationRenderer.markdown(r)
        #expect(md.contains("# Reconciliation 2026-12-01"))
        #expect(md.contains("| P00000001 | 1 | 22,740 | 1 | 22,740 |"))
        let csv = ReconciliationRenderer.csv(r)
        #expect(csv.hasPrefix(ReconciliationRenderer.csvHeader + "\n"))
        #expect(csv.contains("operations,Rejected by reason,a,,,,,,,,2"))
        #expect(i.operations.rejectedByReason == [Tally("a", 2), Tally("b", 1)])
    }

    @Test func aLargeDayListsItsFirstMatchedLinesInMarkdownAndHTMLAndAllInTheCSV() {
        let count = ReconciliationRenderer.matchedListed + 5
        let settled = (1...count).map { n in ours(String(format: "chg-PR%05d-1", n), "PR\(n)", amount: 1000, tx: "T\(n)") }
        let text = "transaction_id,idempotency_key,order_id,type,amount,fee,approved_at,status\n"
            + settled.map { "\($0.gatewayTxId!),\($0.idempotencyKey),\($0.proposalNo),charge,1000,10,2026-12-01,approved\n" }.joined()
        let r = Reconciler.reconcile(input(statementText: text, settled: settled), statementSource: "s.csv")
        #expect(r.matched.count == count)
        let md = ReconciliationRenderer.markdown(r)
        #expect(md.components(separatedBy: "| chg-PR").count - 1 == ReconciliationRenderer.matchedListed)
        #expect(md.contains("| chg-PR01000-1 |") && !md.contains("| chg-PR01001-1 |"))
        #expect(md.contains("The first 1000 of 1005 matched lines; all of them are in reconcile-2026-12-01.csv."))
        let html = ReconciliationRenderer.html(r)
        #expect(html.components(separatedBy: "<tr><td>chg-PR").count - 1 == ReconciliationRenderer.matchedListed)
        #expect(html.contains("<p>The first 1000 of 1005 matched lines; all of them are in reconcile-2026-12-01.csv.</p>"))
        let csv = ReconciliationRenderer.csv(r)
        #expect(csv.components(separatedBy: "\nmatched,MATCHED,").count - 1 == count)
        // A day within the limit is listed whole, without the note.
        let small = Reconciler.reconcile(input(settled: agreeing), statementSource: "s.csv")
        #expect(!ReconciliationRenderer.markdown(small).contains("The first"))
    }

    /// The stage streams: lines in the statement's order, each with our payment under its key;
    /// then our payments of the date; the matched rows written as they come. Its report and
    /// CSV must be those of the same inputs reconciled in memory, but for the list cut.
    @Test func matchingAsAStreamGivesTheReportOfTheInputsInMemory() {
        var settled = (1...40).map { n in
            ours(String(format: "chg-PR%03d-1", n), "PR\(n)", amount: Int64(1000 + n), tx: "T\(n)",
                 product: n % 3 == 0 ? "P00000002" : "P00000001")
        }
        settled.append(ours("rfd-PR001", "PR1", kind: .refund, amount: 1001, tx: "T101"))
        settled[4].status = .declined
        var lines = settled.map { p in
            "\(p.gatewayTxId!),\(p.idempotencyKey),\(p.proposalNo),\(p.kind == .charge ? "charge" : "cancel"),\(p.amount),"
                + "\(p.amount / 50),2026-12-01,\(p.status == .approved ? "approved" : "declined")"
        }
        lines[7] = lines[7].replacingOccurrences(of: ",1008,", with: ",1009,")  // amount mismatch
        lines[9] = lines[9].replacingOccurrences(of: ",approved", with: ",declined")  // status mismatch
        lines.remove(at: 12)  // ours missing on their side ...
        lines.remove(at: 20)  // ... and this one on an earlier statement
        lines.append("T900,chg-FOREIGN-1,PR900,charge,5000,100,2026-12-01,approved")  // not ours
        lines.append("T901,chg-PR999-1,PR999,charge,700,14,2026-12-01,approved")  // ours, settled the day after
        lines.append("T902,chg-PR998-1,PR998,charge,800,16,2026-12-01,approved")  // ours, still pending
        lines.append("T903,chg-PR997-1")  // unreadable
        lines.reverse()  // not in key order
        let text = "transaction_id,idempotency_key,order_id,type,amount,fee,approved_at,status\n" + lines.joined(separator: "\n") + "\n"
        let late = ours("chg-PR999-1", "PR999", amount: 700, on: d.adding(days: 1), tx: "T901")
        let pending = ours("chg-PR998-1", "PR998", amount: 800, status: .pending)
        var whole = input(statementText: text, settled: settled, extra: [late, pending])
        whole.onOtherStatements = [settled[21].idempotencyKey: d.adding(days: -1)]
        let inMemory = Reconciler.reconcile(whole, statementSource: "s.csv")

        var matcher = ReconciliationMatcher(date: d, listing: 5)
        var rows = ""
        let parsed = SettlementStatement.parse(text)
        parsed.errors.forEach { matcher.unreadable($0) }
        let ledger = Dictionary(uniqueKeysWithValues: (settled + [late, pending]).map { ($0.idempotencyKey, $0) })
        for line in parsed.records {
            if let m = matcher.line(line, ours: ledger[line.idempotencyKey]) { rows += ReconciliationRenderer.csvRow(m) }
        }
        let keys = Set(parsed.records.map(\.idempotencyKey))
        for p in settled {
            matcher.settled(p)
            if !keys.contains(p.idempotencyKey),
               let m = matcher.notOnStatement(p, other: whole.onOtherStatements[p.idempotencyKey]) {
                rows += ReconciliationRenderer.csvRow(m)
            }
        }
        let streamed = matcher.report(statement: .present, source: "s.csv")

        #expect(streamed.matchedCount == inMemory.matched.count && streamed.matchedCount == 39)
        #expect(streamed.matched == Array(inMemory.matched.prefix(5)))
        #expect(inMemory.matched.first?.idempotencyKey == "chg-PR999-1")  // the statement's first line
        #expect(inMemory.matched.last?.timingNote == "on the PG's statement of 2026-11-30")
        #expect(streamed.discrepancies == inMemory.discrepancies)
        #expect(streamed.discrepancies.map(\.kind) == [.statementUnreadableLine, .missingOnOurSide, .missingOnOurSide,
                                                       .missingOnTheirSide, .amountMismatch, .statusMismatch])
        #expect(streamed.productTotals == inMemory.productTotals)
        #expect(ReconciliationRenderer.csvHead(streamed) + rows + ReconciliationRenderer.csvTail(streamed)
                == ReconciliationRenderer.csv(inMemory))
    }
}
