import EzCore
import Foundation
import Yams

/// Reads alarm templates from `<templates>/alarms.yaml`.
public enum AlarmTemplateFile {
    struct File: Decodable {
        var templates: [Entry]
    }
    struct Entry: Decodable {
        var code: String
        var event: String
        var text: String
    }

    public static func load(from directory: URL) throws -> [AlarmTemplate] {
        let url = directory.appendingPathComponent("alarms.yaml")
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw TemplateFileError(path: url.path, message: "cannot read: \(error.localizedDescription)")
        }
        let file: File
        do { file = try YAMLDecoder().decode(File.self, from: text) } catch {
            throw TemplateFileError(path: url.path, message: "\(error)")
        }
        return try file.templates.map { entry in
            guard let type = EventType(rawValue: entry.event) else {
                throw TemplateFileError(path: url.path, message: "template \(entry.code): unknown event '\(entry.event)'")
            }
            return AlarmTemplate(code: entry.code, event: type, text: entry.text)
        }
    }
}

public struct TemplateFileError: Error, CustomStringConvertible {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }
}
