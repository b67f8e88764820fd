/// Where JSON text is written byte by byte: `JSONWriter`'s `JSONBytes`, or an array (the tree
/// encoder's arena and output).
protocol JSONOutput: ~Copyable {
    mutating func append(_ byte: UInt8)
    mutating func appendBytes(_ bytes: UnsafeBufferPointer<UInt8>)
}

extension Array: JSONOutput where Element == UInt8 {
    mutating func appendBytes(_ bytes: UnsafeBufferPointer<UInt8>) { append(contentsOf: bytes) }
}

/// The bytes a `JSONWriter` writes: a buffer of its own, grown by doubling, handed over as an
/// array once the value is written.
///
/// An array's `append` checks that its storage is unique and has room every time, and a
/// record's JSON is written a byte or a few at a time (a key is a comma, a quote, the key, a
/// quote, a colon): writing a 15-field record into an array took 2 to 2.5 times as long as
/// into this buffer, which checks its room once per piece and stores. Not copyable: the
/// writer owns the memory and frees it when it goes.
struct JSONBytes: ~Copyable, JSONOutput {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count &+= 1
    }

    @inline(__always)
    mutating func appendBytes(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if capacity - count < bytes.count { grow(to: count + bytes.count) }
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: bytes.count)
        count &+= bytes.count
    }

    /// `a`, `text`, `b`, then `c`: a key's opening quote, the key, its closing quote and the
    /// colon (or, pretty, a space).
    @inline(__always)
    mutating func append(_ a: UInt8, _ text: StaticString, _ b: UInt8, _ c: UInt8) {
        let n = text.utf8CodeUnitCount
        if capacity - count < n + 3 { grow(to: count + n + 3) }
        base[count] = a
        UnsafeMutableRawPointer(base + count + 1).copyMemory(from: text.utf8Start, byteCount: n)
        base[count + n + 1] = b
        base[count + n + 2] = c
        count &+= n + 3
    }

    @inline(never)
    private mutating func grow(to needed: Int) {
        let larger = max(needed, 2 * capacity)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.update(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }

    /// The bytes written, as an array (the buffer goes with the writer).
    func array() -> [UInt8] {
        Array(UnsafeBufferPointer(start: base, count: count))
    }
}
