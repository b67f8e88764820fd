import EzAdapters
import EzCore
import Foundation
import Testing

@Suite("Catalog: mortality table files (data/mortality)")
struct MortalityTableFileTests {
    static let shipped = MortalityLibrary.load(directory: CatalogTestPaths.packageRoot + "/data/mortality")

    @Test("the shipped tables load clean, each naming its title and source")
    func shippedTables() throws {
        #expect(Self.shipped.diagnostics.map(\.description) == [])
        let tables = Self.shipped.library.tables
        #expect(tables.keys.sorted() == ["ilt", "kr-illustrative", "sult"])
        let sult = try #require(tables["sult"]), ilt = try #require(tables["ilt"]), kr = try #require(tables["kr-illustrative"])
        #expect(sult.source.contains("Dickson, M.R. Hardy, H.R. Waters") && sult.source.contains("c = 1.124"))
        #expect(ilt.source.contains("Bowers") && ilt.source.contains("Appendix 2A"))
        #expect(kr.source.contains("NOT an official table"))
        #expect((sult.firstAge, sult.lastAge, ilt.firstAge, ilt.lastAge, kr.firstAge, kr.lastAge) == (20, 130, 13, 110, 15, 110))
        #expect(!sult.byGender && !ilt.byGender && kr.byGender)
        #expect(kr.q(age: 60, gender: .female)! < kr.q(age: 60, gender: .male)!)
    }

    @Test("the SULT and ILT files hold Makeham's law to 10 significant digits")
    func makehamRows() throws {
        let sult = try #require(Self.shipped.library.tables["sult"]), ilt = try #require(Self.shipped.library.tables["ilt"])
        let laws = [(sult, MakehamLaw(a: 0.00022, b: 2.7e-6, c: 1.124)), (ilt, MakehamLaw(a: 0.0007, b: 0.00005, c: pow(10, 0.04)))]
        for (table, law) in laws {
            for age in table.firstAge..<table.lastAge {
                let q = table.q(age: age, gender: .male)!
                #expect(abs(q - law.q(age)) <= 1e-9 * law.q(age), "\(table.name) age \(age)")
            }
            #expect(table.q(age: table.lastAge, gender: .male) == 1)
        }
    }

    @Test("priced from the FILES: SULT ä40 = 18.4578, A60 = 0.29028 at 5% (DHW SULT appendix); ILT ä40 = 14.8166, 1000A50 = 249.05 at 6% (Bowers App. 2A)")
    func publishedFromFiles() throws {
        let lib = Self.shipped.library.tables
        let sult = CommutationTable(basis: MortalityBasis(origin: .table("sult"), table: lib["sult"]!), gender: .male, interest: 0.05)
        let ilt = CommutationTable(basis: MortalityBasis(origin: .table("ilt"), table: lib["ilt"]!), gender: .male, interest: 0.06)
        #expect(abs(sult.wholeLifeAnnuityDue(age: 40)! - 18.4578) <= 0.00005)
        #expect(abs(sult.wholeLifeInsurance(age: 60)! - 0.29028) <= 0.000005)
        #expect(abs(ilt.wholeLifeAnnuityDue(age: 40)! - 14.8166) <= 0.00005)
        #expect(abs(ilt.wholeLifeInsurance(age: 50)! * 1000 - 249.05) <= 0.005)
    }

    @Test("a broken table file: every problem with its line and column")
    func brokenFile() {
        let text = """
        # title: 시험표
        age,q
        30,0.001
        31,abc
        33,0.002
        34,0.5,0.2
        35,0.9
        """
        let r = MortalityLibrary.parse(text: text, name: "t", file: "t.csv")
        #expect(r.table == nil)
        #expect(r.diagnostics.map(\.description) == [
            "t.csv:4:4: error: q (age 31): expected a probability 0..1, found 'abc'",
            "t.csv:5:1: error: age: expected 32 (ages must be consecutive), found 33",
            "t.csv:6:1: error: expected 2 values (age,q), found 3",
            "t.csv:7:1: error: age: expected 32 (ages must be consecutive), found 35",
            "t.csv:1:1: error: missing header line '# source: ...' (a mortality table must name its source)",
        ])
        let open = MortalityLibrary.parse(text: "# title: x\n# source: y\nage,q_male,q_female\n40,0.1,0.1\n41,1,0.5\n",
                                          name: "t", file: "t.csv")
        #expect(open.diagnostics.map(\.description) == [
            "t.csv:5:6: error: q_female at the last age 41 must be 1 (the table's end: nobody survives beyond it), found 0.5",
        ])
    }
}
