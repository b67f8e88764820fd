import Testing
@testable import EzCore

/// Enums compared and hashed by case (`CaseTagged`) must agree with their raw values.
@Suite("Case-tagged enums")
struct CaseTaggedTests {
    /// `T`'s cases: one byte each, ordinals in declaration order, equal exactly when their raw
    /// values are, and usable as set members and dictionary keys.
    private func checkByCase<T: CaseTagged & CaseIterable>(_: T.Type) where T.RawValue: Equatable {
        #expect(MemoryLayout<T>.size == 1, "\(T.self) is one byte")
        #expect(T.allCases.map(\.ordinal) == (0..<UInt8(T.allCases.count)).map { $0 })
        for a in T.allCases {
            for b in T.allCases {
                #expect((a == b) == (a.rawValue == b.rawValue), "\(a) \(b)")
            }
        }
        #expect(Set(T.allCases).count == T.allCases.count)
        let byCase = Dictionary(uniqueKeysWithValues: T.allCases.map { ($0, $0.rawValue) })
        for value in T.allCases { #expect(byCase[value] == value.rawValue) }
    }

    @Test("event types compare and hash by case, equal exactly when their raw values are")
    func eventTypes() {
        checkByCase(EventType.self)
        #expect(EventType(rawValue: "plan.quoted") == .planQuoted)
    }

    @Test("lifecycle statuses compare and hash by case, equal exactly when their raw values are")
    func statuses() {
        checkByCase(PlanStatus.self)
        checkByCase(ProposalStatus.self)
        checkByCase(WithdrawalStatus.self)
        #expect(ProposalStatus(rawValue: "ACTIVE") == .active)
        #expect(ProposalStatus.active != .withdrawn)
    }
}
