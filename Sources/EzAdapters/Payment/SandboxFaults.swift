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
/// - `lateAnswerMs`: charge and refund record (or replay) their transaction, then sleep this
///   long before answering: over HTTP the answer arrives after a client with a shorter
///   timeout gave up (it sees a timeout and must look the key up before retrying).
///
/// Over HTTP (`pg-sandbox serve`), `outage` also closes the server's listening socket, so
/// clients are refused at connect time, as with a real outage.
public struct SandboxFaults: Hashable, Sendable, Codable {
    public var outage: Bool
    public var latencyMs: Int
    public var failEvery: Int
    public var timeoutAfterCommit: Bool
    public var lateAnswerMs: Int

    public init(outage: Bool = false, latencyMs: Int = 0, failEvery: Int = 0,
                timeoutAfterCommit: Bool = false, lateAnswerMs: Int = 0) {
        self.outage = outage
        self.latencyMs = latencyMs
        self.failEvery = failEvery
        self.timeoutAfterCommit = timeoutAfterCommit
        self.lateAnswerMs = lateAnswerMs
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        outage = try c.decodeIfPresent(Bool.self, forKey: .outage) ?? false
        latencyMs = try c.decodeIfPresent(Int.self, forKey: .latencyMs) ?? 0
        failEvery = try c.decodeIfPresent(Int.self, forKey: .failEvery) ?? 0
        timeoutAfterCommit = try c.decodeIfPresent(Bool.self, forKey: .timeoutAfterCommit) ?? false
        lateAnswerMs = try c.decodeIfPresent(Int.self, forKey: .lateAnswerMs) ?? 0
    }

    /// No faults.
    public static let none = SandboxFaults()

    public var isNone: Bool { self == .none }

    enum CodingKeys: String, CodingKey {
        case outage, latencyMs = "latency_ms", failEvery = "fail_every"
        case timeoutAfterCommit = "timeout_after_commit", lateAnswerMs = "late_answer_ms"
    }
}
