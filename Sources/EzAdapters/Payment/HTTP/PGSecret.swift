import Foundation

/// The PG secret key. Read from `EZINSURANCE_PG_SECRET`, else from the file named by
/// `EZINSURANCE_PG_SECRET_FILE` (or `secret_file` in `gateway.yaml`); never from the catalog.
/// Its description is masked, so it cannot end up in a log line or an error message.
public struct PGSecret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public static let environmentKey = "EZINSURANCE_PG_SECRET"
    public static let fileEnvironmentKey = "EZINSURANCE_PG_SECRET_FILE"

    let value: String

    public init(_ value: String) { self.value = value }

    public var description: String { "PGSecret(****)" }
    public var debugDescription: String { description }

    /// The Authorization header value.
    var authorization: String { PGWire.basicAuthorization(secret: value) }

    /// The secret from the environment, else from a file; nil when neither is set.
    /// - Throws: `GatewayConfigError` when the file is named but unreadable or empty.
    public static func resolve(environment: [String: String], file: String? = nil) throws -> PGSecret? {
        if let v = environment[environmentKey], !v.isEmpty { return PGSecret(v) }
        guard let path = environment[fileEnvironmentKey].flatMap({ $0.isEmpty ? nil : $0 }) ?? file else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GatewayConfigError(message: "cannot read the PG secret file \(path)")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw GatewayConfigError(message: "the PG secret file \(path) is empty") }
        return PGSecret(text)
    }
}
