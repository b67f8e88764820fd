/// One line of the alarm outbox: a rendered KakaoTalk message for one event.
public struct AlarmMessage: Hashable, Sendable, Codable {
    /// Stable id: the same event always yields the same id, in any home.
    public var messageId: String
    public var templateCode: String
    public var customerNo: String
    public var phone: String
    public var correlation: Correlation
    public var variables: AlarmMessageVariables
    public var text: String
    public var eventSeq: Int64
    public var eventType: String
    public var occurredOn: BusinessDate

    enum CodingKeys: String, CodingKey {
        case messageId = "message_id", templateCode = "template_code", customerNo = "customer_no"
        case phone, correlation, variables, text, eventSeq = "event_seq", eventType = "event_type"
        case occurredOn = "occurred_on"
    }
}

/// The variables a message keeps, by name, in the UTF-8 byte order of the names (the order
/// an outbox line writes them in, as JSON with sorted keys). Kept as an ordered list rather
/// than a dictionary: a message is made for most events, and its few variables are written
/// once, in this order, without being hashed or sorted again.
public struct AlarmMessageVariables: Hashable, Sendable, Codable, ExpressibleByDictionaryLiteral {
    public struct Entry: Hashable, Sendable {
        public var name: String
        public var value: String
    }

    /// In the UTF-8 byte order of `name`, each name once.
    public private(set) var entries: [Entry]

    /// Entries already in order, each name once (a compiled template's variables).
    init(ordered entries: [Entry]) {
        self.entries = entries
    }

    public init(_ byName: [String: String]) {
        entries = byName.map { Entry(name: $0.key, value: $0.value) }
            .sorted { UTF8Order.precedes($0.name, $1.name) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    public subscript(name: String) -> String? {
        entries.first { $0.name == name }?.value
    }

    public init(from decoder: any Decoder) throws {
        self.init(try [String: String](from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0.value) }).encode(to: encoder)
    }
}

/// Who an alarm goes to, as the alarm module knows from customer events.
public struct AlarmRecipient: Hashable, Sendable, Codable {
    public var customerNo: String
    public var name: String
    public var phone: String
    public init(customerNo: String, name: String, phone: String) {
        self.customerNo = customerNo
        self.name = name
        self.phone = phone
    }
}
