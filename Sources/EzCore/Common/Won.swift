/// Formatting of integer KRW amounts.
public enum Won {
    /// `1234567` -> `1,234,567`. Written digit by digit into the string's own storage (it is
    /// called a dozen times for every document).
    public static func format(_ amount: Int64) -> String {
        var magnitude = amount.magnitude
        var reversed: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // 32 bytes: 20 digits, 6 commas, a sign
        return withUnsafeMutableBytes(of: &reversed) { buffer in
            var count = 0, digits = 0
            repeat {
                if digits > 0 && digits % 3 == 0 {
                    buffer[count] = 0x2C
                    count += 1
                }
                buffer[count] = 0x30 + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
                digits += 1
            } while magnitude > 0
            if amount < 0 {
                buffer[count] = 0x2D
                count += 1
            }
            return String(unsafeUninitializedCapacity: count) { out in
                for i in 0..<count { out[i] = buffer[count - 1 - i] }
                return count
            }
        }
    }
}
