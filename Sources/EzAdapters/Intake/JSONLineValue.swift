import EzCore

/// Decodes a request line with `JSONDecoder` into the same `JSONValue` that
/// `JSONValue.init(from:)` gives, trying the likely kinds first: requests are mostly strings and
/// integers, and every failed try costs a thrown `DecodingError`. The top level is decoded
/// straight as an object (`[String: JSONLineValue]`).
struct JSONLineValue: Decodable {
    var value: JSONValue

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { value = .null }
        else if let s = try? c.decode(String.self) { value = .string(s) }
        else if let i = try? c.decode(Int64.self) { value = .int(i) }
        else if let o = try? c.decode([String: JSONLineValue].self) { value = .object(o.mapValues(\.value)) }
        else if let b = try? c.decode(Bool.self) { value = .bool(b) }
        else if let d = try? c.decode(Double.self) { value = .double(d) }
        else { value = .array(try c.decode([JSONLineValue].self).map(\.value)) }
    }
}
