import EzCore
import Foundation

/// Parses one mortality table file (`data/mortality/NAME.csv`, format in
/// `data/mortality/README.md`): `#` header lines (`# title:` and `# source:` required), then
/// `age,q` (unisex) or `age,q_male,q_female`, one row per consecutive age, ending with q = 1
/// at the last age. Every problem is a diagnostic with file, line and column.
struct MortalityTableParser {
    let file: String
    /// The table's name: the file name without `.csv`.
    let name: String

    func parse(text: String) -> (table: MortalityTable?, diagnostics: [CatalogDiagnostic]) {
        var diagnostics: [CatalogDiagnostic] = []
        func error(_ line: Int, _ column: Int, _ message: String) {
            diagnostics.append(CatalogDiagnostic(file: file, line: line, column: column, message: message))
        }
        var header: [String: String] = [:]
        var columns: [String]?
        var firstAge: Int?
        var rates: [[Double]] = []
        var lastRow: (line: Int, columns: [Int])?
        let lines = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()).components(separatedBy: "\n")
                                                : text.components(separatedBy: "\n")
        for (i, raw) in lines.enumerated() {
            let lineNo = i + 1
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : raw
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            if line.hasPrefix("#") {
                let body = line.dropFirst().trimmingCharacters(in: .whitespaces)
                if let colon = body.firstIndex(of: ":") {
                    let key = body[..<colon].trimmingCharacters(in: .whitespaces)
                    header[key] = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                continue
            }
            // Field texts with their 1-based columns.
            var fields: [(text: String, column: Int)] = []
            var column = 1
            for part in line.split(separator: ",", omittingEmptySubsequences: false) {
                fields.append((part.trimmingCharacters(in: .whitespaces), column))
                column += part.count + 1
            }
            guard let cols = columns else {
                let names = fields.map(\.text)
                if names == ["age", "q"] || names == ["age", "q_male", "q_female"] {
                    columns = names
                } else {
                    error(lineNo, 1, "expected the column line 'age,q' or 'age,q_male,q_female', found '\(line)'")
                    return (nil, diagnostics)
                }
                continue
            }
            guard fields.count == cols.count else {
                error(lineNo, 1, "expected \(cols.count) values (\(cols.joined(separator: ","))), found \(fields.count)")
                continue
            }
            let expectedAge = firstAge.map { $0 + rates.count }
            guard let age = Int(fields[0].text), (0...130).contains(age) else {
                error(lineNo, fields[0].column, "age: expected an age 0..130, found '\(fields[0].text)'")
                continue
            }
            if let expectedAge, age != expectedAge {
                error(lineNo, fields[0].column, "age: expected \(expectedAge) (ages must be consecutive), found \(age)")
                continue
            }
            if firstAge == nil { firstAge = age }
            var row: [Double] = []
            for (j, field) in fields.enumerated().dropFirst() {
                guard let q = Double(field.text), q.isFinite, (0...1).contains(q) else {
                    error(lineNo, field.column, "\(cols[j]) (age \(age)): expected a probability 0..1, found '\(field.text)'")
                    row.append(.nan)
                    continue
                }
                row.append(q)
            }
            rates.append(row)
            lastRow = (lineNo, fields.dropFirst().map(\.column))
        }
        for key in ["title", "source"] where (header[key] ?? "").isEmpty {
            error(1, 1, "missing header line '# \(key): ...' (a mortality table must name its \(key))")
        }
        guard let cols = columns else {
            error(1, 1, "no column line 'age,q' or 'age,q_male,q_female'")
            return (nil, diagnostics)
        }
        guard rates.count >= 2, let firstAge, let lastRow else {
            error(lines.count, 1, "a mortality table needs at least two ages")
            return (nil, diagnostics)
        }
        for (j, q) in rates[rates.count - 1].enumerated() where q != 1 && !q.isNaN {
            error(lastRow.line, lastRow.columns[j], "\(cols[j + 1]) at the last age \(firstAge + rates.count - 1) must be 1 "
                  + "(the table's end: nobody survives beyond it), found \(String(describing: q))")
        }
        guard diagnostics.isEmpty else { return (nil, diagnostics) }
        let male = rates.map { $0[0] }
        let female = cols.count == 3 ? rates.map { $0[1] } : nil
        return (MortalityTable(name: name, title: header["title"]!, source: header["source"]!, firstAge: firstAge,
                               male: male, female: female), [])
    }
}
