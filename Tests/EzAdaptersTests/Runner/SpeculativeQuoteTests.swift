import EzAdapters
import EzCore
@testable import EzRunner
import Foundation
import Testing

/// A quote prepared ahead of its transaction must be exactly the quote the transaction would
/// make, and must be refused whenever its inputs differ.
@Suite("Requests stage: quotes prepared ahead")
struct SpeculativeQuoteTests {
    let day = BusinessDate("2026-12-01")!

    /// Generated requests (every product, declines among them), decoded.
    func requests(_ n: Int, seed: UInt64) -> [Request] {
        var generator = RequestGenerator(catalog: RequestGeneratorTests.catalog, asOf: day, seed: seed, format: .jsonl)
        return (0..<n).compactMap { _ in
            guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(generator.next().utf8)),
                  case .success(let request) = RequestDecoder.decode(value) else { return nil }
            return request
        }
    }

    /// What the stage computes in the transaction: the quote with its number, its breakdown's JSON.
    func quotedInPlace(_ input: QuoteInput, _ customer: Customer, held: Int64, planNo: String,
                       requestId: String) -> Result<(Quoting.Result, UTF8Text?), Quoting.Failure> {
        do {
            let result = try Quoting.quote(input, customer: customer, catalog: RequestGeneratorTests.catalog, on: day,
                                           heldSumInsured: held, planNo: planNo, requestId: requestId)
            return .success((result, try result.breakdown.map { try StoreJSON.encodeBytes($0) }))
        } catch let failure as Quoting.Failure {
            return .failure(failure)
        } catch {
            Issue.record("breakdown not written: \(error)")
            return .failure(.unknownProduct("?"))
        }
    }

    @Test("for a new customer's enrollment.apply: the same plan, premium, decline reasons and breakdown bytes as quoting in the transaction")
    func sameAsInPlace() throws {
        var applications = 0, declined = 0
        for (i, request) in requests(3_000, seed: 11).enumerated() {
            let prepared = SpeculativeQuote(request, RequestGeneratorTests.catalog, on: day)
            guard case .enrollmentApply(let customer, var input, _) = request.body else {
                #expect(prepared == nil, "only enrollment.apply is prepared: \(request.type)")
                continue
            }
            applications += 1
            input.issueDocument = true
            let planNo = "PL" + String(format: "%08d", i + 1)
            let speculation = try #require(prepared)
            let taken = try #require(speculation.taken(for: input, customer: customer, held: 0, planNo: planNo))
            switch (taken, quotedInPlace(input, customer, held: 0, planNo: planNo, requestId: request.requestId)) {
            case (.success(let ahead), .success(let inPlace)):
                #expect(ahead.result == inPlace.0)
                #expect(ahead.result.plan.planNo == planNo)
                #expect(ahead.breakdown?.bytes == inPlace.1?.bytes)
                if ahead.result.plan.status == .declined { declined += 1 }
            case (.failure(let ahead), .failure(let inPlace)):
                #expect(ahead == inPlace)
            default:
                Issue.record("\(request.requestId): prepared \(taken), in place otherwise")
            }
        }
        #expect(applications > 2_000)
        #expect(declined > 0)
    }

    @Test("refused when the customer holds a sum insured, or the customer or the input differ")
    func refusedOnOtherInputs() throws {
        let request = try #require(requests(200, seed: 5).first {
            if case .enrollmentApply = $0.body { true } else { false }
        })
        guard case .enrollmentApply(let customer, var input, _) = request.body else { return }
        let prepared = try #require(SpeculativeQuote(request, RequestGeneratorTests.catalog, on: day))
        // Quoted as the stage quotes an application: with its document.
        input.issueDocument = false
        #expect(prepared.taken(for: input, customer: customer, held: 0, planNo: "PL1") == nil)
        input.issueDocument = true
        #expect(prepared.taken(for: input, customer: customer, held: 0, planNo: "PL1") != nil)
        #expect(prepared.taken(for: input, customer: customer, held: 1, planNo: "PL1") == nil)
        var other = customer
        other.name += "님"
        #expect(prepared.taken(for: input, customer: other, held: 0, planNo: "PL1") == nil)
        var larger = input
        larger.sumInsured += 1_000_000
        #expect(prepared.taken(for: larger, customer: customer, held: 0, planNo: "PL1") == nil)
    }

    @Test("a quote that cannot be made is refused ahead for the same reason")
    func failureAhead() throws {
        let request = try #require(requests(200, seed: 5).first {
            if case .enrollmentApply = $0.body { true } else { false }
        })
        guard case .enrollmentApply(let customer, var input, let payment) = request.body else { return }
        input.productCode = "NO-SUCH-PRODUCT"
        let unknown = Request(requestId: request.requestId, body: .enrollmentApply(customer: customer, quote: input, payment: payment))
        let prepared = try #require(SpeculativeQuote(unknown, RequestGeneratorTests.catalog, on: day))
        input.issueDocument = true
        let taken = try #require(prepared.taken(for: input, customer: customer, held: 0, planNo: "PL1"))
        guard case .failure(let failure) = taken else {
            Issue.record("an unknown product was quoted")
            return
        }
        #expect(failure == .unknownProduct("NO-SUCH-PRODUCT"))
    }
}
