import EzAdapters
import EzCore
import EzRunner
import Testing

/// Customer views are stored as their file's bytes; a doc stored compact (by an older version)
/// still publishes as the same file.
@Suite("Customer view files")
struct ViewFileBytesTests {
    @Test("a stored pretty doc is the file; a compact doc is re-encoded to the same bytes")
    func fileBytes() throws {
        let view = CustomerView(customerNo: "C00000042")
        let pretty = try ViewJSON.encode(view)
        #expect(pretty.hasPrefix("{\n") && pretty.hasSuffix("}\n"))
        #expect(try ViewJSON.fileBytes(ofStored: pretty) == pretty)
        let compact = try StoreJSON.encode(view)
        #expect(compact != pretty)
        #expect(try ViewJSON.fileBytes(ofStored: compact) == pretty)
    }
}
