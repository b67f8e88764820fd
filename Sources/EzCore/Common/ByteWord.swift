/// Eight bytes of text read as one 64-bit word, its first byte in the lowest bits, and the
/// bytes of it that pass a test, each marked by its high bit: the text scans of the JSON
/// coders and of the intake go eight bytes at a time while no byte is marked, then straight
/// to the first marked byte.
///
/// Only the lowest mark is sure: subtracting from one byte borrows from the byte above it
/// only when the lower byte passes the test, so a false mark only ever stands above a true
/// one. A scan takes the lowest mark (`firstMarked`), or asks whether there is any.
public enum ByteWord {
    public static let ones: UInt64 = 0x0101_0101_0101_0101
    public static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The eight bytes at `pointer` (unaligned), the first in the lowest bits.
    @inlinable @inline(__always)
    public static func load(_ pointer: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self))
    }

    /// The bytes equal to `byte`.
    @inlinable @inline(__always)
    public static func equal(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let x = word ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & highs
    }

    /// The bytes below 0x20 (control characters).
    @inlinable @inline(__always)
    public static func control(_ word: UInt64) -> UInt64 {
        (word &- ones &* 0x20) & ~word & highs
    }

    /// The bytes of 0x80 and above (not ASCII).
    @inlinable @inline(__always)
    public static func nonASCII(_ word: UInt64) -> UInt64 {
        word & highs
    }

    /// The place (0 to 7) of the lowest marked byte of `marks` (not 0).
    @inlinable @inline(__always)
    public static func firstMarked(_ marks: UInt64) -> Int {
        marks.trailingZeroBitCount &>> 3
    }
}
