import Foundation

/// Product description documents are written as bundle files: the documents issued by one
/// requests chunk on one business date share a file, `documents/<issued_on>/bundle-<first>.md`,
/// named after the first document in it. One file per document cost an inode each (40–250 µs on
/// ext4, more than rendering the document), and a night of a million applications would add a
/// million files to one folder.
///
/// Inside a bundle every document starts with a marker line `<!-- document DOCnnnnnnnn -->`
/// (invisible when the Markdown is rendered), so one document can be cut out again
/// (`ezinsurance document DOCnnnnnnnn`).
public enum DocumentBundle {
    /// The bundle's path relative to `documents/`.
    public static func fileName(issuedOn: BusinessDate, firstDocumentNo: String) -> String {
        "\(issuedOn)/bundle-\(firstDocumentNo).md"
    }

    public static func marker(_ documentNo: String) -> String {
        "<!-- document \(documentNo) -->"
    }

    /// The bundle's bytes: each document (its UTF-8 text) after its marker, in the order given.
    public static func compose(_ documents: [(documentNo: String, utf8: [UInt8])]) -> [UInt8] {
        // Sized once and appended piece by piece: a bundle is about a megabyte, and growing it
        // (and joining each document to its marker first) copied it over and over.
        var out: [UInt8] = []
        out.reserveCapacity(documents.reduce(0) { $0 + $1.utf8.count + 48 })
        for (index, document) in documents.enumerated() {
            if index > 0 { out.append(0x0A) }
            out.append(contentsOf: marker(document.documentNo).utf8)
            out.append(contentsOf: [0x0A, 0x0A])
            out.append(contentsOf: document.utf8)
            if !endsWithNewline(document.utf8) { out.append(0x0A) }
        }
        return out
    }

    /// Whether the text's last character is "\n" (as `String.hasSuffix("\n")` has it: a final
    /// "\r\n" is one character, not "\n").
    static func endsWithNewline(_ utf8: [UInt8]) -> Bool {
        guard utf8.last == 0x0A else { return false }
        return utf8.count < 2 || utf8[utf8.count - 2] != 0x0D
    }

    /// The bytes of the file `fileName` (relative to `documents/`) holding `documents`: a bundle
    /// composes them after their markers; a document issued before bundles (`DOCnnnnnnnn.md`,
    /// no date folder) is its own file, as it always was.
    public static func contents(ofFile fileName: String, _ documents: [(documentNo: String, utf8: [UInt8])]) -> [UInt8] {
        fileName.contains("/") ? compose(documents) : Array(documents.map(\.utf8).joined())
    }

    /// One document's text cut out of a bundle (or the whole file when it is a single document
    /// written before bundles, which has no marker); nil when the bundle does not hold it.
    public static func extract(_ documentNo: String, from bundle: String) -> String? {
        let start = marker(documentNo) + "\n\n"
        guard let begin = bundle.range(of: start) else {
            return bundle.contains("<!-- document ") ? nil : bundle
        }
        let rest = bundle[begin.upperBound...]
        guard let next = rest.range(of: "\n<!-- document ") else { return String(rest) }
        return String(rest[..<next.lowerBound])
    }
}
