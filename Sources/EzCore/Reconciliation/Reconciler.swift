/// Matches our payments of a business date to the PG's settlement statement. Pure: the
/// caller reads the ledger and the statement; the result is sorted, so equal inputs give
/// equal reports.
///
/// A statement line matches our payment with the same idempotency key when type, status and
/// amount agree (a line recorded by the PG on another date than ours still matches, with a
/// timing note). Lines without our payment (or whose payment is still pending on our side)
/// are missing on our side; our payments settled on the date without a line (on this or an
/// earlier statement) are missing on theirs.
public enum Reconciler {
    public static func reconcile(_ input: ReconciliationInput, statementSource: String) -> ReconciliationReport {
        var matched: [Match] = []
        var issues: [Discrepancy] = []
        var totals: [String: ProductTotal] = [:]
        let lines = input.statement ?? []

        func total(_ product: String, _ body: (inout ProductTotal) -> Void) {
            var t = totals[product] ?? ProductTotal(productCode: product)
            body(&t)
            totals[product] = t
        }

        if input.statement == nil {
            issues.append(Discrepancy(kind: .statementMissing, reference: "settlement-\(input.date).csv", orderId: "",
                                      productCode: "", ourAmount: nil, theirAmount: nil,
                                      detail: "no settlement statement for \(input.date): \(input.settledOnDate.count) payment(s) of ours unmatched"))
        }
        for e in input.statementErrors {
            issues.append(Discrepancy(kind: .statementUnreadableLine, reference: "line \(e.line)", orderId: "",
                                      productCode: "", ourAmount: nil, theirAmount: nil, detail: e.reason))
        }

        var onStatement = Set<String>()
        for line in lines {
            onStatement.insert(line.idempotencyKey)
            guard let ours = input.byStatementKey[line.idempotencyKey], ours.status != .pending else {
                let pending = input.byStatementKey[line.idempotencyKey] != nil
                issues.append(Discrepancy(
                    kind: .missingOnOurSide, reference: line.idempotencyKey, orderId: line.orderId,
                    productCode: input.byStatementKey[line.idempotencyKey]?.productCode ?? "",
                    ourAmount: nil, theirAmount: line.amount,
                    detail: pending
                        ? "\(line.status) \(line.type) \(line.transactionId) at the PG; our record is still PENDING (look it up and settle it)"
                        : "\(line.status) \(line.type) \(line.transactionId) at the PG; no such payment in our ledger"))
                continue
            }
            let ourType = ours.kind == .charge ? "charge" : "cancel"
            let ourStatus = ours.status == .approved ? "approved" : "declined"
            if ourType != line.type || ourStatus != line.status {
                issues.append(Discrepancy(
                    kind: .statusMismatch, reference: line.idempotencyKey, orderId: line.orderId,
                    productCode: ours.productCode, ourAmount: ours.amount, theirAmount: line.amount,
                    detail: "ours \(ourStatus) \(ourType), theirs \(line.status) \(line.type) (\(line.transactionId))"))
                continue
            }
            if ours.amount != line.amount {
                issues.append(Discrepancy(
                    kind: .amountMismatch, reference: line.idempotencyKey, orderId: line.orderId,
                    productCode: ours.productCode, ourAmount: ours.amount, theirAmount: line.amount,
                    detail: "ours \(ours.amount), theirs \(line.amount): difference \(line.amount - ours.amount) (\(line.transactionId))"))
                continue
            }
            var note: String?
            if let on = ours.settledOn, on != input.date {
                note = "settled on our side on \(on)"
            }
            matched.append(Match(idempotencyKey: line.idempotencyKey, transactionId: line.transactionId,
                                 orderId: line.orderId, productCode: ours.productCode, type: line.type,
                                 status: line.status, amount: line.amount, fee: line.fee, timingNote: note))
            if line.isApproved {
                total(ours.productCode) { t in
                    if line.isCharge {
                        t.fees += line.fee
                    } else {
                        t.fees -= line.fee
                    }
                }
            }
        }

        for ours in input.settledOnDate {
            if ours.status == .approved {
                total(ours.productCode) { t in
                    if ours.kind == .charge {
                        t.charges += 1
                        t.chargeAmount += ours.amount
                    } else {
                        t.refunds += 1
                        t.refundAmount += ours.amount
                    }
                }
            }
            guard input.statement != nil, !onStatement.contains(ours.idempotencyKey) else { continue }
            if let other = input.onOtherStatements[ours.idempotencyKey] {
                matched.append(Match(idempotencyKey: ours.idempotencyKey, transactionId: ours.gatewayTxId ?? "",
                                     orderId: ours.proposalNo, productCode: ours.productCode,
                                     type: ours.kind == .charge ? "charge" : "cancel",
                                     status: ours.status == .approved ? "approved" : "declined",
                                     amount: ours.amount, fee: 0, timingNote: "on the PG's statement of \(other)"))
                continue
            }
            issues.append(Discrepancy(
                kind: .missingOnTheirSide, reference: ours.idempotencyKey, orderId: ours.proposalNo,
                productCode: ours.productCode, ourAmount: ours.amount, theirAmount: nil,
                detail: "our \(ours.status.rawValue.lowercased()) \(ours.kind.rawValue.lowercased()) \(ours.gatewayTxId ?? "-") is not on the statement"))
        }

        for r in input.overdueRefunds {
            issues.append(Discrepancy(
                kind: .refundOverdue, reference: r.withdrawalNo, orderId: r.proposalNo, productCode: r.productCode,
                ourAmount: r.amount, theirAmount: nil,
                detail: "refund due \(r.dueOn), \(r.dueOn.days(until: input.date)) day(s) overdue" + (r.lastError.map { "; last error: \($0)" } ?? "")))
        }
        for p in input.activeWithoutCharge {
            issues.append(Discrepancy(
                kind: .activeWithoutCharge, reference: p.policyNo, orderId: p.proposalNo, productCode: p.productCode,
                ourAmount: nil, theirAmount: nil, detail: "policy established \(p.establishedOn) has no approved charge"))
        }
        for c in input.chargesWithoutPolicy {
            issues.append(Discrepancy(
                kind: .chargeWithoutPolicy, reference: c.idempotencyKey, orderId: c.proposalNo, productCode: c.productCode,
                ourAmount: c.amount, theirAmount: nil,
                detail: "approved charge \(c.gatewayTxId ?? "-") settled \(c.settledOn.map(\.description) ?? "-") but the proposal has no policy"))
        }

        let order = Dictionary(uniqueKeysWithValues: Discrepancy.Kind.allCases.enumerated().map { ($1, $0) })
        issues.sort { (order[$0.kind]!, $0.reference, $0.orderId) < (order[$1.kind]!, $1.reference, $1.orderId) }
        matched.sort { ($0.idempotencyKey, $0.transactionId) < ($1.idempotencyKey, $1.transactionId) }
        return ReconciliationReport(
            date: input.date, statement: input.statement == nil ? .missing : .present,
            statementSource: statementSource, statementLines: lines.count, matched: matched,
            discrepancies: issues, productTotals: totals.values.sorted { $0.productCode < $1.productCode },
            operations: input.operations)
    }
}
