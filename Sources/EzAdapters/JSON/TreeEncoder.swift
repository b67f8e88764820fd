/// The `Encoder` behind `FastJSONEncoder`: builds a `JSONTree` whose primitives are already
/// JSON text in the arena.
final class TreeEncoder: Encoder {
    let arena: JSONArena
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var tree: JSONTree?

    init(arena: JSONArena, path: [any CodingKey]) {
        self.arena = arena
        self.codingPath = path
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: JSONObjectBox
        if case .object(let existing) = tree { box = existing } else {
            box = JSONObjectBox()
            tree = .object(box)
        }
        return KeyedEncodingContainer(TreeKeyedContainer<Key>(box: box, arena: arena, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box: JSONArrayBox
        if case .array(let existing) = tree { box = existing } else {
            box = JSONArrayBox()
            tree = .array(box)
        }
        return TreeUnkeyedContainer(box: box, arena: arena, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        TreeSingleValueContainer(encoder: self)
    }

    /// `value` as a tree: its text when it is a primitive, else what it encodes.
    static func tree<T: Encodable>(of value: T, arena: JSONArena, path: @autoclosure () -> [any CodingKey]) throws -> JSONTree {
        if let primitive = try arena.primitive(value, path: path()) { return primitive }
        let encoder = TreeEncoder(arena: arena, path: path())
        try value.encode(to: encoder)
        return encoder.tree ?? .object(JSONObjectBox())
    }
}

struct TreeKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: JSONObjectBox
    let arena: JSONArena
    let codingPath: [any CodingKey]

    private func add(_ key: Key, _ value: JSONTree) {
        box.keys.append(key.stringValue)
        box.values.append(value)
    }

    mutating func encodeNil(forKey key: Key) throws { add(key, arena.literal("null")) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { add(key, arena.literal(value ? "true" : "false")) }
    mutating func encode(_ value: String, forKey key: Key) throws { add(key, arena.string(value)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { add(key, arena.integer(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { add(key, arena.integer(value)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { add(key, arena.integer(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { add(key, try arena.double(value, path: codingPath + [key])) }

    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        if let value { add(key, arena.string(value)) }
    }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
        if let value { add(key, arena.integer(value)) }
    }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws {
        if let value { add(key, arena.integer(value)) }
    }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
        if let value { add(key, arena.literal(value ? "true" : "false")) }
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        add(key, try TreeEncoder.tree(of: value, arena: arena, path: codingPath + [key]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONObjectBox()
        add(key, .object(nested))
        return KeyedEncodingContainer(TreeKeyedContainer<NestedKey>(box: nested, arena: arena, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = JSONArrayBox()
        add(key, .array(nested))
        return TreeUnkeyedContainer(box: nested, arena: arena, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let encoder = TreeEncoder(arena: arena, path: codingPath + [key])
        add(key, .deferred(encoder))
        return encoder
    }
}

struct TreeUnkeyedContainer: UnkeyedEncodingContainer {
    let box: JSONArrayBox
    let arena: JSONArena
    let codingPath: [any CodingKey]
    var count: Int { box.values.count }

    private var indexKey: any CodingKey { JSONIndexKey(index: box.values.count) }

    mutating func encodeNil() throws { box.values.append(arena.literal("null")) }
    mutating func encode(_ value: String) throws { box.values.append(arena.string(value)) }
    mutating func encode(_ value: Int) throws { box.values.append(arena.integer(value)) }
    mutating func encode(_ value: Int64) throws { box.values.append(arena.integer(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        box.values.append(try TreeEncoder.tree(of: value, arena: arena, path: codingPath + [indexKey]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONObjectBox()
        let path = codingPath + [indexKey]
        box.values.append(.object(nested))
        return KeyedEncodingContainer(TreeKeyedContainer<NestedKey>(box: nested, arena: arena, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = JSONArrayBox()
        let path = codingPath + [indexKey]
        box.values.append(.array(nested))
        return TreeUnkeyedContainer(box: nested, arena: arena, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let encoder = TreeEncoder(arena: arena, path: codingPath + [indexKey])
        box.values.append(.deferred(encoder))
        return encoder
    }
}

struct TreeSingleValueContainer: SingleValueEncodingContainer {
    let encoder: TreeEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws { encoder.tree = encoder.arena.literal("null") }
    mutating func encode(_ value: Bool) throws { encoder.tree = encoder.arena.literal(value ? "true" : "false") }
    mutating func encode(_ value: String) throws { encoder.tree = encoder.arena.string(value) }
    mutating func encode(_ value: Int) throws { encoder.tree = encoder.arena.integer(value) }
    mutating func encode(_ value: Int64) throws { encoder.tree = encoder.arena.integer(value) }
    mutating func encode(_ value: Double) throws { encoder.tree = try encoder.arena.double(value, path: codingPath) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        encoder.tree = try TreeEncoder.tree(of: value, arena: encoder.arena, path: codingPath)
    }
}

/// The coding key of an array element, for error paths.
struct JSONIndexKey: CodingKey {
    let index: Int
    init(index: Int) { self.index = index }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { self.index = intValue }
    var stringValue: String { "Index \(index)" }
    var intValue: Int? { index }
}
