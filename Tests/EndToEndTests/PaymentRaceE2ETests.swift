import Foundation
import Testing

/// Two jobs share no stage but do share proposals: retry-payments charges them while intake's
/// withdrawals stage may cancel them. The payments stage reads its chunk in the transaction
/// that commits the chunk's charge keys; held still right there (`EZINSURANCE_PAUSE_AT`), it
/// makes intake wait, and intake's withdrawal is then decided on what the charge left.
@Suite("Payments and withdrawals of two jobs at once (end to end)", .serialized)
struct PaymentRaceE2ETests {
    let day1 = "2026-12-01", day2 = "2026-12-02"
    let applicant = Requests.customer("C9301", name: "경합중", birth: "1987-05-20", gender: "F", phone: "010-7777-1212")

    @Test("a withdrawal decided while retry-payments holds a chunk: no charge of a cancelled proposal, no error, ledgers agree")
    func withdrawalDuringRetry() throws {
        let home = try TestHome()
        try home.drop("apply.jsonl", lines: [Requests.enrollment(id: "E2E-RACE-1", customer: applicant, cardToken: "tok_decline_race")])
        #expect(try home.runIntake(asOf: day1).status == 0)
        let first = try #require(try home.customerView("C9301")?.objects("proposals").first)
        #expect(first.string("status") == "PAYMENT_FAILED", "\(first)")

        // Day 2: the retry is due; the customer withdraws the same day.
        try home.drop("withdraw.jsonl", lines: [Requests.withdraw(id: "E2E-RACE-2", proposalRequestId: "E2E-RACE-1",
                                                                  requestedOn: day2)])
        // retry-payments in the background, held still for 3 s inside its first chunk's
        // transaction; intake starts a second later.
        final class Outcome: @unchecked Sendable {
            var result: RunResult?
            var error: (any Error)?
        }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let arguments = ["run", "retry-payments", "--home", home.url.path, "--as-of", day2]
        Thread.detachNewThread {
            do {
                outcome.result = try Binary.run(arguments, environment: ["EZINSURANCE_PAUSE_AT": "payments-chunk-read:3000"])
            } catch { outcome.error = error }
            done.signal()
        }
        usleep(1_000_000)
        let intake = try home.runIntake(asOf: day2)
        done.wait()
        #expect(outcome.error == nil)
        let retried = try #require(outcome.result)
        #expect(retried.stderr.contains("pause point payments-chunk-read reached"), "the pause was not reached: \(retried)")
        #expect(retried.status == 0, "\(retried)")
        #expect(intake.status == 0, "\(intake)")
        #expect(try home.runIntake(asOf: day2).status == 0)

        let view = try #require(try home.customerView("C9301"))
        #expect(view.objects("proposals").map { $0.string("status") } == ["CANCELLED"], "\(view)")
        #expect(view.objects("withdrawals").map { $0.string("status") } == ["CANCELLED"], "\(view)")
        let charges = try home.ledger().filter { $0.string("type") == "charge" }
        #expect(charges.count == 2 && charges.allSatisfy { $0.string("status") == "declined" }, "\(charges)")
        #expect(try home.run(["history"]).stdout.contains("FAILED") == false)
    }
}
