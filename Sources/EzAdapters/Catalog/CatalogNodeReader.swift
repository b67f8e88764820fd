import Foundation
import EzCore
import Yams

/// Reads typed values out of a composed YAML tree for one catalog file, recording a
/// diagnostic (with the node's line and column) for every problem instead of throwing, so a
/// file reports all of its errors at once.
final class CatalogNodeReader {
    let file: String
    private(set) var diagnostics: [CatalogDiagnostic] = []

    init(file: String) { self.file = file }

    /// The keys of one mapping, checked against the allowed ones.
    struct Fields {
        let node: Node
        let path: String
        let values: [String: Node]
        let keyNodes: [String: Node]
        subscript(key: String) -> Node? { values[key] }
        /// Child path `path.key`.
        func path(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    }

    func error(_ message: String, at node: Node?) {
        error(message, at: node?.mark)
    }

    func error(_ message: String, at mark: Mark?) {
        diagnostics.append(CatalogDiagnostic(file: file, line: mark?.line ?? 1,
                                             column: mark?.column ?? 1, message: message))
    }

    func error(_ message: String, line: Int, column: Int) {
        diagnostics.append(CatalogDiagnostic(file: file, line: line, column: column, message: message))
    }

    /// Whether a node is an explicit or empty null (`~`, `null`, nothing).
    func isNull(_ node: Node) -> Bool {
        guard case .scalar(let s) = node, s.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    private func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): isNull(node) ? "nothing" : "'\(s.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// Reads a mapping, reporting unknown keys (at the key) and missing required keys (at
    /// the mapping). Returns nil (after reporting) when the node is not a mapping.
    func mapping(_ node: Node, path: String, required: [String], optional: [String] = []) -> Fields? {
        guard case .mapping(let mapping) = node else {
            error("\(label(path))expected a mapping with keys \(required.joined(separator: ", ")), found \(describe(node))", at: node)
            return nil
        }
        let allowed = required + optional
        var values: [String: Node] = [:], keys: [String: Node] = [:]
        for (key, value) in mapping {
            guard case .scalar(let k) = key else {
                error("\(label(path))keys must be plain names, found \(describe(key))", at: key)
                continue
            }
            guard allowed.contains(k.string) else {
                var message = "\(label(path))unknown key '\(k.string)'"
                if let guess = closest(k.string, in: allowed) { message += " (did you mean '\(guess)'?)" }
                message += "; allowed keys: \(allowed.joined(separator: ", "))"
                error(message, at: key)
                continue
            }
            values[k.string] = value
            keys[k.string] = key
        }
        for key in required where values[key] == nil {
            error("\(label(path))missing required key '\(key)'", at: node)
        }
        return Fields(node: node, path: path, values: values, keyNodes: keys)
    }

    /// Reads a list.
    func sequence(_ node: Node, path: String, nonEmpty: Bool = true) -> [Node]? {
        guard case .sequence(let seq) = node else {
            error("\(path): expected a list, found \(describe(node))", at: node)
            return nil
        }
        let items = Array(seq)
        if nonEmpty && items.isEmpty {
            error("\(path): must not be empty", at: node)
            return nil
        }
        return items
    }

    /// Reads a non-empty text (plain or quoted).
    func string(_ node: Node, path: String) -> String? {
        guard case .scalar(let s) = node, !isNull(node) else {
            error("\(path): expected text, found \(describe(node))", at: node)
            return nil
        }
        let text = s.string.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            error("\(path): must not be empty", at: node)
            return nil
        }
        return s.string
    }

    /// Reads an unquoted integer; `_` may group digits (`10_000_000`). The path is made only
    /// for an error message (numbers are most of a catalog: its rate tables).
    func int64(_ node: Node, path: @autoclosure () -> String) -> Int64? {
        guard case .scalar(let s) = node, s.style == .plain, !isNull(node) else {
            error("\(path()): expected an integer, found \(describe(node))", at: node)
            return nil
        }
        var text = Self.withoutDigitGroups(s.string)
        if text.hasPrefix("+") { text.removeFirst() }
        guard !text.isEmpty, let value = Int64(text) else {
            error("\(path()): expected an integer, found \(describe(node))", at: node)
            return nil
        }
        return value
    }

    func int(_ node: Node, path: @autoclosure () -> String) -> Int? {
        guard let value = int64(node, path: path()) else { return nil }
        guard let small = Int(exactly: value), abs(small) <= 1_000_000 else {
            error("\(path()): \(value) is out of range", at: node)
            return nil
        }
        return small
    }

    /// Reads an unquoted finite decimal number.
    func double(_ node: Node, path: @autoclosure () -> String) -> Double? {
        guard case .scalar(let s) = node, s.style == .plain, !isNull(node),
              s.string.utf8.allSatisfy({ Self.numberBytes.contains($0) }),
              let value = Double(Self.withoutDigitGroups(s.string)), value.isFinite else {
            error("\(path()): expected a number, found \(describe(node))", at: node)
            return nil
        }
        return value
    }

    /// The bytes a number may hold: ASCII digits, signs, point, exponent, digit groups.
    private static let numberBytes = Set("0123456789+-.eE_".utf8)

    /// `text` without the `_` that group digits (the same string when it has none).
    private static func withoutDigitGroups(_ text: String) -> String {
        text.utf8.contains(UInt8(ascii: "_")) ? text.replacingOccurrences(of: "_", with: "") : text
    }

    /// Reads `true` or `false`.
    func bool(_ node: Node, path: String) -> Bool? {
        guard case .scalar(let s) = node, s.style == .plain, ["true", "false"].contains(s.string) else {
            error("\(path): expected true or false, found \(describe(node))", at: node)
            return nil
        }
        return s.string == "true"
    }

    /// Reads a `YYYY-MM-DD` date that exists.
    func date(_ node: Node, path: String) -> BusinessDate? {
        guard case .scalar(let s) = node, !isNull(node), let date = BusinessDate(s.string) else {
            error("\(path): expected a date YYYY-MM-DD, found \(describe(node))", at: node)
            return nil
        }
        return date
    }

    /// Reads one of an enumeration's raw values.
    func enumeration<E: RawRepresentable & CaseIterable>(_ type: E.Type, _ node: Node, path: String) -> E?
    where E.RawValue == String {
        let allowed = E.allCases.map(\.rawValue)
        guard case .scalar(let s) = node, let value = E(rawValue: s.string) else {
            error("\(path): expected one of \(allowed.joined(separator: ", ")), found \(describe(node))", at: node)
            return nil
        }
        return value
    }

    private func label(_ path: String) -> String { path.isEmpty ? "" : "\(path): " }

    /// The allowed key nearest to a typo (edit distance ≤ 2), if any.
    private func closest(_ word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(Array(word), Array($0))) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }

    private func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        for i in 1...a.count {
            var cur = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return prev[b.count]
    }
}
