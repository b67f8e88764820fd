import ArgumentParser
import EzAdapters
import EzCore
import Foundation

/// `ezinsurance pg-sandbox ...`: the sandbox payment gateway's ledger, faults and settlement.
/// The ledger lives at `<home>/pg-sandbox/ledger.sqlite`, outside the state store.
struct PgSandboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pg-sandbox",
        abstract: "The sandbox payment gateway: ledger, fault injection and settlement statements.",
        discussion: """
            Declines: card token tok_decline* -> CARD_DECLINED, tok_nofunds* -> INSUFFICIENT_FUNDS, \
            account number ending 0000 -> ACCOUNT_INVALID; anything else approves.
            Faults (shared by every process using the same home): outage, latency, \
            fail every Nth charge/refund, timeout after commit, late answers.
            `serve` puts the same ledger behind an HTTP API on loopback; `call` is a client of that API.
            """,
        subcommands: [Ledger.self, Faults.self, Settle.self, ResetFaults.self, PgSandboxServeCommand.self, Call.self]
    )

    enum Switch: String, ExpressibleByArgument, CaseIterable {
        case on, off
        var isOn: Bool { self == .on }
    }

    /// The home as every command resolves it (created and seeded when missing).
    static func home(_ common: CommonOptions) throws -> URL {
        try guarded { try Environment(common).home.root }
    }

    static func open(_ common: CommonOptions) throws -> SandboxGateway {
        let root = try home(common)
        return try guarded { try SandboxGateway(home: root) }
    }

    static func parseDate(_ text: String, option: String) throws -> BusinessDate {
        guard let date = BusinessDate(text) else {
            throw ValidationError("\(option): not a date (YYYY-MM-DD): \(text)")
        }
        return date
    }

    /// Runs `body` with the exit codes every command uses (70 for an unexpected error).
    static func guarded<T>(_ body: () throws -> T) throws -> T { try withExitCodes(body) }

    // MARK: ledger

    struct Ledger: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prints the sandbox ledger (all dates, or one business date).")

        @OptionGroup var common: CommonOptions

        @Option(name: .long, help: "Only this business date (YYYY-MM-DD).")
        var date: String?

        @Flag(name: .long, help: "One JSON object per line instead of a table.")
        var json = false

        func run() throws {
            let date = try self.date.map { try PgSandboxCommand.parseDate($0, option: "--date") }
            let gateway = try PgSandboxCommand.open(common)
            let entries = try PgSandboxCommand.guarded { try gateway.entries(date: date) }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                for entry in entries {
                    let line = try encoder.encode(JSONLine(entry))
                    print(String(decoding: line, as: UTF8.self))
                }
                return
            }
            if entries.isEmpty {
                print("(no transactions\(date.map { " on \($0)" } ?? ""))")
                return
            }
            let header = ["TRANSACTION", "DATE", "TYPE", "ORDER", "AMOUNT", "FEE", "STATUS", "CODE",
                          "INSTRUMENT", "ORIGINAL", "IDEMPOTENCY_KEY", "MESSAGE"]
            let rightAligned: Set<Int> = [4, 5]
            let rows = entries.map { e -> [String] in
                let t = e.transaction
                return [t.transactionId, t.businessDate.description, t.type.rawValue, t.orderId,
                        String(t.amount), String(t.fee), t.status.rawValue, t.declineCode ?? "-",
                        e.instrumentMasked, t.originalTransactionId ?? "-", t.idempotencyKey,
                        t.declineMessage ?? e.reason ?? ""]
            }
            let all = [header] + rows
            // Every column but the last (free Korean text) is padded to its widest cell.
            let widths = (0..<header.count - 1).map { i in all.map { $0[i].count }.max() ?? 0 }
            for row in all {
                var cells: [String] = []
                for (i, cell) in row.enumerated() {
                    if i == row.count - 1 { cells.append(cell); continue }
                    let pad = String(repeating: " ", count: widths[i] - cell.count)
                    cells.append(rightAligned.contains(i) ? pad + cell : cell + pad)
                }
                print(cells.joined(separator: "  ").trimmingTrailingSpaces())
            }
        }

        private struct JSONLine: Encodable {
            var transaction_id: String
            var idempotency_key: String
            var order_id: String
            var type: String
            var amount: Int64
            var fee: Int64
            var status: String
            var decline_code: String?
            var decline_message: String?
            var business_date: String
            var original_transaction_id: String?
            var instrument_masked: String
            var reason: String?

            init(_ e: SandboxLedgerEntry) {
                let t = e.transaction
                transaction_id = t.transactionId
                idempotency_key = t.idempotencyKey
                order_id = t.orderId
                type = t.type.rawValue
                amount = t.amount
                fee = t.fee
                status = t.status.rawValue
                decline_code = t.declineCode
                decline_message = t.declineMessage
                business_date = t.businessDate.description
                original_transaction_id = t.originalTransactionId
                instrument_masked = e.instrumentMasked
                reason = e.reason
            }
        }
    }

    // MARK: faults

    struct Faults: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sets the given fault injections and prints the faults in force.")

        @OptionGroup var common: CommonOptions

        @Option(name: .long, help: "Every call fails as unavailable (on|off).")
        var outage: Switch?

        @Option(name: .customLong("latency-ms"), help: "Sleep this many milliseconds before answering.")
        var latencyMs: Int?

        @Option(name: .customLong("fail-every"), help: "Every Nth charge/refund call fails as unavailable (0 = off).")
        var failEvery: Int?

        @Option(name: .customLong("timeout-after-commit"),
                help: "Charges and refunds are recorded, then the answer is lost (timeout) (on|off).")
        var timeoutAfterCommit: Switch?

        @Option(name: .customLong("late-answer-ms"),
                help: "Charges and refunds are recorded, then answered this many milliseconds late.")
        var lateAnswerMs: Int?

        func validate() throws {
            if let latencyMs, latencyMs < 0 { throw ValidationError("--latency-ms must not be negative") }
            if let failEvery, failEvery < 0 { throw ValidationError("--fail-every must not be negative") }
            if let lateAnswerMs, lateAnswerMs < 0 { throw ValidationError("--late-answer-ms must not be negative") }
        }

        func run() throws {
            let gateway = try PgSandboxCommand.open(common)
            let (faults, count) = try PgSandboxCommand.guarded {
                let f = try gateway.updateFaults(outage: outage?.isOn, latencyMs: latencyMs,
                                                 failEvery: failEvery, timeoutAfterCommit: timeoutAfterCommit?.isOn,
                                                 lateAnswerMs: lateAnswerMs)
                return (f, try gateway.callCount())
            }
            PgSandboxCommand.printFaults(faults, callCount: count)
        }
    }

    static func printFaults(_ f: SandboxFaults, callCount: Int) {
        print("outage:               \(f.outage ? "on" : "off")")
        print("latency_ms:           \(f.latencyMs)")
        print("fail_every:           \(f.failEvery)\(f.failEvery == 0 ? " (off)" : "")")
        print("timeout_after_commit: \(f.timeoutAfterCommit ? "on" : "off")")
        print("late_answer_ms:       \(f.lateAnswerMs)")
        print("calls_counted:        \(callCount)")
    }

    // MARK: settle

    struct Settle: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Exports the settlement statement of a business date to <home>/settlements/.")

        @OptionGroup var common: CommonOptions

        @Option(name: .long, help: "Business date to settle (YYYY-MM-DD; default --as-of, else today in Asia/Seoul).")
        var date: String?

        func run() throws {
            let date = try date.map { try PgSandboxCommand.parseDate($0, option: "--date") }
                ?? common.asOf.map { try PgSandboxCommand.parseDate($0, option: "--as-of") }
                ?? Environment.todayInSeoul()
            let home = try PgSandboxCommand.home(common)
            let gateway = try PgSandboxCommand.open(common)
            let url = try PgSandboxCommand.guarded {
                try gateway.exportSettlement(date: date,
                                             to: home.appendingPathComponent("settlements", isDirectory: true))
            }
            print(url.path)
        }
    }

    // MARK: reset-faults

    struct ResetFaults: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-faults",
            abstract: "Turns every fault injection off and restarts the call counter.")

        @OptionGroup var common: CommonOptions

        func run() throws {
            let gateway = try PgSandboxCommand.open(common)
            let (faults, count) = try PgSandboxCommand.guarded {
                try gateway.resetFaults()
                return (try gateway.faults(), try gateway.callCount())
            }
            PgSandboxCommand.printFaults(faults, callCount: count)
        }
    }
}

extension PgSandboxCommand {
    /// `pg-sandbox call`: one call through the HTTP gateway client (the adapter the runner
    /// uses), to probe a PG or the served sandbox. Prints the transaction as JSON.
    /// Exit codes: 0 answered (approved or declined), 69 unavailable, 75 timeout (outcome
    /// unknown: look the key up), 65 refused as invalid or conflicting.
    struct Call: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Charge, cancel (fully or partly) or look up through the HTTP gateway client.",
            subcommands: [Charge.self, Cancel.self, Lookup.self])

        struct Target: ParsableArguments {
            @Option(name: .long, help: "Base URL of the PG (default: $EZINSURANCE_PG_URL).") var url: String?
            @Option(name: .customLong("connect-timeout-ms")) var connectTimeoutMs = 2_000
            @Option(name: .customLong("request-timeout-ms")) var requestTimeoutMs = 10_000

            func gateway() throws -> HTTPPaymentGateway {
                let env = ProcessInfo.processInfo.environment
                guard let text = url ?? env[GatewayConfig.urlEnvironmentKey], let base = URL(string: text) else {
                    throw ValidationError("--url (or EZINSURANCE_PG_URL) is required")
                }
                return try PgSandboxCommand.guarded {
                    try HTTPPaymentGateway(baseURL: base, secret: try PGSecret.resolve(environment: env),
                                           connectTimeoutMs: connectTimeoutMs, requestTimeoutMs: requestTimeoutMs)
                }
            }
        }

        static func report(_ body: () throws -> GatewayTransaction?) throws {
            do {
                guard let t = try body() else {
                    print("(not found)")
                    throw ExitCode(1)
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(t), as: UTF8.self))
            } catch let error as GatewayError {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                switch error {
                case .unavailable: throw ExitCode(69)
                case .timeout: throw ExitCode(75)
                case .idempotencyConflict, .invalidRequest: throw ExitCode(65)
                }
            }
        }

        struct Charge: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "POST /v1/payments/confirm.")
            @OptionGroup var target: Target
            @Option(name: .long, help: "Idempotency key.") var key: String
            @Option(name: .long, help: "Order id.") var order: String
            @Option(name: .long, help: "Amount in KRW.") var amount: Int64
            @Option(name: .long, help: "Card token.") var card: String
            @Option(name: .long, help: "Card holder.") var holder = "홍길동"
            @Option(name: .long, help: "Business date (YYYY-MM-DD).") var date: String

            func run() throws {
                let day = try PgSandboxCommand.parseDate(date, option: "--date")
                let gateway = try target.gateway()
                try Call.report {
                    try gateway.charge(ChargeRequest(idempotencyKey: key, orderId: order, amount: amount,
                                                     instrument: .card(token: card), holderName: holder, businessDate: day))
                }
            }
        }

        struct Cancel: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "POST /v1/payments/{paymentKey}/cancel (an amount below the charge is a partial cancel).")
            @OptionGroup var target: Target
            @Option(name: .long, help: "Idempotency key.") var key: String
            @Option(name: .long, help: "The charge's transaction id (paymentKey).") var payment: String
            @Option(name: .long, help: "Order id of the charge.") var order: String
            @Option(name: .long, help: "Amount to cancel in KRW.") var amount: Int64
            @Option(name: .long, help: "Reason.") var reason = "청약철회"
            @Option(name: .long, help: "Business date (YYYY-MM-DD).") var date: String

            func run() throws {
                let day = try PgSandboxCommand.parseDate(date, option: "--date")
                let gateway = try target.gateway()
                try Call.report {
                    try gateway.refund(RefundRequest(idempotencyKey: key, originalTransactionId: payment, orderId: order,
                                                     amount: amount, reason: reason, businessDate: day))
                }
            }
        }

        struct Lookup: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "GET /v1/payments/idempotency-keys/{key}.")
            @OptionGroup var target: Target
            @Option(name: .long, help: "Idempotency key.") var key: String

            func run() throws {
                let gateway = try target.gateway()
                try Call.report { try gateway.lookup(idempotencyKey: key) }
            }
        }
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
