@testable import EzAdapters
import Foundation
import Testing

@Suite struct BufferedFileTests {
    private func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Pieces smaller than the buffer, filling it exactly, and larger than it, in order;
    /// another file appended; read back a few bytes at a time.
    @Test func writesEveryPieceInOrderWhateverTheBufferSize() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pieces = ["ab", "cdefg", "", "한글", String(repeating: "x", count: 23), "y", "1234567"]
        let other = dir.appendingPathComponent("other")
        try "첫째 줄\n둘째 줄\n".write(to: other, atomically: true, encoding: .utf8)
        for capacity in [1, 3, 7, 64] {
            let file = try BufferedFile(creating: dir.appendingPathComponent("out-\(capacity)"), capacity: capacity)
            for piece in pieces { try file.write(piece) }
            try file.append(contentsOf: other)
            try file.write("끝")
            try file.flush()
            var read: [UInt8] = []
            #expect(try ChunkedFile.read(file.url, chunk: 2) { read.append(contentsOf: $0) })
            #expect(String(decoding: read, as: UTF8.self) == pieces.joined() + "첫째 줄\n둘째 줄\n끝", "capacity \(capacity)")
            let mode = try FileManager.default.attributesOfItem(atPath: file.url.path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
        #expect(try ChunkedFile.read(dir.appendingPathComponent("missing")) { _ in Issue.record("no chunk") } == false)
    }
}
