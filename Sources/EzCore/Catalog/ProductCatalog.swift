/// All product versions the runner knows, looked up by code and date or by version id.
///
/// The loader guarantees that versions of one product never overlap; should they anyway,
/// the highest version number in effect wins.
public struct ProductCatalog: Hashable, Sendable, Codable {
    /// Every version, ordered by code then version number.
    public let allVersions: [ProductVersion]

    public init(_ versions: [ProductVersion]) {
        allVersions = versions.sorted { ($0.code, $0.version) < ($1.code, $1.version) }
    }

    /// Product codes, sorted.
    public var products: [String] {
        var seen = Set<String>()
        return allVersions.map(\.code).filter { seen.insert($0).inserted }
    }

    /// Every version of a product, by version number; empty for an unknown code.
    public func versions(code: String) -> [ProductVersion] {
        allVersions.filter { $0.code == code }
    }

    /// The version of `code` in effect on `date`, nil when none is (unknown product, before
    /// the first version, after the last one ends, or in a gap between versions).
    public func version(code: String, on date: BusinessDate) -> ProductVersion? {
        versions(code: code).last { $0.isEffective(on: date) }
    }

    /// The version with id `"<code>-v<version>"`, whether or not still in effect.
    public func version(id: String) -> ProductVersion? {
        allVersions.first { $0.versionId == id }
    }
}
