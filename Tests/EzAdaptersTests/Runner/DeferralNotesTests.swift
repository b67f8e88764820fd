@testable import EzRunner
import Testing

@Suite struct DeferralNotesTests {
    @Test("a few reasons: each listed, the most frequent first, ties in text order")
    func fewReasons() {
        #expect(PaymentStage.deferralNotes(["b: 503": 2, "a: refused": 2, "circuit open": 7]) ==
                ["7 deferred: circuit open", "2 deferred: a: refused", "2 deferred: b: 503"])
        #expect(PaymentStage.deferralNotes([:]).isEmpty)
    }

    @Test("a reason per charge (the call named in it): five listed, the rest in one line")
    func manyReasons() {
        var reasons: [String: Int] = ["circuit open": 40]
        for call in 1...2_000 { reasons["failure on call \(call)"] = 1 }
        let notes = PaymentStage.deferralNotes(reasons)
        #expect(notes.count == 6)
        #expect(notes.first == "40 deferred: circuit open")
        #expect(notes.last == "1996 deferred for 1996 other reasons (each payment records its own)")
    }
}
