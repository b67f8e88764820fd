/// Why one request line was refused: every field error of the line, not just the first.
///
/// `requestId` and `type` are filled when the line carries them in a usable form, so the
/// rejection can be shown in the status view of that request.
public struct RequestRejection: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The line's `request_id` when it is present and itself valid; nil otherwise.
    public var requestId: String?
    /// The line's `type` as written, when it is a string (even an unknown one).
    public var type: String?
    /// At least one error, in a stable order (the order fields are checked in).
    public var errors: [FieldError]

    public init(requestId: String?, type: String?, errors: [FieldError]) {
        self.requestId = requestId
        self.type = type
        self.errors = errors
    }

    public var description: String {
        let head = "request \(requestId ?? "?")" + (type.map { " (\($0))" } ?? "")
        return head + ": " + errors.map(\.description).joined(separator: "; ")
    }

    enum CodingKeys: String, CodingKey { case requestId = "request_id", type, errors }
}
