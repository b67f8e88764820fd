/// The order of strings by their UTF-8 bytes, a proper prefix first: the order of sorted keys
/// in the JSON this program writes (Foundation's `.sortedKeys`), in the canonical JSON of a
/// request, and of an alarm message's variables.
public enum UTF8Order {
    /// Walks the bytes with the views' iterators: keys are short and most differ in their
    /// first byte.
    public static func precedes(_ a: String, _ b: String) -> Bool {
        var x = a.utf8.makeIterator(), y = b.utf8.makeIterator()
        while true {
            switch (x.next(), y.next()) {
            case let (p?, q?): if p != q { return p < q }
            case (nil, .some): return true
            default: return false
            }
        }
    }
}
