import EzAdapters
import EzCore
import Foundation
import Testing

@Suite("Catalog: loader diagnostics")
struct BrokenCatalogTests {
    static let loaded = CatalogLoader.load(directory: CatalogTestPaths.brokenFixtures)

    /// Diagnostics of one fixture file as `line:column: message`.
    static func diagnostics(_ file: String) -> [CatalogDiagnostic] {
        loaded.diagnostics.filter { URL(fileURLWithPath: $0.file).lastPathComponent == file }
    }

    /// Every expected (line, column, message fragment) is reported, and nothing else.
    static func expectExactly(_ file: String, _ expected: [(Int, Int, String)],
                              sourceLocation: SourceLocation = #_sourceLocation) {
        let got = diagnostics(file)
        for (line, column, fragment) in expected {
            #expect(got.contains { $0.line == line && $0.column == column && $0.message.contains(fragment) },
                    "\(file):\(line):\(column) \(fragment)\n got: \(got.map { "\($0.line):\($0.column): \($0.message)" })",
                    sourceLocation: sourceLocation)
        }
        #expect(got.count == expected.count, "\(got.map(\.description))", sourceLocation: sourceLocation)
    }

    @Test("a broken directory yields no catalog and diagnostics sorted by file, line, column")
    func noCatalog() {
        #expect(Self.loaded.catalog == nil)
        #expect(Self.loaded.diagnostics == Self.loaded.diagnostics.sorted())
        #expect(Set(Self.loaded.diagnostics.map { URL(fileURLWithPath: $0.file).lastPathComponent }) == [
            "bad-values.yaml", "incomplete-rates.yaml", "overlap.yaml", "syntax.yaml", "with-duplicate-code.yaml",
            "unknown-key.yaml", "actuarial.yaml",
        ])
    }

    @Test("actuarial sections: every wrong value at its line and column, and a table too short for the terms sold")
    func actuarial() {
        Self.expectExactly("actuarial.yaml", [
            (20, 30, "versions[0].riders[0].actuarial.mortality.table: no mortality table 'no-such-table' in "),
            (22, 41, "versions[0].riders[0].actuarial.loadings.beta: must be at least 0 and below 1.0, found 1.2"),
            (25, 9, "versions[0].pricing.actuarial: a health product has no mortality benefit of its own; state benefit"),
            (25, 57, "versions[0].pricing.actuarial.mortality.makeham.c: must be above 1 and at most 2, found 0.9"),
            (25, 86, "versions[0].pricing.actuarial.mortality.scale.M: a mortality scale must be above 0 and at most 10"),
            (26, 19, "versions[0].pricing.actuarial.interest: 2.5 is not a plausible annual interest rate"),
            (27, 19, "versions[0].pricing.actuarial.loadings: missing required key 'gamma'"),
            (27, 45, "versions[0].pricing.actuarial.loadings: unknown key 'gama' (did you mean 'gamma'?)"),
            (41, 20, "versions[1].pricing.actuarial.mortality: main coverage: term 20/20 from age 60 needs q up to age 79 "
                + "but the table ends at 70"),
        ])
    }

    @Test("unknown keys are errors at the key, with a suggestion; the missing key at its mapping")
    func unknownKey() {
        Self.expectExactly("unknown-key.yaml", [
            (5, 5, "versions[0]: missing required key 'entry_age'"),
            (8, 5, "versions[0]: unknown key 'entry_agee' (did you mean 'entry_age'?)"),
            (25, 9, "versions[0].pricing.rate_table: unknown key 'discount'"),
        ])
        let d = Self.diagnostics("unknown-key.yaml").first { $0.line == 8 }!
        #expect(d.description.hasSuffix("unknown-key.yaml:8:5: error: " + d.message))
        #expect(d.description.hasPrefix(CatalogTestPaths.brokenFixtures))
    }

    @Test("overlapping versions name both versions; version numbers must be unique")
    func overlap() {
        Self.expectExactly("overlap.yaml", [
            (31, 21, "versions P90000002-v1 (2025-01-01..2025-12-31, line 7) and P90000002-v2 (2025-06-01..2026-12-31) overlap"),
            (42, 14, "version 2 is declared twice (first at line 29)"),
        ])
    }

    @Test("every wrong value is reported at its own line and column")
    func badValues() {
        Self.expectExactly("bad-values.yaml", [
            (2, 7, "code: 'P9000003' is not a product code (P followed by 8 digits"),
            (6, 11, "versions[0].kind: expected one of term, endowment, whole_life, health, found 'wholelife'"),
            (7, 21, "versions[0].effective_from: expected a date YYYY-MM-DD, found '2025-02-30'"),
            (8, 22, "versions[0].entry_age: min (70) is greater than max (60)"),
            (10, 37, "versions[0].terms[0]: pay_years (20) is greater than term_years (10)"),
            (12, 24, "versions[0].sum_insured.min: 1000000 is not a multiple of step 300000"),
            (12, 40, "versions[0].sum_insured.max: 10000000 is not a multiple of step 300000"),
            (13, 36, "versions[0].payment_frequencies[1]: expected one of monthly, annual, found 'weekly'"),
            (14, 47, "underwriting.max_aggregate_sum_insured: expected an integer, found 'lots'"),
            (14, 77, "underwriting.max_occupation_class: must be 1 to 5, found 7"),
            (14, 106, "underwriting.require_occupation_class: expected true or false, found 'yes'"),
            (15, 32, "rounding.mode: expected one of floor, round_half_up, ceil, found 'nearest'"),
            (18, 17, "document.sections: must not be empty"),
            (21, 14, "rate_table.per: must be greater than 0, found 0"),
            (26, 22, "rate_table.rows[0].gender: expected one of M, F, found 'X'"),
            (26, 52, "rate_table.rows[0].rates[1]: rate (age 31) must be greater than 0, found -1.1"),
            (26, 58, "rate_table.rows[0].rates[2]: expected a number, found 'abc'"),
        ])
    }

    @Test("rate tables must price every gender, age and term sold, at every allowed frequency")
    func incompleteRates() {
        Self.expectExactly("incomplete-rates.yaml", [
            (26, 24, "modal_factors: no factor for 'annual', which payment_frequencies allows"),
            (29, 11, "main coverage has no rates for gender F, term 20/20 (ages 30..34 needed)"),
            (29, 77, "main coverage rates for gender M, term 10/10 cover 30..32 but must cover ages 30..34"),
            (32, 37, "rows[3]: term 30/30 is not one of the version's terms (10/10, 20/20)"),
        ])
    }

    @Test("YAML syntax errors carry the parser's line and column")
    func syntax() {
        Self.expectExactly("syntax.yaml", [(7, 9, "YAML syntax error: did not find expected ',' or ']'")])
    }

    @Test("a product code defined in two files is an error naming the first file")
    func duplicateCode() {
        Self.expectExactly("with-duplicate-code.yaml", [
            (2, 7, "code: product P90000001 is already defined in"),
            (4, 11, "versions: must not be empty"),
        ])
        #expect(Self.diagnostics("with-duplicate-code.yaml")[0].message.contains("unknown-key.yaml at line 2"))
    }

    @Test("a missing or empty directory is one diagnostic")
    func missingDirectory() {
        let r = CatalogLoader.load(directory: "/nonexistent/catalog")
        #expect(r.catalog == nil && r.diagnostics.count == 1)
        #expect(r.diagnostics[0].description == "/nonexistent/catalog:1:1: error: catalog directory not found or not readable")
    }
}
