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
        case .request(let outcome): input = .request(outcome, try record(viewed.key))
        case .customer(let customer): input = .customer(customer)
        case .item(let item, let status): input = .item(item, status: status, try record(viewed.key))
        }
        return StatusProjector.Input(seq: seq, occurredOn: occurredOn, payload: input)
    }

    /// The JSON of the payload's record, as `JSONCodec` writes that record: the bytes of the
    /// payload's one value when the payload is written as this program writes it (compact:
    /// `{"<key>":{...}}`); else the record decoded and written again.
    func record(_ key: String) throws -> UTF8Text {
        if let inner = Self.onlyValue(of: payload, key: key) { return UTF8Text(Array(inner)) }
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

    /// The object `payload` holds under `key` when `payload` is exactly `{"<key>":{...}}`, with no
    /// space anywhere outside that object (nil otherwise). The object's end is found by its
    /// braces outside strings; its contents were checked when the payload was read.
    static func onlyValue(of payload: [UInt8], key: String) -> ArraySlice<UInt8>? {
        let start = key.utf8.count + 4
        guard payload.count > start + 1, payload[0] == UInt8(ascii: "{"), payload[1] == UInt8(ascii: "\""),
              payload[2..<(start - 2)].elementsEqual(key.utf8),
              payload[start - 2] == UInt8(ascii: "\""), payload[start - 1] == UInt8(ascii: ":"),
              payload[start] == UInt8(ascii: "{"), payload[payload.count - 1] == UInt8(ascii: "}")
        else { return nil }
        let end = payload.withUnsafeBufferPointer { bytes -> Int? in
            var depth = 0, inString = false, escaped = false
            for i in start..<(bytes.count - 1) {
                let byte = bytes[i]
                if inString {
                    if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return i }
                default: break
                }
            }
            return nil
        }
        // The object closes: it must be the payload's last value.
        guard let end, end == payload.count - 2 else { return nil }
        return payload[start...end]
    }
}
