#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Converts CP949 (Korean Windows / Excel "CSV" encoding, a superset of EUC-KR) to UTF-8 with
/// iconv, one line at a time. Not thread-safe: one converter per reader.
final class CP949Converter {
    private let cd: iconv_t

    init() throws {
        let cd = iconv_open("UTF-8", "CP949")
        guard let cd, Int(bitPattern: cd) != -1 else {
            throw InboxFileError.unreadable("CP949 conversion is not available on this system (iconv)")
        }
        self.cd = cd
    }

    deinit {
        iconv_close(cd)
    }

    /// The UTF-8 bytes of `input`, or the offset of the first byte that is not CP949.
    func convert(_ input: ArraySlice<UInt8>) -> Result<[UInt8], ConversionFailure> {
        if input.isEmpty { return .success([]) }
        _ = iconv(cd, nil, nil, nil, nil)  // reset shift state
        var source = Array(input)
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        var produced = 0
        let total = source.count
        var consumed = 0
        while true {
            let result: Int = source.withUnsafeMutableBytes { src in
                output.withUnsafeMutableBytes { dst in
                    var inPtr: UnsafeMutablePointer<CChar>? = src.baseAddress!
                        .assumingMemoryBound(to: CChar.self).advanced(by: consumed)
                    var inLeft = total - consumed
                    var outPtr: UnsafeMutablePointer<CChar>? = dst.baseAddress!
                        .assumingMemoryBound(to: CChar.self).advanced(by: produced)
                    var outLeft = dst.count - produced
                    let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    consumed = total - inLeft
                    produced = dst.count - outLeft
                    return r
                }
            }
            if result != -1 { break }
            let code = errno
            if code == E2BIG {
                output.append(contentsOf: [UInt8](repeating: 0, count: output.count))
                continue
            }
            // EILSEQ: invalid sequence; EINVAL: a sequence cut off at the end of the line.
            return .failure(ConversionFailure(offset: consumed))
        }
        output.removeSubrange(produced...)
        return .success(output)
    }

    struct ConversionFailure: Error {
        var offset: Int
    }
}
