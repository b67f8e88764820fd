import Foundation

/// A KakaoTalk notification template (알림톡 템플릿) with `#{변수}` placeholders.
public struct AlarmTemplate: Hashable, Sendable, Codable {
    public var code: String
    /// The event type that calls for this message.
    public var event: EventType
    public var text: String

    public init(code: String, event: EventType, text: String) {
        self.code = code
        self.event = event
        self.text = text
    }

    /// Placeholder names in order of appearance.
    public var placeholders: [String] {
        var names: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "#{") {
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else { break }
            names.append(String(rest[open.upperBound..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// Fills every placeholder in one left-to-right pass, so a value that itself contains
    /// `#{...}` is never expanded again; a placeholder without a value is an error, never left raw.
    public func render(_ variables: [String: String]) throws -> String {
        var out = ""
        var rest = text[...]
        while let open = rest.range(of: "#{") {
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else { break }
            let name = String(rest[open.upperBound..<close])
            guard let value = variables[name] else {
                throw AlarmTemplateError.missingVariable(template: code, name: name)
            }
            out += rest[..<open.lowerBound]
            out += value
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return out
    }
}

public enum AlarmTemplateError: Error, Hashable, Sendable, CustomStringConvertible {
    case missingVariable(template: String, name: String)
    case noTemplate(event: String)
    case duplicateEvent(event: String)

    public var description: String {
        switch self {
        case .missingVariable(let t, let n): "template \(t): no value for #{\(n)}"
        case .noTemplate(let e): "no alarm template for event \(e)"
        case .duplicateEvent(let e): "two alarm templates for event \(e)"
        }
    }
}
