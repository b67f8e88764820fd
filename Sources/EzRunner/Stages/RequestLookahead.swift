import EzAdapters
import EzCore
import Foundation

/// The requests stage's next chunk, read from a snapshot and prepared on a thread of its own
/// (`Prefetcher`) while the chunk before it is processed: the stored bodies decoded, and each
/// `enrollment.apply` priced and underwritten ahead (`SpeculativeQuote`) for a new customer.
///
/// Nothing prepared is trusted blindly: the chunk's transaction takes the prepared requests
/// only when the pending requests it finds are exactly those (`pendingSeqs`), and a request
/// takes its prepared quote only when the quote it would make has the same inputs. A stored
/// request never changes and only this stage (under its lock) moves one out of PENDING, so the
/// two agree unless another run has ingested in between; the chunk is then read in the
/// transaction as before. Either way the same rows, numbers and bytes are written.
final class RequestLookahead: @unchecked Sendable {
    private let prefetch: Prefetcher<PreparedRequests>

    init(_ ctx: RunContext, _ catalog: ProductCatalog) {
        let reader = Reader(store: ctx.store, chunkSize: ctx.chunkSize, date: ctx.asOf, catalog: catalog)
        prefetch = Prefetcher(ahead: !ConsumerFollower.serial) { try reader.next() }
    }

    /// The next chunk read ahead; nil at the end, or after the read failed (the transaction
    /// then reads the chunk itself, and meets the failure there if it lasts).
    func next() -> PreparedRequests? {
        (try? prefetch.next()) ?? nil
    }

    /// Ends the thread; owed once the stage is done with it.
    func stop() { prefetch.stop() }

    /// Reads one chunk after another, from where the last one it read ended. Used by one
    /// thread at a time; it holds only what it needs of the run (the store is thread-safe).
    private final class Reader: @unchecked Sendable {
        private let store: StateStore
        private let chunkSize: Int
        private let date: BusinessDate
        private let catalog: ProductCatalog
        private var after: Int64 = 0

        init(store: StateStore, chunkSize: Int, date: BusinessDate, catalog: ProductCatalog) {
            (self.store, self.chunkSize, self.date, self.catalog) = (store, chunkSize, date, catalog)
        }

        func next() throws -> PreparedRequests? {
            let items = try store.read { try $0.pendingRequests(after: after, limit: chunkSize) }
            guard let last = items.last else { return nil }
            after = last.seq
            return PreparedRequests(items: items, quotes: items.map { SpeculativeQuote($0.request, catalog, on: date) })
        }
    }
}

/// A chunk of pending requests as read ahead, with the quote prepared for each (nil where
/// none was).
struct PreparedRequests: Sendable {
    var items: [PendingRequest]
    var quotes: [SpeculativeQuote?]
}

/// An `enrollment.apply` priced and underwritten before its transaction, as it will be if its
/// customer holds no sum insured of the product yet (a new customer's): `Quoting.quote` is a
/// function of its arguments alone, and the plan number it is given only names the plan, so
/// it is quoted without one and numbered when taken. The breakdown's JSON is written ahead too.
struct SpeculativeQuote: Sendable {
    let input: QuoteInput
    let customer: Customer
    /// The quote (plan not yet numbered) and its breakdown's JSON, or why it could not be made.
    let outcome: Result<(result: Quoting.Result, breakdown: UTF8Text?), Quoting.Failure>

    /// Only for `enrollment.apply`, quoted as the requests stage quotes it (with its document);
    /// nil for other requests, or when the breakdown cannot be written (the stage then meets
    /// the error itself).
    init?(_ request: Request, _ catalog: ProductCatalog, on date: BusinessDate) {
        guard case .enrollmentApply(let customer, var input, _) = request.body else { return nil }
        input.issueDocument = true
        do {
            let result = try Quoting.quote(input, customer: customer, catalog: catalog, on: date,
                                           heldSumInsured: 0, planNo: "", requestId: request.requestId)
            outcome = .success((result, try result.breakdown.map { try StoreJSON.encodeBytes($0) }))
        } catch let failure as Quoting.Failure {
            outcome = .failure(failure)
        } catch {
            return nil
        }
        self.input = input
        self.customer = customer
    }

    /// The quote of `input` for `customer` holding `held`, numbered `planNo`, if this is it.
    func taken(for input: QuoteInput, customer: Customer, held: Int64,
               planNo: String) -> Result<(result: Quoting.Result, breakdown: UTF8Text?), Quoting.Failure>? {
        guard held == 0, input == self.input, customer == self.customer else { return nil }
        return outcome.map { quoted in
            var result = quoted.result
            result.plan.planNo = planNo
            return (result, quoted.breakdown)
        }
    }
}
