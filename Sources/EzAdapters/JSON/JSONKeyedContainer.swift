import Foundation

// MARK: - Keyed container

extension FastJSONDecoder {
    struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let doc: UnsafePointer<Document>
        let object: Int32

        init(doc: UnsafePointer<Document>, index: Int) throws {
            let kind = doc.pointee.nodes[index].kind
            guard kind == .object else {
                let path = doc.pointee.path(to: index)
                if kind == .null {
                    throw DecodingError.valueNotFound([String: Any].self, DecodingError.Context(
                        codingPath: path, debugDescription: "Cannot get keyed decoding container -- found null value instead"))
                }
                throw DecodingError.typeMismatch([String: Any].self, DecodingError.Context(
                    codingPath: path,
                    debugDescription: "Expected to decode \([String: Any].self) but found \(Document.describe(kind)) instead."))
            }
            self.doc = doc
            self.object = Int32(truncatingIfNeeded: index)
        }

        var codingPath: [any CodingKey] { doc.pointee.path(to: Int(object)) }

        var allKeys: [Key] { doc.pointee.keys(of: Int(object)).compactMap { Key(stringValue: $0) } }

        func contains(_ key: Key) -> Bool { doc.pointee.find(key, in: Int(object)) != nil }

        @inline(__always)
        func value(_ key: some CodingKey) throws -> Int {
            guard let index = doc.pointee.find(key, in: Int(object)) else {
                throw DecodingError.keyNotFound(key, DecodingError.Context(
                    codingPath: codingPath, debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\")."))
            }
            return index
        }

        /// The value node for `key`, or nil when the key is missing or its value is null.
        @inline(__always)
        func presentValue(_ key: Key) -> Int? {
            guard let index = doc.pointee.find(key, in: Int(object)),
                  doc.pointee.nodes[index].kind != .null else { return nil }
            return index
        }

        func decodeNil(forKey key: Key) throws -> Bool { doc.pointee.nodes[try value(key)].kind == .null }

        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try doc.pointee.bool(at: try value(key)) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try doc.pointee.string(at: try value(key)) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try doc.pointee.double(at: try value(key)) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try doc.pointee.float(at: try value(key)) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try doc.pointee.integer(type, at: try value(key)) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try doc.pointee.integer(type, at: try value(key)) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try doc.pointee.integer(type, at: try value(key)) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try doc.pointee.integer(type, at: try value(key)) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try doc.pointee.integer(type, at: try value(key)) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try doc.pointee.integer(type, at: try value(key)) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try doc.pointee.integer(type, at: try value(key)) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try doc.pointee.integer(type, at: try value(key)) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try doc.pointee.integer(type, at: try value(key)) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try doc.pointee.integer(type, at: try value(key)) }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try doc.pointee.decodeValue(type, at: try value(key), doc)
        }

        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
            guard let index = presentValue(key) else { return nil }
            return try doc.pointee.bool(at: index)
        }
        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
            guard let index = presentValue(key) else { return nil }
            return try doc.pointee.string(at: index)
        }
        func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
            guard let index = presentValue(key) else { return nil }
            return try doc.pointee.double(at: index)
        }
        func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? {
            guard let index = presentValue(key) else { return nil }
            return try doc.pointee.float(at: index)
        }
        func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try integerIfPresent(type, key) }
        func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try integerIfPresent(type, key) }
        func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try integerIfPresent(type, key) }
        func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try integerIfPresent(type, key) }
        func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try integerIfPresent(type, key) }
        func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try integerIfPresent(type, key) }
        func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try integerIfPresent(type, key) }
        func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try integerIfPresent(type, key) }
        func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try integerIfPresent(type, key) }
        func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try integerIfPresent(type, key) }
        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            guard let index = presentValue(key) else { return nil }
            return try doc.pointee.decodeValue(type, at: index, doc)
        }

        @inline(__always)
        func integerIfPresent<T: FixedWidthInteger & Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
            guard let index = presentValue(key) else { return nil }
            return try doc.pointee.integer(type, at: index)
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type,
                                                   forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            KeyedDecodingContainer(try KeyedContainer<NestedKey>(doc: doc, index: try value(key)))
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try UnkeyedContainer(doc: doc, index: try value(key))
        }

        func superDecoder() throws -> any Decoder { decoder(for: PathKey(stringValue: "super")) }

        func superDecoder(forKey key: Key) throws -> any Decoder { decoder(for: key) }

        /// As Foundation: the value for `key`, or null when the key is missing.
        func decoder(for key: some CodingKey) -> any Decoder {
            if let index = doc.pointee.find(key, in: Int(object)) {
                return ValueDecoder(doc: doc, index: Int32(truncatingIfNeeded: index))
            }
            return MissingValueDecoder(codingPath: codingPath + [key])
        }
    }
}
