/// One line of the alarm outbox: a rendered KakaoTalk message for one event.
public struct AlarmMessage: Hashable, Sendable, Codable {
    /// Stable id: the same event always yields the same id, in any home.
    public var messageId: String
    public var templateCode: String
    public var customerNo: String
    public var phone: String
    public var correlation: Correlation
    public var variables: [String: String]
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
