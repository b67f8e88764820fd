import Foundation
import EzAdapters
import EzCore
import Testing

@Suite("Catalog: parsing one product file")
struct CatalogParseTests {
    /// A minimal valid product; tests replace parts of it.
    static let valid = """
    code: P90000010
    name: 테스트보험
    versions:
      - version: 1
        kind: health
        effective_from: 2025-01-01
        entry_age: {min: 30, max: 32}
        terms: [{term_years: 10, pay_years: 10}]
        max_expiry_age: 80
        sum_insured: {min: 1_000_000, max: 10_000_000, step: 1_000_000}
        payment_frequencies: [monthly]
        underwriting: {max_aggregate_sum_insured: 20_000_000, max_occupation_class: 5, require_occupation_class: false}
        rounding: {unit: 10, mode: floor}
        document:
          title: 테스트 상품설명서
          sections:
            - {heading: 개요, body: 테스트}
        pricing:
          rate_table:
            per: 10_000
            base_frequency: monthly
            modal_factors: {monthly: 1.0}
            by_term: false
            rows:
              - {gender: M, age_from: 30, rates: [1.0, 1.1, 1.2]}
              - {gender: F, age_from: 30, rates: [0.9, 1.0, 1.1]}
    """

    static func parse(_ yaml: String) -> [String] {
        CatalogLoader.parse(yaml: yaml, file: "t.yaml").diagnostics.map(\.description)
    }

    static func replacing(_ old: String, _ new: String) -> String {
        precondition(valid.contains(old), old)
        return valid.replacingOccurrences(of: old, with: new)
    }

    @Test("the minimal product parses, with documented defaults")
    func minimal() throws {
        let r = CatalogLoader.parse(yaml: Self.valid, file: "t.yaml")
        #expect(r.diagnostics == [])
        let v = try #require(r.versions.first)
        #expect(v.versionId == "P90000010-v1" && v.name == "테스트보험" && v.kind == .health)
        #expect(v.entryAge == 30...32 && v.terms == [TermOption(termYears: 10, payYears: 10)])
        #expect(v.sumInsured == SumInsuredRule(min: 1_000_000, max: 10_000_000, step: 1_000_000))
        #expect(v.withdrawal == WithdrawalWindow(deliveryDays: 15, proposalDays: 30, refundDueDays: 3))
        #expect(v.quoteValidityDays == 30 && v.maxPaymentAttempts == 3 && v.effectiveTo == nil)
        #expect(v.pricing.rateTable?.rate(gender: .female, age: 32, term: v.terms[0]) == 1.1)
        #expect(v.rounding == Rounding(unit: 10, mode: .floor))
    }

    @Test("riders: duplicate code, entry ages outside the product's, incomplete rider rates")
    func riders() {
        let riders = """
            riders:
              - code: R1
                name: 특약1
                sum_insured: {min: 1_000_000, max: 2_000_000, step: 1_000_000}
                entry_age: {min: 29, max: 31}
                rate_table:
                  per: 10_000
                  base_frequency: monthly
                  modal_factors: {monthly: 1.0}
                  by_term: false
                  rows:
                    - {gender: M, age_from: 30, rates: [1.0, 1.1]}
                    - {gender: F, age_from: 30, rates: [1.0, 1.1]}
              - code: R1
                name: 특약2
                sum_insured: {min: 1_000_000, max: 2_000_000, step: 1_000_000}
                entry_age: {min: 30, max: 31}
                rate_table:
                  per: 10_000
                  base_frequency: monthly
                  modal_factors: {monthly: 1.0}
                  by_term: false
                  rows:
                    - {gender: M, age_from: 30, rates: [1.0]}
                    - {gender: F, age_from: 30, rates: [1.0, 1.1]}
            pricing:
        """
        let d = Self.parse(Self.replacing("    pricing:", riders))
        #expect(d == [
            "t.yaml:22:20: error: versions[0].riders[0].entry_age: 29..31 must lie within the product's entry ages 30..32",
            // With its own entry ages invalid, R1 is checked against the product's (30..32).
            "t.yaml:29:48: error: versions[0].riders[0].rate_table.rows: rider R1 rates for gender M cover 30..31 but must cover ages 30..32",
            "t.yaml:30:48: error: versions[0].riders[0].rate_table.rows: rider R1 rates for gender F cover 30..31 but must cover ages 30..32",
            "t.yaml:31:15: error: versions[0].riders[1].code: rider R1 is declared twice (first at line 19)",
            "t.yaml:41:48: error: versions[0].riders[1].rate_table.rows: rider R1 rates for gender M cover 30..30 but must cover ages 30..31",
        ])
    }

    @Test("a coverage has exactly one pricing method: rate_table or actuarial")
    func oneMethod() {
        let d = Self.parse(Self.replacing("      rate_table:\n        per", "      actuarial: {}\n      rate_table:\n        per"))
        #expect(d == ["t.yaml:19:7: error: versions[0].pricing: give either rate_table or actuarial, not both"])
        let none = Self.parse(Self.replacing("    pricing:\n", "    pricing:\n      unused: 1\n"))
        #expect(none.contains { $0.contains("versions[0].pricing: unknown key 'unused'") })
    }

    @Test("term keys in a by_term: false row are reported, not ignored")
    func termInFlatTable() {
        let d = Self.parse(Self.replacing("- {gender: M, age_from", "- {gender: M, term_years: 10, pay_years: 10, age_from"))
        #expect(d == [
            "t.yaml:25:25: error: versions[0].pricing.rate_table.rows[0].term_years: only allowed when by_term is true",
            "t.yaml:25:41: error: versions[0].pricing.rate_table.rows[0].pay_years: only allowed when by_term is true",
        ])
    }

    @Test("quoted numbers are text; an open-ended effective_to may be null; effective_to before from")
    func typesAndDates() {
        #expect(Self.parse(Self.replacing("per: 10_000", "per: \"10000\"")) ==
                ["t.yaml:20:14: error: versions[0].pricing.rate_table.per: expected an integer, found '10000'"])
        #expect(Self.parse(Self.replacing("effective_from: 2025-01-01", "effective_from: 2025-01-01\n    effective_to: ~")) == [])
        #expect(Self.parse(Self.replacing("effective_from: 2025-01-01", "effective_from: 2025-01-01\n    effective_to: 2024-12-31")) ==
                ["t.yaml:7:19: error: versions[0].effective_to: 2024-12-31 is before effective_from 2025-01-01"])
    }

    @Test("a term that no entry age can buy is an error")
    func unsellableTerm() {
        #expect(Self.parse(Self.replacing("max_expiry_age: 80", "max_expiry_age: 39")) == [
            "t.yaml:8:26: error: versions[0].terms[0]: term 10 years can never be sold: youngest entry age 30 + 10 = 40 exceeds max_expiry_age 39",
        ])
    }

    @Test("duplicate YAML keys, empty files and non-mapping documents are reported with a position")
    func structure() {
        #expect(Self.parse(Self.replacing("    kind: health", "    kind: health\n    kind: term")) ==
                ["t.yaml:5:5: error: duplicate key 'kind' in one mapping"])
        #expect(Self.parse("") == ["t.yaml:1:1: error: empty file: expected a product with keys code, name, versions"])
        #expect(Self.parse("- a\n- b\n") ==
                ["t.yaml:1:1: error: expected a mapping with keys code, name, versions, found a list"])
    }
}
