import Testing
@testable import EzCore

@Suite("Withdrawal window (청약철회 기간)")
struct WithdrawalWindowTests {
    let window = WithdrawalWindow.standard
    let proposed = DomainFx.d("2025-03-01")

    @Test("standard window is 15 / 30 / 3 days")
    func defaults() {
        #expect(window.deliveryDays == 15)
        #expect(window.proposalDays == 30)
        #expect(window.refundDueDays == 3)
    }

    @Test("day 15 after delivery is in time, day 16 is not")
    func deliveryWindow() {
        let delivered = DomainFx.d("2025-03-05")
        // 2025-03-05 + 15 days = 2025-03-20 (also only 19 days after the proposal).
        #expect(window.violations(requestedOn: DomainFx.d("2025-03-20"), proposedOn: proposed, deliveredOn: delivered).isEmpty)
        let late = window.violations(requestedOn: DomainFx.d("2025-03-21"), proposedOn: proposed, deliveredOn: delivered)
        #expect(late.count == 1)
        #expect(late.first?.contains("보험증권 수령일(2025-03-05)") == true)
        #expect(late.first?.contains("16일째") == true)
    }

    @Test("day 30 after the proposal is in time, day 31 is not, even within the delivery window")
    func proposalWindow() {
        let delivered = DomainFx.d("2025-03-20")
        // 2025-03-01 + 30 days = 2025-03-31; delivery was 11 days earlier.
        #expect(window.violations(requestedOn: DomainFx.d("2025-03-31"), proposedOn: proposed, deliveredOn: delivered).isEmpty)
        let late = window.violations(requestedOn: DomainFx.d("2025-04-01"), proposedOn: proposed, deliveredOn: delivered)
        #expect(late.count == 1)
        #expect(late.first?.contains("청약일(2025-03-01)로부터 30일") == true)
        #expect(late.first?.contains("31일째") == true)
    }

    @Test("an undelivered (unpaid) proposal is held only to the proposal window")
    func unpaidOnlyProposalWindow() {
        #expect(window.violations(requestedOn: DomainFx.d("2025-03-25"), proposedOn: proposed, deliveredOn: nil).isEmpty)
        #expect(window.violations(requestedOn: DomainFx.d("2025-03-31"), proposedOn: proposed, deliveredOn: nil).isEmpty)
        #expect(window.violations(requestedOn: DomainFx.d("2025-04-01"), proposedOn: proposed, deliveredOn: nil).count == 1)
        // The same day-24 request with a delivery on day 1 is out of the 15-day delivery window.
        #expect(window.violations(requestedOn: DomainFx.d("2025-03-25"), proposedOn: proposed,
                                  deliveredOn: DomainFx.d("2025-03-02")).count == 1)
    }

    @Test("both windows missed gives both reasons")
    func bothReasons() {
        let reasons = window.violations(requestedOn: DomainFx.d("2025-05-01"), proposedOn: proposed,
                                        deliveredOn: DomainFx.d("2025-03-02"))
        #expect(reasons.count == 2)
    }

    @Test("a request dated before the proposal is refused; same day is fine")
    func beforeProposal() {
        let early = window.violations(requestedOn: DomainFx.d("2025-02-28"), proposedOn: proposed, deliveredOn: nil)
        #expect(early.count == 1)
        #expect(early.first?.contains("이전") == true)
        #expect(window.violations(requestedOn: proposed, proposedOn: proposed, deliveredOn: proposed).isEmpty)
    }

    @Test("a product's own window is honoured")
    func customWindow() {
        let w = WithdrawalWindow(deliveryDays: 20, proposalDays: 45, refundDueDays: 5)
        let delivered = DomainFx.d("2025-03-05")
        #expect(w.violations(requestedOn: DomainFx.d("2025-03-25"), proposedOn: proposed, deliveredOn: delivered).isEmpty)
        #expect(w.violations(requestedOn: DomainFx.d("2025-03-26"), proposedOn: proposed, deliveredOn: delivered).count == 1)
        #expect(w.refundDue(requestedOn: DomainFx.d("2025-03-26")) == DomainFx.d("2025-03-31"))
    }

    @Test("refund is due three days after the request, across month and year ends",
          arguments: [("2025-03-10", "2025-03-13"), ("2025-02-27", "2025-03-02"), ("2024-02-27", "2024-03-01"),
                      ("2025-12-30", "2026-01-02")])
    func refundDue(requested: String, due: String) {
        #expect(window.refundDue(requestedOn: DomainFx.d(requested)) == DomainFx.d(due))
    }
}
