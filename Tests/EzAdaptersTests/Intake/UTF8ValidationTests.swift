@testable import EzAdapters
import Testing

/// The intake's UTF-8 check reads eight ASCII bytes at a time: the first invalid byte must be
/// found wherever it stands, and a line must be valid exactly when Swift's own check says so.
@Suite("UTF-8 validation of request lines")
struct UTF8ValidationTests {
    @Test("the first invalid byte is found at every place of the eight-byte scan")
    func offsets() {
        let invalid: [[UInt8]] = [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE0, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80],
                                  [0x80], [0xEA]]
        for bad in invalid {
            for before in 0...20 {
                for background: [UInt8] in [Array("a".utf8), Array("홍".utf8)] {
                    let head = Array([[UInt8]](repeating: background, count: before).joined())
                    let line = head + bad + Array("abcdefghijk".utf8)
                    #expect(UTF8Validation.firstInvalidOffset(line[...]) == head.count, "\(bad) after \(before) × \(background)")
                    // Offsets count from the slice's start.
                    if background == Array("a".utf8), before > 0 {
                        #expect(UTF8Validation.firstInvalidOffset(line[1...]) == head.count - 1)
                    }
                }
            }
        }
    }

    @Test("valid exactly when Swift's own check says so, on random mixes of ASCII, Korean and stray bytes")
    func agreesWithSwift() {
        var random = SplitMix(seed: 7)
        let pieces: [[UInt8]] = [Array("abcdefgh".utf8), Array("x".utf8), Array("홍길동".utf8), Array("😀".utf8),
                                 [0xC2, 0xA0], [0xFF], [0x80], [0xED, 0xA0, 0x80], [0xF0, 0x9F], [0xE0, 0x80, 0x80]]
        for _ in 0..<3_000 {
            var line: [UInt8] = []
            for _ in 0..<Int(random.next() % 12) { line += pieces[Int(random.next() % UInt64(pieces.count))] }
            let offset = UTF8Validation.firstInvalidOffset(line[...])
            #expect((offset == nil) == (String(validating: line, as: UTF8.self) != nil), "\(line)")
            if let offset { #expect(String(validating: line[..<offset], as: UTF8.self) != nil, "\(line) at \(offset)") }
        }
    }
}
