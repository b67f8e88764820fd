import Foundation

// MARK: - The parsed document: value conversion and errors

extension FastJSONDecoder {
    struct Document {
        let bytes: UnsafePointer<UInt8>
        let nodes: UnsafeMutablePointer<Node>

        @inline(__always)
        func node(_ index: Int) -> Node { nodes[index] }

        // MARK: Generic values

        func decodeValue<T: Decodable>(_ type: T.Type, at index: Int, _ doc: UnsafePointer<Document>) throws -> T {
            if T.self == String.self { return unsafeBitCast(try string(at: index), to: T.self) }
            if T.self == Int.self { return unsafeBitCast(try integer(Int.self, at: index), to: T.self) }
            if T.self == Int64.self { return unsafeBitCast(try integer(Int64.self, at: index), to: T.self) }
            if T.self == Bool.self { return unsafeBitCast(try bool(at: index), to: T.self) }
            if T.self == Double.self { return unsafeBitCast(try double(at: index), to: T.self) }
            if T.self == Int32.self { return unsafeBitCast(try integer(Int32.self, at: index), to: T.self) }
            if T.self == Data.self { return unsafeBitCast(try data(at: index), to: T.self) }
            if T.self == URL.self { return unsafeBitCast(try url(at: index), to: T.self) }
            if T.self == Decimal.self { return unsafeBitCast(try decimal(at: index), to: T.self) }
            return try T(from: ValueDecoder(doc: doc, index: Int32(truncatingIfNeeded: index)))
        }

        // MARK: Errors

        /// The coding path of the value at `target`, rebuilt by walking down from the root.
        func path(to target: Int) -> [any CodingKey] {
            var path: [any CodingKey] = []
            var current = 0
            while current != target {
                let n = nodes[current]
                guard target > current, target < Int(n.next) else { return path }
                switch n.kind {
                case .object:
                    var key = current + 1
                    while true {
                        let valueEnd = Int(nodes[key + 1].next)
                        if target < valueEnd {
                            path.append(PathKey(stringValue: (try? keyString(key)) ?? ""))
                            current = key + 1
                            if target == key { return path }
                            break
                        }
                        key = valueEnd
                    }
                case .array:
                    var element = current + 1
                    var position = 0
                    while true {
                        let elementEnd = Int(nodes[element].next)
                        if target < elementEnd {
                            path.append(PathKey(index: position))
                            current = element
                            break
                        }
                        element = elementEnd
                        position += 1
                    }
                default:
                    return path
                }
            }
            return path
        }

        static func describe(_ kind: Kind) -> String {
            switch kind {
            case .null: "null"
            case .falseValue, .trueValue: "bool"
            case .number: "number"
            case .string: "a string"
            case .array: "an array"
            case .object: "a dictionary"
            }
        }

        /// The error for a value of the wrong kind: value-not-found for null, type mismatch otherwise.
        func mismatch(_ type: Any.Type, at index: Int) -> DecodingError {
            let kind = nodes[index].kind
            if kind == .null {
                return DecodingError.valueNotFound(type, DecodingError.Context(
                    codingPath: path(to: index),
                    debugDescription: "Cannot get value of type \(type) -- found null value instead"))
            }
            return typeMismatch(type, at: index)
        }

        func typeMismatch(_ type: Any.Type, at index: Int) -> DecodingError {
            DecodingError.typeMismatch(type, DecodingError.Context(
                codingPath: path(to: index),
                debugDescription: "Expected to decode \(type) but found \(Self.describe(nodes[index].kind)) instead."))
        }

        func corrupted(_ message: String, at index: Int, offset: Int) -> DecodingError {
            FastJSONDecoder.corrupted("The given data was not valid JSON: \(message) at byte offset \(offset).",
                                      path: path(to: index))
        }

        func text(_ n: Node) -> String {
            String(decoding: UnsafeBufferPointer(start: bytes + Int(n.a), count: Int(n.b)), as: UTF8.self)
        }

        func notRepresentable(_ type: Any.Type, at index: Int) -> DecodingError {
            FastJSONDecoder.corrupted("Parsed JSON number <\(text(nodes[index]))> does not fit in \(type).",
                                      path: path(to: index))
        }

        // MARK: Bool

        @inline(__always)
        func bool(at index: Int) throws -> Bool {
            switch nodes[index].kind {
            case .trueValue: return true
            case .falseValue: return false
            // Foundation: null for a Bool is a type mismatch, not a missing value.
            default: throw typeMismatch(Bool.self, at: index)
            }
        }
    }
}

import Foundation

extension FastJSONDecoder.Document {
    // MARK: Object lookups

    /// The value node for `key` in the object at `object`, or nil.
    @inline(__always)
    func find(_ key: some CodingKey, in object: Int) -> Int? {
        let name = key.stringValue
        var utf8 = name
        return utf8.withUTF8 { find(utf8: $0, in: object) { name } }
    }

    /// The value node for the key spelled by `want` (UTF-8) in the object at `object`, or nil.
    /// Bytes are compared first; `name` gives the key as a `String` for the slow comparison.
    @inline(__always)
    func find(utf8 want: UnsafeBufferPointer<UInt8>, in object: Int, name: () -> String) -> Int? {
        let o = nodes[object]
        if o.b == 0 { return nil }
        if o.flags & FastJSONDecoder.complexKeys != 0 { return findSlow(name(), in: object) }
        let end = Int(o.next)
        let length = want.count
        var k = o.flags & FastJSONDecoder.duplicateKeys == 0 ? Int(o.a) : object + 1
        for _ in 0..<Int(o.b) {
            let candidate = nodes[k]
            let value = k + 1
            var after = Int(nodes[value].next)
            if Int(candidate.b) == length {
                let p = bytes + Int(candidate.a)
                var equal = true
                for m in 0..<length where p[m] != want[m] {
                    equal = false
                    break
                }
                if equal {
                    if after == end { after = object + 1 }
                    nodes[object].a = UInt32(after)
                    return value
                }
            }
            k = after == end ? object + 1 : after
        }
        // A key with non-ASCII characters may still equal an ASCII one (U+212A KELVIN SIGN is "K").
        if want.contains(where: { $0 >= 0x80 }) { return findSlow(name(), in: object) }
        return nil
    }

    /// Compares keys as `String`s (canonical equivalence, as Foundation's dictionary of keys does).
    func findSlow(_ name: String, in object: Int) -> Int? {
        var o = nodes[object]
        if o.flags & (FastJSONDecoder.checkedKeys | FastJSONDecoder.duplicateKeys) == 0 {
            // Once per object: are the keys distinct as Strings? Then lookups can start after the last hit.
            var seen = Set<String>()
            var k = object + 1
            for _ in 0..<Int(o.b) {
                if !seen.insert((try? keyString(k)) ?? "").inserted {
                    o.flags |= FastJSONDecoder.duplicateKeys
                    break
                }
                k = Int(nodes[k + 1].next)
            }
            o.flags |= FastJSONDecoder.checkedKeys
            nodes[object].flags = o.flags
        }
        let end = Int(o.next)
        var k = o.flags & FastJSONDecoder.duplicateKeys == 0 ? Int(o.a) : object + 1
        for _ in 0..<Int(o.b) {
            let after = Int(nodes[k + 1].next)
            if (try? keyString(k)) == name {
                nodes[object].a = UInt32(after == end ? object + 1 : after)
                return k + 1
            }
            k = after == end ? object + 1 : after
        }
        return nil
    }

    /// The object's keys in document order, each once.
    func keys(of object: Int) -> [String] {
        let o = nodes[object]
        var keys: [String] = []
        keys.reserveCapacity(Int(o.b))
        var k = object + 1
        for _ in 0..<Int(o.b) {
            keys.append((try? keyString(k)) ?? "")
            k = Int(nodes[k + 1].next)
        }
        if o.flags & (FastJSONDecoder.duplicateKeys | FastJSONDecoder.complexKeys) != 0 {
            var seen = Set<String>()
            keys = keys.filter { seen.insert($0).inserted }
        }
        return keys
    }
}

extension FastJSONDecoder {
    /// A coding path element: an object key or an array index, as Foundation spells them.
    struct PathKey: CodingKey {
        let stringValue: String
        let intValue: Int?

        init(stringValue: String) {
            self.stringValue = stringValue
            self.intValue = nil
        }

        init(intValue: Int) {
            self.stringValue = "\(intValue)"
            self.intValue = intValue
        }

        init(index: Int) {
            self.stringValue = "Index \(index)"
            self.intValue = index
        }
    }
}
