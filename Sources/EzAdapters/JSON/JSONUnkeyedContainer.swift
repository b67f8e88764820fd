import Foundation

// MARK: - Unkeyed container

extension FastJSONDecoder {
    struct UnkeyedContainer: UnkeyedDecodingContainer {
        let doc: UnsafePointer<Document>
        let array: Int32
        /// The node of the next element.
        var cursor: Int32
        var position: Int32
        let elements: Int32

        init(doc: UnsafePointer<Document>, index: Int) throws {
            let n = doc.pointee.nodes[index]
            guard n.kind == .array else {
                let path = doc.pointee.path(to: index)
                if n.kind == .null {
                    throw DecodingError.valueNotFound([Any].self, DecodingError.Context(
                        codingPath: path, debugDescription: "Cannot get unkeyed decoding container -- found null value instead"))
                }
                throw DecodingError.typeMismatch([Any].self, DecodingError.Context(
                    codingPath: path,
                    debugDescription: "Expected to decode \([Any].self) but found \(Document.describe(n.kind)) instead."))
            }
            self.doc = doc
            self.array = Int32(truncatingIfNeeded: index)
            self.cursor = Int32(truncatingIfNeeded: index + 1)
            self.position = 0
            self.elements = Int32(truncatingIfNeeded: n.b)
        }

        var codingPath: [any CodingKey] { doc.pointee.path(to: Int(array)) }
        var count: Int? { Int(elements) }
        var isAtEnd: Bool { position >= elements }
        var currentIndex: Int { Int(position) }

        /// The next element's node; throws at the end.
        @inline(__always)
        func next(_ type: Any.Type, _ message: String = "Unkeyed container is at end.") throws -> Int {
            guard position < elements else {
                var path = codingPath
                path.append(PathKey(index: Int(position)))
                throw DecodingError.valueNotFound(type, DecodingError.Context(codingPath: path, debugDescription: message))
            }
            return Int(cursor)
        }

        @inline(__always)
        mutating func advance() {
            cursor = Int32(truncatingIfNeeded: doc.pointee.nodes[Int(cursor)].next)
            position += 1
        }

        /// The next element's node, or nil at the end or when it is null; steps past it either way
        /// (as Foundation does, even at the end).
        @inline(__always)
        mutating func nextPresent() -> Int? {
            guard position < elements else {
                position += 1
                return nil
            }
            let index = Int(cursor)
            if doc.pointee.nodes[index].kind == .null {
                advance()
                return nil
            }
            return index
        }

        mutating func decodeNil() throws -> Bool {
            let index = try next(Never.self)
            guard doc.pointee.nodes[index].kind == .null else { return false }
            advance()
            return true
        }

        @inline(__always)
        mutating func integer<T: FixedWidthInteger & Decodable>(_ type: T.Type) throws -> T {
            let value = try doc.pointee.integer(type, at: try next(type))
            advance()
            return value
        }

        mutating func decode(_ type: Bool.Type) throws -> Bool {
            let value = try doc.pointee.bool(at: try next(type))
            advance()
            return value
        }
        mutating func decode(_ type: String.Type) throws -> String {
            let value = try doc.pointee.string(at: try next(type))
            advance()
            return value
        }
        mutating func decode(_ type: Double.Type) throws -> Double {
            let value = try doc.pointee.double(at: try next(type))
            advance()
            return value
        }
        mutating func decode(_ type: Float.Type) throws -> Float {
            let value = try doc.pointee.float(at: try next(type))
            advance()
            return value
        }
        mutating func decode(_ type: Int.Type) throws -> Int { try integer(type) }
        mutating func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
        mutating func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
        mutating func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
        mutating func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
        mutating func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
        mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
        mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
        mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
        mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let value = try doc.pointee.decodeValue(type, at: try next(type), doc)
            advance()
            return value
        }

        mutating func decodeIfPresent(_ type: Bool.Type) throws -> Bool? {
            guard let index = nextPresent() else { return nil }
            let value = try doc.pointee.bool(at: index)
            advance()
            return value
        }
        mutating func decodeIfPresent(_ type: String.Type) throws -> String? {
            guard let index = nextPresent() else { return nil }
            let value = try doc.pointee.string(at: index)
            advance()
            return value
        }
        mutating func decodeIfPresent(_ type: Double.Type) throws -> Double? {
            guard let index = nextPresent() else { return nil }
            let value = try doc.pointee.double(at: index)
            advance()
            return value
        }
        mutating func decodeIfPresent(_ type: Float.Type) throws -> Float? {
            guard let index = nextPresent() else { return nil }
            let value = try doc.pointee.float(at: index)
            advance()
            return value
        }
        mutating func decodeIfPresent(_ type: Int.Type) throws -> Int? { try integerIfPresent(type) }
        mutating func decodeIfPresent(_ type: Int8.Type) throws -> Int8? { try integerIfPresent(type) }
        mutating func decodeIfPresent(_ type: Int16.Type) throws -> Int16? { try integerIfPresent(type) }
        mutating func decodeIfPresent(_ type: Int32.Type) throws -> Int32? { try integerIfPresent(type) }
        mutating func decodeIfPresent(_ type: Int64.Type) throws -> Int64? { try integerIfPresent(type) }
        mutating func decodeIfPresent(_ type: UInt.Type) throws -> UInt? { try integerIfPresent(type) }
        mutating func decodeIfPresent(_ type: UInt8.Type) throws -> UInt8? { try integerIfPresent(type) }
        mutating func decodeIfPresent(_ type: UInt16.Type) throws -> UInt16? { try integerIfPresent(type) }
        mutating func decodeIfPresent(_ type: UInt32.Type) throws -> UInt32? { try integerIfPresent(type) }
        mutating func decodeIfPresent(_ type: UInt64.Type) throws -> UInt64? { try integerIfPresent(type) }
        mutating func decodeIfPresent<T: Decodable>(_ type: T.Type) throws -> T? {
            guard let index = nextPresent() else { return nil }
            let value = try doc.pointee.decodeValue(type, at: index, doc)
            advance()
            return value
        }

        @inline(__always)
        mutating func integerIfPresent<T: FixedWidthInteger & Decodable>(_ type: T.Type) throws -> T? {
            guard let index = nextPresent() else { return nil }
            let value = try doc.pointee.integer(type, at: index)
            advance()
            return value
        }

        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            let index = try next(KeyedDecodingContainer<NestedKey>.self)
            let container = try KeyedContainer<NestedKey>(doc: doc, index: index)
            advance()
            return KeyedDecodingContainer(container)
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            let index = try next(UnkeyedContainer.self,
                                 "Cannot get nested unkeyed container -- unkeyed container is at end.")
            let container = try UnkeyedContainer(doc: doc, index: index)
            advance()
            return container
        }

        mutating func superDecoder() throws -> any Decoder {
            let index = try next((any Decoder).self, "Cannot get superDecoder() -- unkeyed container is at end.")
            advance()
            return ValueDecoder(doc: doc, index: Int32(truncatingIfNeeded: index))
        }
    }
}
