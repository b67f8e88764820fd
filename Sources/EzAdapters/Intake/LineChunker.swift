import Foundation

/// One physical line of a file, without its line end (LF or CRLF).
struct PhysicalLine {
    /// 1-based.
    var number: Int
    var bytes: ArraySlice<UInt8>
    /// Set when the line was longer than the limit; `bytes` is then empty (the line was dropped
    /// while reading so that memory stays bounded) and this holds its length.
    var overlongBytes: Int?

    /// Only spaces and tabs (or nothing): not a request.
    var isBlank: Bool {
        overlongBytes == nil && bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }
}

/// Reads a file in fixed-size chunks and cuts it into physical lines, holding at most one chunk
/// plus one line in memory. Strips a UTF-8 byte order mark at the start of the file.
final class LineChunker {
    private let reader: FileChunkReader
    private let url: URL
    private let chunkSize: Int
    private let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var endOfFile = false
    private var lineNumber = 0
    private var atFileStart = true
    /// Whether the file started with a UTF-8 byte order mark (known after the first `next()`).
    private(set) var hadByteOrderMark = false

    init(url: URL, chunkSize: Int, maxLineBytes: Int) throws {
        do {
            reader = try FileChunkReader(path: url.path)
        } catch {
            throw InboxFileError.unreadable("cannot open \(url.lastPathComponent): \(Self.describe(error))")
        }
        self.url = url
        self.chunkSize = max(1, chunkSize)
        self.maxLineBytes = max(1, maxLineBytes)
    }

    /// The next line, or nil at the end of the file.
    func next() throws -> PhysicalLine? {
        var overlong: Int?
        while true {
            if let lf = buffer[start...].firstIndex(of: 0x0A) {
                lineNumber += 1
                defer { start = lf + 1 }
                if let skipped = overlong {
                    return PhysicalLine(number: lineNumber, bytes: [], overlongBytes: skipped + (lf - start))
                }
                var end = lf
                if end > start, buffer[end - 1] == 0x0D { end -= 1 }
                if end - start > maxLineBytes {
                    return PhysicalLine(number: lineNumber, bytes: [], overlongBytes: end - start)
                }
                return PhysicalLine(number: lineNumber, bytes: buffer[start..<end])
            }
            if endOfFile {
                guard start < buffer.count || overlong != nil else { return nil }
                lineNumber += 1
                defer { start = buffer.count }
                if let skipped = overlong {
                    return PhysicalLine(number: lineNumber, bytes: [], overlongBytes: skipped + buffer.count - start)
                }
                var end = buffer.count
                if end > start, buffer[end - 1] == 0x0D { end -= 1 }
                if end - start > maxLineBytes {
                    return PhysicalLine(number: lineNumber, bytes: [], overlongBytes: end - start)
                }
                return PhysicalLine(number: lineNumber, bytes: buffer[start..<end])
            }
            // No line end in what is buffered: drop a line that is already too long, then read on.
            if buffer.count - start > maxLineBytes {
                overlong = (overlong ?? 0) + buffer.count - start
                buffer.removeAll(keepingCapacity: true)
                start = 0
            } else if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            try readChunk()
        }
    }

    private func readChunk() throws {
        repeat {
            let got: Int
            do {
                got = try reader.read(appendingTo: &buffer, upTo: chunkSize)
            } catch {
                throw InboxFileError.unreadable("read error in \(url.lastPathComponent): \(Self.describe(error))")
            }
            guard got > 0 else {
                endOfFile = true
                break
            }
        } while atFileStart && buffer.count < 3
        if atFileStart {
            atFileStart = false
            if buffer.starts(with: [0xEF, 0xBB, 0xBF]) {
                start += 3
                hadByteOrderMark = true
            }
        }
    }

    static func describe(_ error: any Error) -> String {
        if case let FileError.io(_, code) = error { return String(cString: strerror(code)) }
        return (error as NSError).localizedDescription
    }
}
