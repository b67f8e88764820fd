// End-to-end: the enrollment lifecycle through the BUILT binary (see Binary.swift: run
// `swift build` before `swift test`). Every test gets a fresh temporary home, drops its own
// request files and asserts on what the binary wrote: views, outbox, documents, ledger.

import Foundation
import Testing

/// A dental (P00000001) applicant: male, born 1990-01-10. On 2026-12-01 he is 36 years and
/// 10 months old, so insurance age 37. Catalog rate (M, 10/10, age 37) = 75.82 per 10,000
/// KRW monthly: 3,000,000 / 10,000 x 75.82 = 22,746 -> floor to 10 KRW = 22,740.
var applicant: JSONObject { Requests.customer("C9001", name: "김테스트", birth: "1990-01-10", gender: "M", phone: "010-1111-2222") }
let applicantPremium = 22_740
let day1 = BusinessDate.day1

/// The single proposal in a customer's view.
func onlyProposal(_ home: TestHome, _ customerNo: String, _ context: RunResult) throws -> JSONObject {
    let view = try #require(try home.customerView(customerNo), "no view for \(customerNo)\n\(context)")
    let proposals = view.objects("proposals")
    #expect(proposals.count == 1, "proposals of \(customerNo): \(proposals)")
    return try #require(proposals.first, "no proposal for \(customerNo)\n\(context)")
}

func alarms(_ home: TestHome, template: String) throws -> [JSONObject] {
    try home.alarms().filter { $0.string("template_code") == template }
}

@Suite("Enrollment lifecycle (end to end)", .serialized)
struct EnrollmentFlowTests {

    @Test("1. enrollment.apply -> ACTIVE policy, document, one EZ_CONTRACT_ACTIVE alarm, one approved charge")
    func happyPath() throws {
        let home = try TestHome()
        try home.drop("web.jsonl", lines: [Requests.enrollment(id: "E2E-HAPPY-1", customer: applicant)])

        let result = try home.runIntake(asOf: day1)
        #expect(result.status == 0, "\(result)")
        #expect(result.lineCounts.map { [$0.read, $0.accepted, $0.duplicate, $0.rejected] } == [1, 1, 0, 0], "\(result)")

        // Status view.
        let view = try #require(try home.customerView("C9001"), "\(result)")
        #expect(view.string("name") == "김테스트")
        #expect(view.string("phone") == "010-****-2222", "phone must be masked in the view")
        let plan = try #require(view.objects("plans").first)
        #expect(view.objects("plans").count == 1)
        let planNo = try #require(plan.string("plan_no"))
        #expect(plan.string("status") == "QUOTED")
        #expect(plan.int("premium") == applicantPremium)
        #expect(plan.int("insurance_age") == 37)
        let proposal = try onlyProposal(home, "C9001", result)
        #expect(proposal.string("status") == "ACTIVE")
        #expect(proposal.string("plan_no") == planNo)
        #expect(proposal.int("premium") == applicantPremium)
        let policyNo = try #require(proposal.string("policy_no"), "ACTIVE proposal without policy_no: \(proposal)")
        #expect(!policyNo.isEmpty)
        let proposalNo = try #require(proposal.string("proposal_no"))
        let byProposal = try home.run(["status", "--proposal", proposalNo, "--json"])
        #expect(byProposal.status == 0, "\(byProposal)")
        let shown = try TestHome.object(Data(byProposal.stdout.utf8), source: "status --proposal")
        #expect(shown.object("proposal")?.string("policy_no") == policyNo, "\(shown)")
        // The SQL profile (a diagnostic) lists the statements a command ran, at exit.
        let profiled = try home.run(["status", "--proposal", proposalNo], environment: ["EZINSURANCE_SQL_PROFILE": "1"])
        #expect(profiled.status == 0, "\(profiled)")
        #expect(profiled.stderr.contains("SQL profile (total seconds, executions, statement):"), "\(profiled)")
        #expect(profiled.stderr.contains("FROM proposals WHERE proposal_no = ?"), "\(profiled)")
        #expect(!byProposal.stderr.contains("SQL profile"), "\(byProposal)")
        let noSuch = try home.run(["status", "--proposal", "PR99999999"])
        #expect(noSuch.status == 64 && noSuch.stderr.contains("no status view for proposal PR99999999"), "\(noSuch)")

        // Product description document for the plan.
        let documentNo = try #require(plan.string("document_no"), "plan without document_no: \(plan)")
        // Written into the bundle of its requests chunk; `document` cuts it out again.
        #expect(home.fileNames(in: "documents/\(day1)") == ["bundle-\(documentNo).md"])
        let printed = try home.run(["document", documentNo])
        #expect(printed.status == 0, "\(printed)")
        let document = printed.stdout
        #expect(document.hasPrefix("# "), "\(document)")
        #expect(document.contains("- 문서번호: \(documentNo)"))
        #expect(document.contains(planNo))
        #expect(document.contains("치아보험"))
        #expect(document.contains("22,740"))
        let bundle = try String(contentsOf: home.path("documents/\(day1)/bundle-\(documentNo).md"), encoding: .utf8)
        #expect(bundle.hasPrefix("<!-- document \(documentNo) -->\n\n" + document), "\(bundle)")
        let unknown = try home.run(["document", "DOC99999999"])
        #expect(unknown.status == 64 && unknown.stderr.contains("no document DOC99999999"), "\(unknown)")

        // Exactly one contract-active alarm, correlated to the policy.
        let active = try alarms(home, template: "EZ_CONTRACT_ACTIVE")
        #expect(active.count == 1, "EZ_CONTRACT_ACTIVE lines: \(active)")
        #expect(active.first?.string("customer_no") == "C9001")
        #expect(active.first?.string("event_type") == "policy.established")
        #expect(active.first?.object("correlation")?.string("policy_no") == policyNo)
        #expect(active.first?.object("correlation")?.string("request_id") == "E2E-HAPPY-1")
        #expect((active.first?.string("text") ?? "").contains("김테스트"))
        let messageIds = try home.alarms().compactMap { $0.string("message_id") }
        #expect(Set(messageIds).count == messageIds.count, "message_id must be unique: \(messageIds)")

        // Sandbox ledger: one approved charge of the premium.
        let ledger = try home.ledger()
        #expect(ledger.count == 1, "ledger: \(ledger)")
        let charge = try #require(ledger.first)
        #expect(charge.string("type") == "charge")
        #expect(charge.string("status") == "approved")
        #expect(charge.int("amount") == applicantPremium)
        #expect(charge.string("order_id") == proposalNo)

        // The file was archived under the business date.
        #expect(home.fileNames(in: "archive/\(day1)") == ["web.jsonl"])
        #expect(home.inboxFiles().isEmpty)
    }

    @Test("2. underwriting decline keeps every reason (ENTRY_AGE + SUM_INSURED_MAX), no proposal, EZ_PLAN_DECLINED")
    func underwritingDecline() throws {
        let home = try TestHome()
        // Born 1958-03-01: insurance age 69 on 2026-12-01 (entry ages 15..65 -> ENTRY_AGE);
        // 69 + 10 = 79 <= max expiry 80 (no EXPIRY_AGE); 9,000,000 > max 5,000,000 (SUM_INSURED_MAX).
        let old = Requests.customer("C9101", name: "박노인", birth: "1958-03-01", gender: "F", phone: "010-3333-4444")
        try home.drop("decline.jsonl", lines: [
            Requests.enrollment(id: "E2E-DECLINE-1", customer: old, sumInsured: 9_000_000),
        ])

        let result = try home.runIntake(asOf: day1)
        #expect(result.status == 0, "a business decline is not a failure\n\(result)")

        let view = try #require(try home.customerView("C9101"), "\(result)")
        let plans = view.objects("plans")
        #expect(plans.count == 1)
        let plan = try #require(plans.first)
        #expect(plan.string("status") == "DECLINED")
        let codes = Set(plan.objects("decline_reasons").compactMap { $0.string("code") })
        #expect(codes == ["ENTRY_AGE", "SUM_INSURED_MAX"], "decline reasons: \(plan.objects("decline_reasons"))")
        #expect(view.objects("proposals").isEmpty, "a declined plan must not get a proposal")

        let declined = try alarms(home, template: "EZ_PLAN_DECLINED")
        #expect(declined.count == 1, "\(declined)")
        #expect(declined.first?.object("correlation")?.string("plan_no") == plan.string("plan_no"))
        #expect(try alarms(home, template: "EZ_PROPOSAL_SUBMITTED").isEmpty)
        #expect(try alarms(home, template: "EZ_CONTRACT_ACTIVE").isEmpty)
        #expect(home.fileNames(in: "documents").isEmpty, "no document for a declined plan")
        #expect(try home.ledger().isEmpty, "nothing charged")
    }

    @Test("3. payment decline: PAYMENT_FAILED, retried next day (attempt 2), NOT_CONCLUDED after 3 attempts")
    func paymentDeclineRetriesThenNotConcluded() throws {
        let home = try TestHome()
        try home.drop("pay.jsonl", lines: [
            Requests.enrollment(id: "E2E-PAYFAIL-1", customer: applicant, cardToken: "tok_decline_e2e"),
        ])

        // Day 1: first attempt declined.
        var result = try home.runIntake(asOf: day1)
        #expect(result.status == 0, "\(result)")
        var proposal = try onlyProposal(home, "C9001", result)
        #expect(proposal.string("status") == "PAYMENT_FAILED")
        #expect(proposal.int("attempts") == 1)
        #expect(proposal["policy_no"] == nil, "no contract without payment: \(proposal)")
        #expect(try alarms(home, template: "EZ_PAYMENT_FAILED").count == 1)
        var ledger = try home.ledger()
        #expect(ledger.count == 1)
        #expect(ledger.allSatisfy { $0.string("status") == "declined" && $0.string("type") == "charge" }, "\(ledger)")

        // Day 2: retried once, still declined.
        result = try home.runIntake(asOf: BusinessDate.plus(day1, days: 1))
        #expect(result.status == 0, "\(result)")
        proposal = try onlyProposal(home, "C9001", result)
        #expect(proposal.string("status") == "PAYMENT_FAILED")
        #expect(proposal.int("attempts") == 2)
        #expect(try alarms(home, template: "EZ_PAYMENT_FAILED").count == 2)
        ledger = try home.ledger()
        #expect(ledger.count == 2, "\(ledger)")
        #expect(Set(ledger.compactMap { $0.string("idempotency_key") }).count == 2, "each attempt has its own key")

        // Day 3: third (= max_payment_attempts) attempt declined -> NOT_CONCLUDED.
        result = try home.runIntake(asOf: BusinessDate.plus(day1, days: 2))
        #expect(result.status == 0, "\(result)")
        proposal = try onlyProposal(home, "C9001", result)
        #expect(proposal.string("status") == "NOT_CONCLUDED")
        #expect(proposal.int("attempts") == 3)
        #expect(try alarms(home, template: "EZ_PROPOSAL_NOT_CONCLUDED").count == 1)
        #expect(try home.ledger().count == 3)

        // Day 4: nothing more is tried.
        result = try home.runIntake(asOf: BusinessDate.plus(day1, days: 3))
        #expect(result.status == 0, "\(result)")
        proposal = try onlyProposal(home, "C9001", result)
        #expect(proposal.string("status") == "NOT_CONCLUDED")
        ledger = try home.ledger()
        #expect(ledger.count == 3, "no charge after NOT_CONCLUDED: \(ledger)")
        #expect(!ledger.contains { $0.string("status") == "approved" })
        #expect(try alarms(home, template: "EZ_PAYMENT_FAILED").count == 3)
        #expect(try alarms(home, template: "EZ_CONTRACT_ACTIVE").isEmpty)
    }

    @Test("4. withdrawal within the window: WITHDRAWN, full refund (cancel) in the ledger, EZ_WITHDRAWAL_REFUNDED")
    func withdrawalWithRefund() throws {
        let home = try TestHome()
        try home.drop("apply.jsonl", lines: [Requests.enrollment(id: "E2E-WD-APPLY", customer: applicant)])
        var result = try home.runIntake(asOf: day1)
        #expect(result.status == 0, "\(result)")
        let active = try onlyProposal(home, "C9001", result)
        #expect(active.string("status") == "ACTIVE")
        let premium = try #require(active.int("premium"))

        let day5 = BusinessDate.plus(day1, days: 4)
        try home.drop("withdraw.jsonl", lines: [
            Requests.withdraw(id: "E2E-WD-1", proposalRequestId: "E2E-WD-APPLY", requestedOn: day5),
        ])
        result = try home.runIntake(asOf: day5)
        #expect(result.status == 0, "\(result)")

        let view = try #require(try home.customerView("C9001"))
        let proposal = try onlyProposal(home, "C9001", result)
        #expect(proposal.string("status") == "WITHDRAWN")
        let withdrawal = try #require(view.objects("withdrawals").first, "no withdrawal in \(view)")
        #expect(view.objects("withdrawals").count == 1)
        #expect(withdrawal.string("status") == "WITHDRAWN")
        #expect(withdrawal.int("refund_amount") == premium)
        #expect(withdrawal.string("request_id") == "E2E-WD-1")

        let ledger = try home.ledger()
        let charges = ledger.filter { $0.string("type") == "charge" }
        let cancels = ledger.filter { $0.string("type") == "cancel" }
        #expect(charges.count == 1)
        #expect(cancels.count == 1, "exactly one refund: \(ledger)")
        #expect(cancels.first?.string("status") == "approved")
        #expect(cancels.first?.int("amount") == premium)
        #expect(cancels.first?.string("original_transaction_id") == charges.first?.string("transaction_id"))

        let refunded = try alarms(home, template: "EZ_WITHDRAWAL_REFUNDED")
        #expect(refunded.count == 1, "\(refunded)")
        #expect(refunded.first?.object("correlation")?.string("request_id") == "E2E-WD-1")

        // A later run refunds nothing twice.
        result = try home.runIntake(asOf: BusinessDate.plus(day1, days: 5))
        #expect(result.status == 0, "\(result)")
        #expect(try home.ledger().filter { $0.string("type") == "cancel" }.count == 1)
        #expect(try alarms(home, template: "EZ_WITHDRAWAL_REFUNDED").count == 1)
    }

    @Test("5. withdrawal outside the window: WITHDRAWAL_REJECTED with reasons, policy stays ACTIVE, no refund")
    func withdrawalOutsideWindow() throws {
        let home = try TestHome()
        try home.drop("apply.jsonl", lines: [Requests.enrollment(id: "E2E-WDL-APPLY", customer: applicant)])
        var result = try home.runIntake(asOf: day1)
        #expect(result.status == 0, "\(result)")

        let day21 = BusinessDate.plus(day1, days: 20)
        try home.drop("withdraw.jsonl", lines: [
            Requests.withdraw(id: "E2E-WDL-1", proposalRequestId: "E2E-WDL-APPLY", requestedOn: day21),
        ])
        result = try home.runIntake(asOf: day21)
        #expect(result.status == 0, "a rejected withdrawal is a business outcome\n\(result)")

        let view = try #require(try home.customerView("C9001"))
        let withdrawal = try #require(view.objects("withdrawals").first, "no withdrawal in \(view)")
        #expect(withdrawal.string("status") == "WITHDRAWAL_REJECTED")
        let reasons = withdrawal["rejection_reasons"] as? [Any] ?? []
        #expect(!reasons.isEmpty, "a rejection must say why: \(withdrawal)")
        #expect((withdrawal.int("refund_amount") ?? 0) == 0)
        let proposal = try onlyProposal(home, "C9001", result)
        #expect(proposal.string("status") == "ACTIVE")
        #expect(proposal.string("policy_no") != nil)

        let ledger = try home.ledger()
        #expect(ledger.filter { $0.string("type") == "charge" }.count == 1)
        #expect(!ledger.contains { $0.string("type") != "charge" }, "no refund: \(ledger)")
        #expect(try alarms(home, template: "EZ_WITHDRAWAL_REJECTED").count == 1)
        #expect(try alarms(home, template: "EZ_WITHDRAWAL_REFUNDED").isEmpty)
    }

    @Test("9. gateway outage: PAYMENT_DEFERRED and DEFERRED run; after the outage one charge and ACTIVE")
    func gatewayOutage() throws {
        let home = try TestHome()
        try home.drop("apply.jsonl", lines: [Requests.enrollment(id: "E2E-OUT-1", customer: applicant)])
        let faults = try home.run(["pg-sandbox", "faults", "--outage", "on"])
        #expect(faults.status == 0, "\(faults)")

        var result = try home.runIntake(asOf: day1)
        #expect(result.status == 0, "deferred work still exits 0\n\(result)")
        #expect(result.stdout.lowercased().contains("deferred"), "summary must mention deferred work\n\(result)")
        var proposal = try onlyProposal(home, "C9001", result)
        #expect(proposal.string("status") == "PAYMENT_DEFERRED")
        #expect(proposal["policy_no"] == nil)
        #expect(try home.ledger().isEmpty, "the gateway was down: nothing in its ledger")
        #expect(try alarms(home, template: "EZ_CONTRACT_ACTIVE").isEmpty)

        let history = try home.run(["history"])
        #expect(history.status == 0, "\(history)")
        #expect(history.stdout.contains("DEFERRED"), "\(history)")
        let historyJSON = try home.run(["history", "--json"])
        let runs = try TestHome.jsonLines(Data(historyJSON.stdout.utf8), source: "history --json")
        #expect(runs.first?.string("outcome") == "DEFERRED", "\(runs)")

        let off = try home.run(["pg-sandbox", "faults", "--outage", "off"])
        #expect(off.status == 0, "\(off)")
        result = try home.runIntake(asOf: day1)
        #expect(result.status == 0, "\(result)")
        proposal = try onlyProposal(home, "C9001", result)
        #expect(proposal.string("status") == "ACTIVE")
        #expect(proposal.string("policy_no") != nil)

        let ledger = try home.ledger()
        #expect(ledger.count == 1, "exactly one charge: \(ledger)")
        #expect(ledger.first?.string("status") == "approved")
        #expect(ledger.first?.int("amount") == applicantPremium)
        #expect(try alarms(home, template: "EZ_CONTRACT_ACTIVE").count == 1)
        let lastRuns = try TestHome.jsonLines(Data(try home.run(["history", "--json"]).stdout.utf8), source: "history --json")
        #expect(lastRuns.first?.string("outcome") == "SUCCEEDED", "\(lastRuns)")
    }
}
