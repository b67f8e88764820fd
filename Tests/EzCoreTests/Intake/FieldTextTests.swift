@testable import EzCore
import Testing

/// The intake's byte-level shortcuts for trimming and control characters must agree with the
/// Unicode properties they stand for, for every scalar.
@Suite("Field text: trimming and control characters")
struct FieldTextTests {
    /// Every scalar of the first planes, then a sample of the rest.
    static let scalars: [Unicode.Scalar] = (0..<0x3100).compactMap(Unicode.Scalar.init)
        + [0xFEFF, 0xFFFD, 0x1F600, 0xE0001, 0x10FFFD].compactMap(Unicode.Scalar.init)

    static func slowTrim(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }

    @Test("a control character is found wherever it stands, and only a control character")
    func controlCharacters() {
        for scalar in Self.scalars {
            let isControl = scalar.properties.generalCategory == .control
            for text in [String(scalar), "a\(scalar)b", "홍\(scalar)", "\(scalar)길"] {
                #expect(RequestFieldReader.hasControlCharacter(text) == isControl, "U+\(String(scalar.value, radix: 16))")
            }
        }
        #expect(!RequestFieldReader.hasControlCharacter("홍길동 abc-123"))
    }

    @Test("a control character is found at every place of the eight-byte scan, after ASCII or Korean text")
    func controlCharactersInLongerTexts() {
        // Controls, DEL, the C1 range (C2 80–9F) and its neighbours that share the C2 lead byte.
        let candidates: [Unicode.Scalar] = [0x00, 0x09, 0x1F, 0x20, 0x7E, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0x3000]
            .compactMap(Unicode.Scalar.init)
        for scalar in candidates {
            let isControl = scalar.properties.generalCategory == .control
            for before in 0...17 {
                for background in ["a", "홍"] {
                    let head = String(repeating: background, count: before)
                    for text in [head + String(scalar), head + String(scalar) + "abcdefghij", head + String(scalar) + "길동"] {
                        #expect(RequestFieldReader.hasControlCharacter(text) == isControl,
                                "U+\(String(scalar.value, radix: 16)) after \(before) × \(background)")
                    }
                }
            }
        }
    }

    @Test("trimming drops leading and trailing white space of any kind, as the Unicode property says")
    func trimming() {
        for scalar in Self.scalars {
            for text in ["\(scalar)x", "x\(scalar)", "\(scalar)", "\(scalar)홍 x\(scalar)", "a\(scalar)b", "홍\(scalar)", "\(scalar)동", "홍\(scalar)동"] {
                #expect(RequestFieldReader.trim(text) == Self.slowTrim(text), "U+\(String(scalar.value, radix: 16))")
            }
        }
        #expect(RequestFieldReader.trim(" \u{3000}홍길동\u{00A0}\t") == "홍길동")
        #expect(RequestFieldReader.trim("C0001") == "C0001")
    }
}
