import Testing
@testable import EzCore

/// Every (from, to) pair of every lifecycle against a table written out here from SPEC section 6.
@Suite("Lifecycle state machines")
struct LifecycleTransitionTests {
    static let planLegal: [PlanStatus: Set<PlanStatus>] = [
        .quoted: [.expired],
        .declined: [],
        .expired: [],
    ]

    static let proposalLegal: [ProposalStatus: Set<ProposalStatus>] = [
        .submitted: [.paymentPending, .cancelled],
        .paymentPending: [.paid, .paymentDeferred, .paymentFailed, .cancelled],
        .paymentDeferred: [.paymentPending, .cancelled],
        .paymentFailed: [.paymentPending, .notConcluded, .cancelled],
        .paid: [.active],
        .active: [.withdrawn],
        .notConcluded: [],
        .cancelled: [],
        .withdrawn: [],
    ]

    static let withdrawalLegal: [WithdrawalStatus: Set<WithdrawalStatus>] = [
        .requested: [.refundPending, .cancelled, .rejected],
        .refundPending: [.withdrawn],
        .withdrawn: [],
        .cancelled: [],
        .rejected: [],
    ]

    /// Checks all |S|² pairs; returns the number of legal ones seen.
    private func checkAllPairs<S: LifecycleStatus>(_ table: [S: Set<S>], entity: String) -> Int {
        #expect(Set(table.keys) == Set(S.allCases), "expected table must list every \(entity) status")
        var legal = 0
        for from in S.allCases {
            let allowed = table[from] ?? []
            #expect(from.isFinal == allowed.isEmpty, "\(from.rawValue) isFinal")
            for to in S.allCases {
                if allowed.contains(to) {
                    legal += 1
                    #expect((try? from.transition(to: to)) == to, "\(from.rawValue) -> \(to.rawValue) must be legal")
                } else {
                    #expect(throws: IllegalTransition(entity: entity, from: from.rawValue, to: to.rawValue),
                            "\(from.rawValue) -> \(to.rawValue) must be illegal") {
                        try from.transition(to: to)
                    }
                }
            }
        }
        return legal
    }

    @Test("plan: QUOTED -> EXPIRED only; DECLINED and EXPIRED are final")
    func plan() {
        #expect(PlanStatus.allCases.count == 3)
        #expect(checkAllPairs(Self.planLegal, entity: "PlanStatus") == 1)
    }

    @Test("proposal: every legal move succeeds, every other pair throws IllegalTransition")
    func proposal() {
        #expect(ProposalStatus.allCases.count == 9)
        #expect(checkAllPairs(Self.proposalLegal, entity: "ProposalStatus") == 13)
    }

    @Test("withdrawal: every legal move succeeds, every other pair throws IllegalTransition")
    func withdrawal() {
        #expect(WithdrawalStatus.allCases.count == 5)
        #expect(checkAllPairs(Self.withdrawalLegal, entity: "WithdrawalStatus") == 4)
    }

    @Test("no status may transition to itself")
    func noSelfLoops() {
        for s in PlanStatus.allCases { #expect(throws: IllegalTransition.self) { try s.transition(to: s) } }
        for s in ProposalStatus.allCases { #expect(throws: IllegalTransition.self) { try s.transition(to: s) } }
        for s in WithdrawalStatus.allCases { #expect(throws: IllegalTransition.self) { try s.transition(to: s) } }
    }

    @Test("raw values are the SPEC spellings stored in the database")
    func rawValues() {
        #expect(PlanStatus.allCases.map(\.rawValue) == ["QUOTED", "DECLINED", "EXPIRED"])
        #expect(Set(ProposalStatus.allCases.map(\.rawValue)) == [
            "SUBMITTED", "PAYMENT_PENDING", "PAYMENT_DEFERRED", "PAYMENT_FAILED", "PAID", "ACTIVE",
            "NOT_CONCLUDED", "CANCELLED", "WITHDRAWN"])
        #expect(Set(WithdrawalStatus.allCases.map(\.rawValue)) == [
            "REQUESTED", "REFUND_PENDING", "WITHDRAWN", "CANCELLED", "WITHDRAWAL_REJECTED"])
    }

    @Test("illegal transition describes entity and both statuses")
    func illegalDescription() {
        let error = #expect(throws: IllegalTransition.self) { try PlanStatus.declined.transition(to: .quoted) }
        #expect(error?.description == "illegal PlanStatus transition DECLINED -> QUOTED")
    }

    @Test("unpaid and cover-holding proposal statuses",
          arguments: [
            (ProposalStatus.submitted, true, true), (.paymentPending, true, true), (.paymentDeferred, true, true),
            (.paymentFailed, true, true), (.paid, false, true), (.active, false, true),
            (.notConcluded, false, false), (.cancelled, false, false), (.withdrawn, false, false),
          ])
    func proposalFlags(status: ProposalStatus, unpaid: Bool, holdsCover: Bool) {
        #expect(status.isUnpaid == unpaid)
        #expect(status.holdsCover == holdsCover)
    }
}
