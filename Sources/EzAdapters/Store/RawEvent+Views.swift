import EzCore

extension RawEvent {
    /// The event as the status views take it (`StatusProjector.Input`): its payload read only as
    /// far as they need it (`ViewedPayload`), and the JSON of a request outcome, plan, proposal
    /// or withdrawal, which the views store as it is, taken from the payload's own bytes.
    public func forViews() throws -> StatusProjector.Input<UTF8Text> {
        let viewed = try JSONCodec.decode(ViewedPayload.self, fromUTF8: payload)
        guard type.isRequestOutcome == (viewed.key == "request") else {
            throw StoreError.corrupt("event \(seq): a \(viewed.key) payload under type \(type.rawValue)")
        }
        let input: StatusProjector.Viewed<UTF8Text>
        switch viewed.head {
        case .request(let outcome): input = .request(outcome, try record(viewed.key, onlyKey: viewed.onlyKey))
        case .customer(let customer): input = .customer(customer)
        case .item(let item, let status): input = .item(item, status: status, try record(viewed.key, onlyKey: viewed.onlyKey))
        }
        return StatusProjector.Input(seq: seq, occurredOn: occurredOn, payload: input)
    }

    /// The JSON of the payload's record, as `JSONCodec` writes that record: the bytes of the
    /// payload's one value when the payload is laid out as this program writes it (compact:
    /// `{"<key>":{...}}`, `onlyKey`: read to hold that key only); else the record decoded and
    /// written again.
    func record(_ key: String, onlyKey: Bool) throws -> UTF8Text {
        if onlyKey, let inner = Self.onlyValue(of: payload, key: key) { return UTF8Text(Array(inner)) }
        let bytes: [UInt8]
        switch try JSONCodec.decode(EventPayload.self, fromUTF8: payload) {
        case .request(let v): bytes = try JSONCodec.encodeBytes(v)
        case .customer(let v): bytes = try JSONCodec.encodeBytes(v)
        case .plan(let v): bytes = try JSONCodec.encodeBytes(v)
        case .proposal(let v): bytes = try JSONCodec.encodeBytes(v)
        case .withdrawal(let v): bytes = try JSONCodec.encodeBytes(v)
        }
        return UTF8Text(bytes)
    }

    /// The object under `key` of a `payload` read to hold one key only (and valid JSON): the
    /// bytes between `{"<key>":` and the payload's closing brace, when nothing else lies
    /// between (nil otherwise: spaces, or a value that is not an object).
    static func onlyValue(of payload: [UInt8], key: String) -> ArraySlice<UInt8>? {
        let start = key.utf8.count + 4
        guard payload.count > start + 2, payload[0] == UInt8(ascii: "{"), payload[1] == UInt8(ascii: "\""),
              payload[2..<(start - 2)].elementsEqual(key.utf8),
              payload[start - 2] == UInt8(ascii: "\""), payload[start - 1] == UInt8(ascii: ":"),
              payload[start] == UInt8(ascii: "{"), payload[payload.count - 2] == UInt8(ascii: "}"),
              payload[payload.count - 1] == UInt8(ascii: "}")
        else { return nil }
        return payload[start...(payload.count - 2)]
    }
}
