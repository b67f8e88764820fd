import Crypto
import Foundation

/// SHA-256 digests as lowercase hex, for request content (duplicate vs conflict) and whole files.
public enum ContentHash {
    public static func sha256Hex(_ string: String) -> String {
        hex(SHA256.hash(data: Data(string.utf8)))
    }

    public static func sha256Hex(bytes: [UInt8]) -> String {
        hex(SHA256.hash(data: bytes))
    }

    public static func sha256Hex(data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    /// Reads the file in 1 MiB chunks; memory does not grow with the file.
    public static func sha256Hex(fileAt url: URL) throws -> String {
        let reader = try FileChunkReader(path: url.path)
        var hasher = SHA256()
        var chunk: [UInt8] = []
        while try reader.read(appendingTo: &chunk, upTo: 1 << 20) > 0 {
            chunk.withUnsafeBytes { hasher.update(bufferPointer: $0) }
            chunk.removeAll(keepingCapacity: true)
        }
        return hex(hasher.finalize())
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
