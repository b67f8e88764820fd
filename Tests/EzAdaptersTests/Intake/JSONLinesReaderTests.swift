@testable import EzAdapters
import EzCore
import Foundation
import Testing

@Suite("JSONLinesReader")
struct JSONLinesReaderTests {
    @Test func bomCRLFBlankLinesAndBadLinesInTheMiddle() throws {
        let records = try IntakeFixtures.records(JSONLinesReader(url: IntakeFixtures.url("requests-bom-crlf.jsonl")))
        #expect(records.map(\.line) == [1, 2, 4, 6, 7, 8])
        #expect(records[0].object?["request_id"] == .string("j-001"))
        #expect(records[1].object?["sum_insured"] == .int(100_000_000))
        #expect(records[2].error == FieldError(field: "line", reason: "invalid JSON at column 68: invalid value"))
        #expect(records[3].object?["request_id"] == .string("j-004"))
        #expect(records[4].error == FieldError(field: "line", reason: "expected a JSON object (one request per line), found an array"))
        #expect(records[5].object?["request_id"] == .string("j-005"))
        // The good lines decode into requests; the first line's BOM is gone.
        let decoded = records.compactMap(\.object).map(RequestDecoder.decode)
        #expect(decoded.allSatisfy { if case .success = $0 { true } else { false } })
    }

    @Test func invalidUTF8LineIsRejectedAlone() throws {
        let records = try IntakeFixtures.records(JSONLinesReader(url: IntakeFixtures.url("invalid-utf8.jsonl")))
        #expect(records.map(\.line) == [1, 2, 3])
        #expect(records[0].object?["plan_no"] == .string("PL-1"))
        #expect(records[1].error == FieldError(field: "line", reason:
            "not valid UTF-8: byte 0xFF at column 63; save the file as UTF-8"))
        #expect(records[2].object?["plan_no"] == .string("PL-3"))
    }

    @Test func smallChunksGiveTheSameRecords() throws {
        let url = IntakeFixtures.url("requests-bom-crlf.jsonl")
        let normal = try IntakeFixtures.records(JSONLinesReader(url: url))
        for chunk in [1, 2, 3, 7, 64] {
            #expect(try IntakeFixtures.records(JSONLinesReader(url: url, chunkSize: chunk)) == normal)
        }
    }

    @Test func overlongLineIsRejectedWithoutBufferingIt() throws {
        let dir = try IntakeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("long.jsonl")
        let long = #"{"request_id":"x","reason":""# + String(repeating: "a", count: 5000) + #""}"#
        try Data((#"{"a":1}"# + "\n" + long + "\n" + #"{"b":2}"#).utf8).write(to: url)
        let records = try IntakeFixtures.records(JSONLinesReader(url: url, chunkSize: 256, maxLineBytes: 1000))
        #expect(records.map(\.line) == [1, 2, 3])
        #expect(records[1].error?.reason == "line too long: 5030 bytes (at most 1000); one request per line")
        #expect(records[2].object == .object(["b": .int(2)]))
    }

    @Test func lineValuesEqualJSONValueDecoding() throws {
        let text = #"{"a":1.5,"b":true,"c":null,"d":[1,"x",{"e":false,"f":[]}],"g":1e3,"h":"s","i":-7,"j":{},"k":99999999999999999999}"#
        let expected = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        let parsed = JSONLineParser.parseObject(ArraySlice(Array(text.utf8)), decoder: JSONDecoder())
        #expect(parsed == .success(expected))
    }

    @Test(arguments: [("\"just a string\"", "found a string"), ("42", "found a number"), ("null", "found null"),
                      ("{\"a\":tru}", "invalid JSON"), ("{\"a\":1} x", "invalid JSON at column 9"),
                      ("{\"a\":\"\\ud800\"}", "invalid JSON")])
    func lineProblems(text: String, reason: String) {
        let parsed = JSONLineParser.parseObject(ArraySlice(Array(text.utf8)), decoder: JSONDecoder())
        guard case .failure(let error) = parsed else { Issue.record("parsed: \(parsed)"); return }
        #expect(error.field == "line")
        #expect(error.reason.contains(reason), "reason was: \(error.reason)")
    }

    @Test func missingFileIsUnreadable() {
        #expect(throws: InboxFileError.self) {
            _ = try JSONLinesReader(url: URL(fileURLWithPath: "/nonexistent/x.jsonl")).records()
        }
    }

    @Test func emptyFileHasNoRecords() throws {
        let dir = try IntakeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("empty.jsonl")
        try Data([0xEF, 0xBB, 0xBF, 0x0A]).write(to: url)
        #expect(try IntakeFixtures.records(JSONLinesReader(url: url)).isEmpty)
    }

    /// A large file is read through the iterator, one record at a time, never as a whole.
    @Test func twoHundredThousandLinesStream() throws {
        let dir = try IntakeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("big.jsonl")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        var block = ""
        for i in 1...200_000 {
            block += #"{"request_id":"r\#(i)","type":"document.request","plan_no":"PL\#(i)"}"# + "\n"
            if i % 10_000 == 0 {
                try handle.write(contentsOf: Data(block.utf8))
                block = ""
            }
        }
        try handle.close()

        let iterator = try JSONLinesReader(url: url).records()
        var count = 0
        var last: InboxRecord?
        while let record = try iterator.next() {
            count += 1
            last = record
        }
        #expect(count == 200_000)
        #expect(last?.line == 200_000)
        #expect(last?.object?["plan_no"] == .string("PL200000"))
    }
}

@Suite("InboxFileKind and ContentHash")
struct InboxFileKindTests {
    @Test(arguments: [("a.jsonl", InboxFileKind.jsonLines), ("B.CSV", .csv), ("x.json", nil), ("x.jsonl.tmp", nil),
                      (".hidden.csv", nil), ("x.csv.part", nil), ("readme.txt", nil)])
    func kindByName(name: String, kind: InboxFileKind?) {
        #expect(InboxFileKind.of(fileName: name) == kind)
    }

    @Test func ignoredNames() {
        #expect(InboxFileKind.isIgnored(fileName: ".x.jsonl"))
        #expect(InboxFileKind.isIgnored(fileName: "x.jsonl.tmp"))
        #expect(InboxFileKind.isIgnored(fileName: "x.PART"))
        #expect(!InboxFileKind.isIgnored(fileName: "x.jsonl"))
    }

    @Test func readerForURL() {
        #expect(InboxReader.source(for: URL(fileURLWithPath: "/in/a.jsonl")) is JSONLinesReader)
        #expect(InboxReader.source(for: URL(fileURLWithPath: "/in/a.csv")) is CSVRequestReader)
        #expect(InboxReader.source(for: URL(fileURLWithPath: "/in/a.tmp")) == nil)
    }

    @Test func sha256OfStringAndFile() throws {
        #expect(ContentHash.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(ContentHash.sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let dir = try IntakeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("f.txt")
        // 1.56 MB: read in more than one 1 MiB chunk.
        let text = String(repeating: "가나다abc\n", count: 120_000)
        try Data(text.utf8).write(to: url)
        #expect(try ContentHash.sha256Hex(fileAt: url) == ContentHash.sha256Hex(text))
        let empty = dir.appendingPathComponent("empty.txt")
        try Data().write(to: empty)
        #expect(try ContentHash.sha256Hex(fileAt: empty) == ContentHash.sha256Hex(""))
        #expect(throws: FileError.self) { try ContentHash.sha256Hex(fileAt: dir.appendingPathComponent("missing.txt")) }
    }
}
