import EzAdapters
import EzCore
import EzRunner
import Foundation

/// Builds the payment gateway the runner uses, from `<home>/gateway.yaml` (default: the
/// sandbox with its own ledger under the home), behind a circuit breaker.
enum GatewayFactory {
    static func make(home: Home) throws -> any PaymentGateway {
        let start = Date()
        do {
            return try GatewayConfig.makeGateway(home: home.root) { Date().timeIntervalSince(start) }
        } catch let error as GatewayConfigError {
            throw RunnerError.invalidInput("\(error)")
        }
    }
}
