/// The text of the product description document (상품설명서) for a product version:
/// a Korean title and ordered sections.
public struct ProductDocument: Hashable, Sendable, Codable {
    /// One section of the document: a heading and its body text.
    public struct Section: Hashable, Sendable, Codable {
        public var heading: String
        public var body: String
        public init(heading: String, body: String) {
            self.heading = heading
            self.body = body
        }
    }

    /// Document title, e.g. `"암보험 상품설명서"`.
    public var title: String
    /// Sections in the order they are printed.
    public var sections: [Section]

    public init(title: String, sections: [Section]) {
        self.title = title
        self.sections = sections
    }
}
