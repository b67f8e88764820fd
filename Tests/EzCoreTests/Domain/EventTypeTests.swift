import Testing
@testable import EzCore

@Suite("Event types")
struct EventTypeTests {
    @Test("compared and hashed by case: each case its own ordinal, equal exactly when the raw values are")
    func byCase() {
        #expect(MemoryLayout<EventType>.size == 1)
        #expect(EventType.allCases.map(\.ordinal) == (0..<UInt8(EventType.allCases.count)).map { $0 })
        for a in EventType.allCases {
            for b in EventType.allCases {
                #expect((a == b) == (a.rawValue == b.rawValue), "\(a) \(b)")
            }
        }
        #expect(Set(EventType.allCases).count == EventType.allCases.count)
        let byType = Dictionary(uniqueKeysWithValues: EventType.allCases.map { ($0, $0.rawValue) })
        for type in EventType.allCases { #expect(byType[type] == type.rawValue) }
        #expect(EventType(rawValue: "plan.quoted") == .planQuoted)
    }
}
