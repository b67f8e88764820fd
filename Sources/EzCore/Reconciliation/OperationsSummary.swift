/// What happened on one business date, from the event log and the intake tables.
public struct OperationsSummary: Hashable, Sendable {
    /// Request lines read from files received that day (accepted + duplicate + rejected).
    public var requestsReceived = 0
    public var accepted = 0
    public var duplicates = 0
    public var rejected = 0
    public var unreadableFiles = 0
    /// Intake rejections by reason (field and reason), most frequent first.
    public var rejectedByReason: [Tally] = []
    /// Valid requests whose business preconditions failed, by reason.
    public var failedByReason: [Tally] = []
    public var quotes = 0
    /// Underwriting declines by rule code (a plan may count under several).
    public var underwritingDeclinesByReason: [Tally] = []
    public var plansDeclined = 0
    /// Declined first premiums by the gateway's reason.
    public var paymentDeclinesByReason: [Tally] = []
    public var paymentsDeferred = 0
    public var contracts = 0
    /// Sum of the first premiums of the contracts established that day (KRW).
    public var premiumWritten: Int64 = 0
    public var withdrawalsRequested = 0
    public var withdrawalsCompleted = 0
    public var withdrawalsCancelled = 0
    public var withdrawalsRejected = 0
    public var refunds = 0
    public var refundAmount: Int64 = 0

    public init() {}
}

/// A label and how many times it occurred.
public struct Tally: Hashable, Sendable {
    public var label: String
    public var count: Int
    public init(_ label: String, _ count: Int) {
        self.label = label
        self.count = count
    }

    /// Tallies of `labels`, most frequent first, then by label (deterministic).
    public static func of(_ labels: [String]) -> [Tally] {
        var counts: [String: Int] = [:]
        for l in labels { counts[l, default: 0] += 1 }
        return of(counts: counts)
    }

    /// Tallies of labels already counted, in the same order.
    public static func of(counts: [String: Int]) -> [Tally] {
        counts.map { Tally($0.key, $0.value) }.sorted { ($0.count, $1.label) > ($1.count, $0.label) }
    }
}
