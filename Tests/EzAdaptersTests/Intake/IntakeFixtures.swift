import EzAdapters
import EzCore
import Foundation
import Testing

/// Files under `Fixtures/intake/`.
enum IntakeFixtures {
    static func url(_ name: String) -> URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures/intake/\(name)")
    }

    /// Every record of a file, in order.
    static func records(_ source: any InboxRecordSource) throws -> [InboxRecord] {
        var all: [InboxRecord] = []
        try source.forEach { all.append($0) }
        return all
    }

    /// A scratch directory removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ez-intake-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

extension InboxRecord {
    var object: JSONValue? { if case .success(let v) = value { return v }; return nil }
    var error: FieldError? { if case .failure(let e) = value { return e }; return nil }
}
