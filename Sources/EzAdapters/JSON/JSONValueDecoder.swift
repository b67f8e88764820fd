import Foundation

// MARK: - Decoder and single-value container

extension FastJSONDecoder {
    struct ValueDecoder: Decoder, SingleValueDecodingContainer {
        let doc: UnsafePointer<Document>
        let index: Int32

        @inline(__always) var at: Int { Int(index) }

        var codingPath: [any CodingKey] { doc.pointee.path(to: at) }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            KeyedDecodingContainer(try KeyedContainer<Key>(doc: doc, index: at))
        }

        func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
            try UnkeyedContainer(doc: doc, index: at)
        }

        func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

        func decodeNil() -> Bool { doc.pointee.nodes[at].kind == .null }
        func decode(_ type: Bool.Type) throws -> Bool { try doc.pointee.bool(at: at) }
        func decode(_ type: String.Type) throws -> String { try doc.pointee.string(at: at) }
        func decode(_ type: Double.Type) throws -> Double { try doc.pointee.double(at: at) }
        func decode(_ type: Float.Type) throws -> Float { try doc.pointee.float(at: at) }
        func decode(_ type: Int.Type) throws -> Int { try doc.pointee.integer(type, at: at) }
        func decode(_ type: Int8.Type) throws -> Int8 { try doc.pointee.integer(type, at: at) }
        func decode(_ type: Int16.Type) throws -> Int16 { try doc.pointee.integer(type, at: at) }
        func decode(_ type: Int32.Type) throws -> Int32 { try doc.pointee.integer(type, at: at) }
        func decode(_ type: Int64.Type) throws -> Int64 { try doc.pointee.integer(type, at: at) }
        func decode(_ type: UInt.Type) throws -> UInt { try doc.pointee.integer(type, at: at) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try doc.pointee.integer(type, at: at) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try doc.pointee.integer(type, at: at) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try doc.pointee.integer(type, at: at) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try doc.pointee.integer(type, at: at) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try doc.pointee.decodeValue(type, at: at, doc) }
    }
}

extension FastJSONDecoder {
    /// What `superDecoder(forKey:)` gives for a missing key: a null value at that key's path.
    struct MissingValueDecoder: Decoder, SingleValueDecodingContainer {
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func notFound(_ type: Any.Type, _ message: String? = nil) -> DecodingError {
            DecodingError.valueNotFound(type, DecodingError.Context(
                codingPath: codingPath, debugDescription: message ?? "Cannot get value of type \(type) -- found null value instead"))
        }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            throw notFound([String: Any].self, "Cannot get keyed decoding container -- found null value instead")
        }

        func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
            throw notFound([Any].self, "Cannot get unkeyed decoding container -- found null value instead")
        }

        func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

        func decodeNil() -> Bool { true }
        func decode(_ type: Bool.Type) throws -> Bool {
            throw DecodingError.typeMismatch(type, DecodingError.Context(
                codingPath: codingPath, debugDescription: "Expected to decode Bool but found null instead."))
        }
        func decode(_ type: String.Type) throws -> String { throw notFound(type) }
        func decode(_ type: Double.Type) throws -> Double { throw notFound(type) }
        func decode(_ type: Float.Type) throws -> Float { throw notFound(type) }
        func decode(_ type: Int.Type) throws -> Int { throw notFound(type) }
        func decode(_ type: Int8.Type) throws -> Int8 { throw notFound(type) }
        func decode(_ type: Int16.Type) throws -> Int16 { throw notFound(type) }
        func decode(_ type: Int32.Type) throws -> Int32 { throw notFound(type) }
        func decode(_ type: Int64.Type) throws -> Int64 { throw notFound(type) }
        func decode(_ type: UInt.Type) throws -> UInt { throw notFound(type) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { throw notFound(type) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { throw notFound(type) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { throw notFound(type) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { throw notFound(type) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            if T.self == Data.self || T.self == URL.self || T.self == Decimal.self { throw notFound(type) }
            return try T(from: self)
        }
    }
}
