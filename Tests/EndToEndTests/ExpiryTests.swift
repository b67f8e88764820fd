import Foundation
import Testing

/// Plan validity (견적 유효기간) end to end: unproposed quotes expire, proposed ones never do,
/// and an expired plan cannot be proposed.
@Suite("Plan expiry (end to end)", .serialized)
struct ExpiryTests {
    let day1 = "2026-12-01"

    @Test("an unproposed quote expires after its validity with an alarm; proposed plans do not (by enrollment or by a later proposal); an expired plan cannot be proposed")
    func expiry() throws {
        let home = try TestHome()
        let customer = Requests.customer("C9301", name: "만료해", birth: "1980-03-03", gender: "F", phone: "010-7777-8888")
        try home.drop("day1.jsonl", lines: [
            Requests.enrollment(id: "E2E-EXP-1", customer: customer),
            Requests.line(["request_id": "E2E-EXP-2", "type": "plan.quote", "customer_no": "C9301",
                           "product_code": "P00000001", "sum_insured": 2_000_000, "term_years": 10, "pay_years": 10,
                           "issue_document": true]),
            // Quoted, then proposed by a request of its own (the plan's row is marked then).
            Requests.line(["request_id": "E2E-EXP-4", "type": "plan.quote", "customer_no": "C9301",
                           "product_code": "P00000001", "sum_insured": 3_000_000, "term_years": 10, "pay_years": 10,
                           "issue_document": true]),
            Requests.line(["request_id": "E2E-EXP-5", "type": "proposal.submit", "plan_request_id": "E2E-EXP-4",
                           "payment": ["method": "card", "card_token": "tok_e2e_ok", "holder_name": "만료해"]]),
        ])
        #expect(try home.runIntake(asOf: day1).status == 0)
        let before = try #require(try home.customerView("C9301"))
        #expect(before.objects("plans").map { $0.string("status") } == ["QUOTED", "QUOTED", "QUOTED"])

        // The quote validity of P00000001 is 30 days: still valid on day 31, expired on day 32.
        #expect(try home.runIntake(asOf: BusinessDate.plus(day1, days: 30)).status == 0)
        #expect(try home.customerView("C9301")?.objects("plans").map { $0.string("status") } == ["QUOTED", "QUOTED", "QUOTED"])
        try home.drop("late.jsonl", lines: [
            Requests.line(["request_id": "E2E-EXP-3", "type": "proposal.submit", "plan_request_id": "E2E-EXP-2",
                           "payment": ["method": "card", "card_token": "tok_e2e_ok", "holder_name": "만료해"]]),
        ])
        #expect(try home.runIntake(asOf: BusinessDate.plus(day1, days: 31)).status == 0)
        let after = try #require(try home.customerView("C9301"))
        let plans = after.objects("plans")
        #expect(plans.map { $0.string("status") } == ["QUOTED", "EXPIRED", "QUOTED"], "\(plans)")
        #expect(after.objects("proposals").map { $0.string("status") } == ["ACTIVE", "ACTIVE"], "the proposed plans' contracts stand")
        let expired = try home.alarms().filter { $0.string("template_code") == "EZ_PLAN_EXPIRED" }
        #expect(expired.count == 1)
        let late = try home.run(["status", "--request", "E2E-EXP-3", "--json"])
        #expect(late.stdout.contains("FAILED") && late.stdout.contains("expired on"), "\(late.stdout)")
        #expect(try home.runIntake(asOf: BusinessDate.plus(day1, days: 32)).status == 0)
        #expect(try home.alarms().filter { $0.string("template_code") == "EZ_PLAN_EXPIRED" }.count == 1, "expires once")
    }
}
