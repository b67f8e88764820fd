import Testing
@testable import EzCore

@Suite("Document bundles (상품설명서 files)")
struct DocumentBundleTests {
    static let docs: [(documentNo: String, text: String)] = [
        ("DOC00000007", "# 상품설명서 A\n\n- 문서번호: DOC00000007\n"),
        ("DOC00000008", "# 상품설명서 B\n\n- 문서번호: DOC00000008\n\n## 청약철회\n\n내용\n"),
        ("DOC00000010", "# 상품설명서 C\n\n- 문서번호: DOC00000010"),
    ]

    /// Documents as the bundle takes them (their UTF-8 text).
    static func utf8(_ docs: [(documentNo: String, text: String)]) -> [(documentNo: String, utf8: [UInt8])] {
        docs.map { ($0.documentNo, Array($0.text.utf8)) }
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test("the bundle is named after its first document, under its issue date")
    func fileName() {
        #expect(DocumentBundle.fileName(issuedOn: BusinessDate("2026-12-01")!, firstDocumentNo: "DOC00000007")
                == "2026-12-01/bundle-DOC00000007.md")
    }

    @Test("every document comes back out of the bundle byte for byte")
    func roundTrip() {
        let bundle = Self.text(DocumentBundle.compose(Self.utf8(Self.docs)))
        #expect(bundle.hasPrefix("<!-- document DOC00000007 -->\n\n# 상품설명서 A\n"))
        #expect(DocumentBundle.extract("DOC00000007", from: bundle) == Self.docs[0].text)
        #expect(DocumentBundle.extract("DOC00000008", from: bundle) == Self.docs[1].text)
        #expect(DocumentBundle.extract("DOC00000010", from: bundle) == Self.docs[2].text + "\n")
        #expect(DocumentBundle.extract("DOC00000009", from: bundle) == nil)
        #expect(DocumentBundle.extract("DOC0000000", from: bundle) == nil, "a prefix of a number is not a match")
    }

    @Test("a document is closed with a newline unless its last character is one (a final \"\\r\\n\" is not)")
    func finalNewline() {
        let docs = Self.utf8([("DOC00000011", "줄\r\n"), ("DOC00000012", "끝\n")])
        let expected = "<!-- document DOC00000011 -->\n\n줄\r\n\n\n<!-- document DOC00000012 -->\n\n끝\n"
        #expect(DocumentBundle.compose(docs) == Array(expected.utf8))
        #expect(DocumentBundle.contents(ofFile: "2026-12-01/bundle-DOC00000011.md", docs) == Array(expected.utf8))
    }

    @Test("a document written alone before bundles has no marker and is its whole file")
    func legacySingleFile() {
        #expect(DocumentBundle.extract("DOC00000001", from: "# 상품설명서\n") == "# 상품설명서\n")
        #expect(Self.text(DocumentBundle.contents(ofFile: "DOC00000007.md", Self.utf8([Self.docs[0]]))) == Self.docs[0].text)
        #expect(DocumentBundle.contents(ofFile: "2026-12-01/bundle-DOC00000007.md", Self.utf8([Self.docs[0]]))
                == DocumentBundle.compose(Self.utf8([Self.docs[0]])))
    }
}
