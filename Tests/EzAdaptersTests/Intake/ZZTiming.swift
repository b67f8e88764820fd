@testable import EzAdapters
import EzCore
import Foundation
import Testing

@Test func zzTiming() throws {
    var lines: [Data] = []
    for i in 1...20_000 { lines.append(Data(#"{"request_id":"r\#(i)","type":"document.request","plan_no":"PL\#(i)"}"#.utf8)) }
    let dec = JSONDecoder()
    var t = Date()
    for l in lines { _ = try dec.decode(JSONValue.self, from: l) }
    print("JSONDecoder JSONValue 20k:", Date().timeIntervalSince(t))
    t = Date()
    for l in lines { _ = try dec.decode([String: JSONLineValue].self, from: l) }
    print("JSONDecoder [String:String] 20k:", Date().timeIntervalSince(t))
    t = Date()
    for l in lines { _ = try JSONSerialization.jsonObject(with: l) }
    print("JSONSerialization 20k:", Date().timeIntervalSince(t))
    let bytes = lines.map { ArraySlice(Array($0)) }
    t = Date()
    for b in bytes { _ = UTF8Validation.problem(b) }
    print("utf8 20k:", Date().timeIntervalSince(t))
}
