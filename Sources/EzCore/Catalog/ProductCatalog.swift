/// All product versions the runner knows, looked up by code and date or by version id.
///
/// The loader guarantees that versions of one product never overlap; should they anyway,
/// the highest version number in effect wins.
public struct ProductCatalog: Hashable, Sendable, Codable {
    /// Every version, ordered by code then version number.
    public let allVersions: [ProductVersion]
    /// Positions in `allVersions` by product code (in version order) and by version id,
    /// built once: every quote, proposal and payment looks its version up.
    private let byCode: [String: [Int]]
    private let byId: [String: Int]

    public init(_ versions: [ProductVersion]) {
        allVersions = versions.sorted { ($0.code, $0.version) < ($1.code, $1.version) }
        var byCode: [String: [Int]] = [:], byId: [String: Int] = [:]
        for (i, v) in allVersions.enumerated() {
            byCode[v.code, default: []].append(i)
            if byId[v.versionId] == nil { byId[v.versionId] = i }
        }
        self.byCode = byCode
        self.byId = byId
    }

    enum CodingKeys: String, CodingKey { case allVersions }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.container(keyedBy: CodingKeys.self).decode([ProductVersion].self, forKey: .allVersions))
    }

    /// Product codes, sorted.
    public var products: [String] {
        var seen = Set<String>()
        return allVersions.map(\.code).filter { seen.insert($0).inserted }
    }

    /// Every version of a product, by version number; empty for an unknown code.
    public func versions(code: String) -> [ProductVersion] {
        (byCode[code] ?? []).map { allVersions[$0] }
    }

    /// Whether the catalog has any version of `code`.
    public func hasProduct(_ code: String) -> Bool { byCode[code] != nil }

    /// The version of `code` in effect on `date`, nil when none is (unknown product, before
    /// the first version, after the last one ends, or in a gap between versions).
    public func version(code: String, on date: BusinessDate) -> ProductVersion? {
        guard let positions = byCode[code] else { return nil }
        return positions.last { allVersions[$0].isEffective(on: date) }.map { allVersions[$0] }
    }

    /// The version with id `"<code>-v<version>"`, whether or not still in effect.
    public func version(id: String) -> ProductVersion? {
        byId[id].map { allVersions[$0] }
    }
}
