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
        forEachPart { part in
            if case .placeholder(let name) = part { names.append(name) }
        }
        return names
    }

    /// Fills every placeholder in one left-to-right pass, so a value that itself contains
    /// `#{...}` is never expanded again; a placeholder without a value is an error, never left raw.
    public func render(_ variables: [String: String]) throws -> String {
        try CompiledTemplate(self).render { name, _ in variables[name] }
    }

    enum Part {
        case literal(Substring)
        case placeholder(String)
    }

    /// Walks the text as literals and `#{name}` placeholders, scanning its UTF-8 bytes (an
    /// unclosed `#{` is literal text). Foundation's `range(of:)` took a seventh of the alarm stage.
    func forEachPart(_ body: (Part) -> Void) {
        let utf8 = text.utf8
        var literalStart = utf8.startIndex
        var i = utf8.startIndex
        while i != utf8.endIndex {
            let next = utf8.index(after: i)
            guard utf8[i] == UInt8(ascii: "#"), next != utf8.endIndex, utf8[next] == UInt8(ascii: "{") else {
                i = next
                continue
            }
            let nameStart = utf8.index(after: next)
            guard let close = utf8[nameStart...].firstIndex(of: UInt8(ascii: "}")) else { break }
            if literalStart != i { body(.literal(text[literalStart..<i])) }
            body(.placeholder(String(text[nameStart..<close])))
            i = utf8.index(after: close)
            literalStart = i
        }
        if literalStart != utf8.endIndex { body(.literal(text[literalStart...])) }
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
