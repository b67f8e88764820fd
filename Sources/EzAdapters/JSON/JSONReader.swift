import EzCore
import Foundation

/// A value read straight from a parsed document by `FastJSONDecoder`, without the decoding
/// containers: the records read on every event (payloads, stored rows, views) conform, and a
/// test holds each to what its `Decodable` conformance reads. Errors are `DecodingError`s of
/// the kinds `Decodable` would throw (a missing key, a type mismatch, a corrupt value).
protocol JSONReadable {
    static func read(_ doc: UnsafePointer<FastJSONDecoder.Document>, at index: Int) throws -> Self
}

/// The fields of one object, looked up by key as synthesized `Decodable` looks them up.
struct JSONFields {
    let doc: UnsafePointer<FastJSONDecoder.Document>
    let object: Int

    /// Throws as a keyed container does when the value at `index` is not an object.
    init(_ doc: UnsafePointer<FastJSONDecoder.Document>, at index: Int) throws {
        self.doc = doc
        self.object = Int(try FastJSONDecoder.KeyedContainer<FastJSONDecoder.PathKey>(doc: doc, index: index).object)
    }

    /// The value of a required field (`decode`).
    @inline(__always)
    func callAsFunction<T: JSONReadable>(_ key: StaticString) throws -> T {
        guard let index = find(key) else {
            let name = FastJSONDecoder.PathKey(stringValue: key.description)
            throw DecodingError.keyNotFound(name, DecodingError.Context(
                codingPath: doc.pointee.path(to: object),
                debugDescription: "No value associated with key \(name) (\"\(key)\")."))
        }
        return try T.read(doc, at: index)
    }

    /// The value of an optional field: nil when missing or null (`decodeIfPresent`).
    @inline(__always)
    func optional<T: JSONReadable>(_ key: StaticString) throws -> T? {
        guard let index = find(key), doc.pointee.nodes[index].kind != .null else { return nil }
        return try T.read(doc, at: index)
    }

    /// The one key of `keys` the object holds, with its value's index, as synthesized
    /// `Decodable` reads an enum with associated values: exactly one of its case keys must be
    /// there (other keys are ignored).
    func oneCase(of keys: [StaticString], in type: Any.Type) throws -> (key: Int, value: Int) {
        var found: (key: Int, value: Int)?
        var count = 0
        for (position, key) in keys.enumerated() {
            guard let index = find(key) else { continue }
            count += 1
            found = (position, index)
        }
        guard count == 1, let found else {
            throw DecodingError.typeMismatch(type, DecodingError.Context(
                codingPath: doc.pointee.path(to: object), debugDescription: "Invalid number of keys found, expected one."))
        }
        return found
    }

    @inline(__always)
    private func find(_ key: StaticString) -> Int? {
        doc.pointee.find(utf8: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount),
                         in: object) { key.description }
    }
}

extension FastJSONDecoder {
    /// `T` read directly when it is `JSONReadable`; nil otherwise.
    static func readDirectly<T>(_ type: T.Type, _ doc: UnsafePointer<Document>) throws -> T? {
        guard let readable = type as? any JSONReadable.Type else { return nil }
        func read<R: JSONReadable>(_ r: R.Type) throws -> T {
            precondition(R.self == T.self)
            let value = try R.read(doc, at: 0)
            return withUnsafePointer(to: value) { $0.withMemoryRebound(to: T.self, capacity: 1) { $0.pointee } }
        }
        return try read(readable)
    }
}

extension String: JSONReadable {
    static func read(_ doc: UnsafePointer<FastJSONDecoder.Document>, at index: Int) throws -> String {
        try doc.pointee.string(at: index)
    }
}

extension Bool: JSONReadable {
    static func read(_ doc: UnsafePointer<FastJSONDecoder.Document>, at index: Int) throws -> Bool {
        try doc.pointee.bool(at: index)
    }
}

extension Int: JSONReadable {
    static func read(_ doc: UnsafePointer<FastJSONDecoder.Document>, at index: Int) throws -> Int {
        try doc.pointee.integer(Int.self, at: index)
    }
}

extension Int64: JSONReadable {
    static func read(_ doc: UnsafePointer<FastJSONDecoder.Document>, at index: Int) throws -> Int64 {
        try doc.pointee.integer(Int64.self, at: index)
    }
}

extension Array: JSONReadable where Element: JSONReadable {
    static func read(_ doc: UnsafePointer<FastJSONDecoder.Document>, at index: Int) throws -> [Element] {
        let container = try FastJSONDecoder.UnkeyedContainer(doc: doc, index: index)
        var elements: [Element] = []
        elements.reserveCapacity(Int(container.elements))
        var node = index + 1
        for _ in 0..<Int(container.elements) {
            elements.append(try Element.read(doc, at: node))
            node = Int(doc.pointee.nodes[node].next)
        }
        return elements
    }
}

extension BusinessDate: JSONReadable {
    static func read(_ doc: UnsafePointer<FastJSONDecoder.Document>, at index: Int) throws -> BusinessDate {
        let text = try doc.pointee.string(at: index)
        guard let date = BusinessDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: doc.pointee.path(to: index),
                                                    debugDescription: "not a date (YYYY-MM-DD): \(text)"))
        }
        return date
    }
}

/// An enum read from its raw string.
protocol JSONReadableRawString: JSONReadable, RawRepresentable where RawValue == String {}

extension JSONReadableRawString {
    static func read(_ doc: UnsafePointer<FastJSONDecoder.Document>, at index: Int) throws -> Self {
        let text = try doc.pointee.string(at: index)
        guard let value = Self(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: doc.pointee.path(to: index),
                debugDescription: "Cannot initialize \(Self.self) from invalid String value \(text)"))
        }
        return value
    }
}
