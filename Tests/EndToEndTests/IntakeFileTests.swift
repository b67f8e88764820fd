// End-to-end: file-drop intake, idempotency and broken inputs through the BUILT binary (see
// Binary.swift: run `swift build` before `swift test`).

import Foundation
import Testing

@Suite("File intake and idempotency (end to end)", .serialized)
struct IntakeFileTests {

    @Test("6. malformed lines are rejected alone, named by line and field; the counts add up")
    func malformedLines() throws {
        let home = try TestHome()
        let good1: JSONObject = Requests.customer("C8001", name: "좋은", birth: "1990-01-10", gender: "F", phone: "01011113333")
        let lines = [
            /* 1 */ Requests.register(id: "M-1", good1),
            /* 2 */ #"{"request_id":"M-2","type":"customer.register","customer":{"customer_no":"C8002","name":"나쁜""#,
            /* 3 */ Requests.register(id: "M-3", Requests.customer("C8003", name: "날짜", birth: "1990-02-30", gender: "F", phone: "01011113333")),
            /* 4 */ Requests.line(["request_id": "M-4", "type": "customer.enroll",
                                   "customer": Requests.customer("C8004", name: "유형", birth: "1990-01-10", gender: "F", phone: "01011113333")]),
            /* 5 */ "",
            /* 6 */ Requests.line(["request_id": "M-5", "type": "customer.register",
                                   "customer": ["customer_no": "C8005", "birth_date": "1990-01-10", "gender": "F", "phone": "01011113333"]]),
            /* 7 */ Requests.register(id: "M-1", Requests.customer("C8001", name: "다른", birth: "1990-01-10", gender: "F", phone: "01011113333")),
            /* 8 */ Requests.register(id: "M-6", Requests.customer("C8006", name: "좋은둘", birth: "1991-05-05", gender: "M", phone: "010-1111-4444")),
            /* 9 */ Requests.register(id: "M-1", Requests.customer("C8001", name: "좋은", birth: "1990-01-10", gender: "F", phone: "010-1111-3333")),
        ]
        try home.drop("mixed.jsonl", lines: lines)

        let result = try home.runIntake(asOf: BusinessDate.day1)
        #expect(result.status == 0, "bad lines are not a failed run\n\(result)")
        let counts = try #require(result.lineCounts, "no `lines:` summary\n\(result)")
        #expect(counts.read == counts.accepted + counts.duplicate + counts.rejected, "\(counts)")
        #expect(counts.read == 8, "blank lines are not counted: \(counts)")
        #expect(counts.accepted == 2)
        #expect(counts.duplicate == 1)
        #expect(counts.rejected == 5)

        // One reject line per bad line, naming file, physical line number and field.
        let rejects = try home.rejects(of: "mixed.jsonl")
        let byLine = Dictionary(rejects.compactMap { r in r.int("line").map { ($0, r) } }, uniquingKeysWith: { a, _ in a })
        #expect(rejects.count == 5, "\(rejects)")
        let expected: [Int: (field: String, requestId: String?)] = [
            2: ("line", nil),
            3: ("customer.birth_date", "M-3"),
            4: ("type", "M-4"),
            6: ("customer.name", "M-5"),
            7: ("request_id", "M-1"),
        ]
        for (line, want) in expected.sorted(by: { $0.key < $1.key }) {
            let reject = byLine[line]
            #expect(reject != nil, "no reject for line \(line): \(rejects)")
            #expect(reject?.string("file") == "mixed.jsonl")
            let fields = reject?.objects("errors").compactMap { $0.string("field") } ?? []
            #expect(fields.contains(want.field), "line \(line): fields \(fields), expected \(want.field)")
            #expect(reject?.objects("errors").allSatisfy { !($0.string("reason") ?? "").isEmpty } == true)
            if let id = want.requestId { #expect(reject?.string("request_id") == id, "line \(line)") }
        }
        #expect((byLine[3]?.objects("errors").first?.string("reason") ?? "").contains("1990-02-30"))
        #expect((byLine[7]?.objects("errors").first?.string("reason") ?? "").contains("conflict"))

        // The good lines went on; the first M-1 stands.
        #expect(try home.customerView("C8001")?.string("name") == "좋은")
        #expect(try home.customerView("C8006")?.string("name") == "좋은둘")
        for rejected in ["C8002", "C8003", "C8004", "C8005"] {
            #expect(try home.customerView(rejected) == nil, "\(rejected) came from a rejected line")
        }
        #expect(try home.alarms().filter { $0.string("template_code") == "EZ_CUSTOMER_WELCOME" }.count == 2)

        // The rejection is visible in the request's status view.
        let status = try home.run(["status", "--request", "M-3", "--json"])
        #expect(status.status == 0, "\(status)")
        let requestView = try TestHome.object(Data(status.stdout.utf8), source: "status --request M-3")
        #expect(requestView.object("current")?.string("status") == "REJECTED", "\(requestView)")

        #expect(home.fileNames(in: "archive/\(BusinessDate.day1)") == ["mixed.jsonl"])
    }

    @Test("7. the same file dropped twice: a duplicate file by SHA-256; the same requests in other bytes: duplicate lines")
    func sameFileTwice() throws {
        let home = try TestHome()
        let content = [
            Requests.enrollment(id: "E2E-DUP-1", customer: applicant),
            Requests.register(id: "E2E-DUP-2", Requests.customer("C9002", name: "이중복", birth: "1985-05-05", gender: "F", phone: "010-5555-6666")),
        ]
        try home.drop("batch-a.jsonl", lines: content)
        let first = try home.runIntake(asOf: day1)
        #expect(first.status == 0, "\(first)")
        #expect(first.lineCounts.map { [$0.read, $0.accepted, $0.duplicate, $0.rejected] } == [2, 2, 0, 0], "\(first)")
        let outputs = ["views", "outbox", "documents"]
        let before = home.snapshot(outputs)
        let ledgerBefore = try home.ledgerText()
        #expect(!before.isEmpty)

        // Same bytes under another name: recognised by its SHA-256 and not read again.
        try home.drop("batch-a-resent.jsonl", lines: content)
        let second = try home.runIntake(asOf: day1)
        #expect(second.status == 0, "\(second)")
        #expect(second.stdout.contains("duplicate files 1"), "\(second)")
        #expect(second.lineCounts == nil, "no line of a duplicate file is read: \(second)")

        // The same requests in other bytes (reordered): every line is a duplicate request.
        try home.drop("batch-a-reordered.jsonl", lines: content.reversed())
        let third = try home.runIntake(asOf: day1)
        #expect(third.status == 0, "\(third)")
        #expect(third.lineCounts.map { [$0.read, $0.accepted, $0.duplicate, $0.rejected] } == [2, 0, 2, 0], "\(third)")

        let after = home.snapshot(outputs)
        #expect(after.keys.sorted() == before.keys.sorted(), "no new output files")
        for (file, bytes) in before { #expect(after[file] == bytes, "\(file) changed") }
        #expect(try home.ledgerText() == ledgerBefore, "no new gateway call")
        #expect(try home.ledger().count == 1)
        let archived = home.fileNames(in: "archive/\(day1)")
        #expect(archived.contains("batch-a.jsonl") && archived.contains("batch-a-reordered.jsonl"), "\(archived)")
        #expect(archived.contains { $0.hasPrefix("batch-a-resent.jsonl.duplicate-") }, "\(archived)")
        #expect(home.fileNames(in: "rejected").isEmpty, "duplicates are not rejections")
    }

    @Test("8. a rerun with nothing new changes nothing; views rebuild gives the same bytes")
    func rerunChangesNothing() throws {
        let home = try TestHome()
        let other = Requests.customer("C9003", name: "최철회", birth: "1980-08-08", gender: "F", phone: "010-7777-8888")
        let old = Requests.customer("C9004", name: "한거절", birth: "1940-01-01", gender: "M", phone: "010-9999-0000")
        try home.drop("mix.jsonl", lines: [
            Requests.enrollment(id: "E2E-RR-1", customer: applicant),
            Requests.enrollment(id: "E2E-RR-2", customer: other, termYears: 20, payYears: 20),
            Requests.withdraw(id: "E2E-RR-3", proposalRequestId: "E2E-RR-2", requestedOn: day1),
            Requests.enrollment(id: "E2E-RR-4", customer: old),
        ])
        let first = try home.runIntake(asOf: day1)
        #expect(first.status == 0, "\(first)")
        #expect(try onlyProposal(home, "C9001", first).string("status") == "ACTIVE")
        #expect(try onlyProposal(home, "C9003", first).string("status") == "WITHDRAWN")
        #expect(try home.customerView("C9004")?.objects("plans").first?.string("status") == "DECLINED")

        let outputs = ["views", "outbox", "documents", "archive", "rejected"]
        let before = home.snapshot(outputs)
        let ledgerBefore = try home.ledgerText()
        #expect(before.keys.contains("views/summary.json"))

        let second = try home.runIntake(asOf: day1)
        #expect(second.status == 0, "\(second)")
        let afterRerun = home.snapshot(outputs)
        #expect(afterRerun.keys.sorted() == before.keys.sorted())
        for (file, bytes) in before { #expect(afterRerun[file] == bytes, "\(file) changed on rerun") }
        #expect(try home.ledgerText() == ledgerBefore, "rerun called the gateway")

        let viewsBefore = home.snapshot(["views"])
        let rebuild = try home.run(["views", "rebuild"], asOf: day1)
        #expect(rebuild.status == 0, "\(rebuild)")
        let rebuilt = home.snapshot(["views"])
        #expect(rebuilt.keys.sorted() == viewsBefore.keys.sorted())
        for (file, bytes) in viewsBefore { #expect(rebuilt[file] == bytes, "\(file) differs after views rebuild") }

        // From nothing: delete every view, rebuild from the event log.
        try FileManager.default.removeItem(at: home.path("views"))
        let fromScratch = try home.run(["views", "rebuild"], asOf: day1)
        #expect(fromScratch.status == 0, "\(fromScratch)")
        let recreated = home.snapshot(["views"])
        #expect(recreated.keys.sorted() == viewsBefore.keys.sorted())
        for (file, bytes) in viewsBefore { #expect(recreated[file] == bytes, "\(file) differs after rebuild from scratch") }
    }

    @Test("10. broken catalog: run intake exits 65 naming file:line, nothing priced; catalog validate exits 65")
    func brokenCatalog() throws {
        let home = try TestHome()
        let valid = try home.run(["catalog", "validate"], asOf: day1)   // also seeds the home
        #expect(valid.status == 0, "the shipped catalog is valid\n\(valid)")

        let yaml = home.path("catalog/P00000001.yaml")
        let original = try String(contentsOf: yaml, encoding: .utf8)
        let good = "entry_age: {min: 15, max: 65}"
        let brokenLine = try #require(original.components(separatedBy: "\n").firstIndex { $0.contains(good) }, "catalog changed: fix the test") + 1
        try original.replacingOccurrences(of: good, with: "entry_age: {min: 15, max: [65").write(to: yaml, atomically: true, encoding: .utf8)

        try home.drop("apply.jsonl", lines: [Requests.enrollment(id: "E2E-CAT-1", customer: applicant)])
        let run = try home.runIntake(asOf: day1)
        #expect(run.status == 65, "\(run)")
        let regex = try NSRegularExpression(pattern: #"P00000001\.yaml:(\d+)"#)
        let match = regex.firstMatch(in: run.stderr, range: NSRange(run.stderr.startIndex..., in: run.stderr))
        #expect(match != nil, "stderr must name file:line\n\(run)")
        if let match, let range = Range(match.range(at: 1), in: run.stderr), let line = Int(run.stderr[range]) {
            #expect(abs(line - brokenLine) <= 1, "reported line \(line), broken line \(brokenLine)")
        }

        // Nothing priced, nothing ingested, nothing sent.
        #expect(!home.snapshot(["views"]).keys.contains { $0.hasPrefix("views/export/customers/") })
        #expect(home.fileNames(in: "documents").isEmpty)
        #expect(try home.alarms().isEmpty)
        #expect(try home.ledger().isEmpty)
        #expect(home.inboxFiles() == ["apply.jsonl"], "the request must stay in the inbox")

        let validate = try home.run(["catalog", "validate"], asOf: day1)
        #expect(validate.status == 65, "\(validate)")
        #expect((validate.stdout + validate.stderr).contains("P00000001.yaml:"), "\(validate)")

        // Repaired: the waiting file goes through.
        try original.write(to: yaml, atomically: true, encoding: .utf8)
        let repaired = try home.runIntake(asOf: day1)
        #expect(repaired.status == 0, "\(repaired)")
        #expect(try onlyProposal(home, "C9001", repaired).string("status") == "ACTIVE")
    }

    @Test("11. CSV in CP949: Korean names registered correctly")
    func cp949CSV() throws {
        let home = try TestHome()
        // 똠 is outside KS X 1001 (EUC-KR) but in CP949's extension: a real CP949 reader is needed.
        let csv = """
            request_id,customer.customer_no,customer.name,customer.birth_date,customer.gender,customer.phone,product_code,sum_insured,term_years,pay_years,payment.method,payment.card_token,payment.holder_name
            K-1,C7001,황보미나,1980-06-30,F,010-2222-3333,P00000001,3000000,10,10,card,tok_k1,황보미나
            K-2,C7002,"남궁 민수",1985-01-01,M,010-4444-5555,P00000001,2000000,20,20,card,tok_k2,남궁민수
            K-3,C7003,김똠방,1992-03-03,M,010-6666-7777,P00000001,1000000,10,10,card,tok_k3,김똠방

            """
        let bytes = try Iconv.encode(csv.replacingOccurrences(of: "\n", with: "\r\n"), to: "CP949")
        #expect(String(data: bytes, encoding: .utf8) == nil, "the fixture must not be valid UTF-8")
        try home.drop("branch.csv", data: bytes)

        let result = try home.runIntake(asOf: day1)
        #expect(result.status == 0, "\(result)")
        #expect(result.lineCounts.map { [$0.read, $0.accepted, $0.duplicate, $0.rejected] } == [3, 3, 0, 0], "\(result)")
        #expect(try home.rejects(of: "branch.csv").isEmpty)

        for (no, name) in [("C7001", "황보미나"), ("C7002", "남궁 민수"), ("C7003", "김똠방")] {
            let view = try #require(try home.customerView(no), "no view for \(no)\n\(result)")
            #expect(view.string("name") == name)
            let proposal = try onlyProposal(home, no, result)
            #expect(proposal.string("status") == "ACTIVE")
            let welcome = try home.alarms().first { $0.string("template_code") == "EZ_CUSTOMER_WELCOME" && $0.string("customer_no") == no }
            let welcomeText: String = welcome?.string("text") ?? ""
            #expect(welcomeText.contains(name), "welcome alarm for \(no): \(String(describing: welcome))")
            if let documentNo = view.objects("plans").first?.string("document_no") {
                let printed = try home.run(["document", documentNo])
                #expect(printed.status == 0, "\(printed)")
                #expect(printed.stdout.contains(name), "document \(documentNo) must name \(name)")
            } else {
                Issue.record("no document for \(no)")
            }
        }
    }
}
