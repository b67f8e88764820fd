/// Faults injected into the sandbox gateway. Stored in the sandbox's own ledger database
/// (table `faults`, one row), so separate CLI invocations and runs share them.
///
/// - `outage`: every call (charge, refund, lookup) throws `GatewayError.unavailable`.
/// - `latencyMs`: each call sleeps this long before it is processed.
/// - `failEvery`: every Nth charge-or-refund call (counted across processes in the ledger
///   database, 1-based; lookups do not count) throws `unavailable` before doing anything.
///   0 = off. Deterministic: no randomness.
/// - `timeoutAfterCommit`: charge and refund record (or replay) their transaction, then throw
///   `GatewayError.timeout`, as if the answer never reached the client. Lookups still answer.
public struct SandboxFaults: Hashable, Sendable, Codable {
    public var outage: Bool
    public var latencyMs: Int
    public var failEvery: Int
    public var timeoutAfterCommit: Bool

    public init(outage: Bool = false, latencyMs: Int = 0, failEvery: Int = 0,
                timeoutAfterCommit: Bool = false) {
        self.outage = outage
        self.latencyMs = latencyMs
        self.failEvery = failEvery
        self.timeoutAfterCommit = timeoutAfterCommit
    }

    /// No faults.
    public static let none = SandboxFaults()

    public var isNone: Bool { self == .none }

    enum CodingKeys: String, CodingKey {
        case outage, latencyMs = "latency_ms", failEvery = "fail_every"
        case timeoutAfterCommit = "timeout_after_commit"
    }
}
