// Builders for request lines (JSON Lines) and business dates used by the end-to-end tests.

import Foundation

enum Requests {
    /// One JSONL line (keys sorted so a rebuilt line has the same bytes).
    static func line(_ object: JSONObject) -> String {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    static func customer(_ no: String, name: String, birth: String, gender: String, phone: String) -> JSONObject {
        ["customer_no": no, "name": name, "birth_date": birth, "gender": gender, "phone": phone]
    }

    static func register(id: String, _ customer: JSONObject) -> String {
        line(["request_id": id, "type": "customer.register", "customer": customer])
    }

    /// `enrollment.apply` paid by card (`cardToken`) for product P00000001 (dental) by default.
    static func enrollment(
        id: String,
        customer: JSONObject,
        product: String = "P00000001",
        sumInsured: Int = 3_000_000,
        termYears: Int = 10,
        payYears: Int = 10,
        cardToken: String = "tok_e2e_ok"
    ) -> String {
        line([
            "request_id": id,
            "type": "enrollment.apply",
            "customer": customer,
            "product_code": product,
            "sum_insured": sumInsured,
            "term_years": termYears,
            "pay_years": payYears,
            "payment_frequency": "monthly",
            "payment": ["method": "card", "card_token": cardToken, "holder_name": customer["name"] ?? "x"],
        ])
    }

    static func withdraw(id: String, proposalRequestId: String, requestedOn: String, reason: String = "단순 변심") -> String {
        line([
            "request_id": id,
            "type": "proposal.withdraw",
            "proposal_request_id": proposalRequestId,
            "requested_on": requestedOn,
            "reason": reason,
        ])
    }
}

/// Business dates as `YYYY-MM-DD`, computed in UTC.
enum BusinessDate {
    static let day1 = "2026-12-01"

    static func plus(_ date: String, days: Int) -> String {
        let formatter = DateFormatter()
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        let start = formatter.date(from: date)!
        return formatter.string(from: start.addingTimeInterval(TimeInterval(days * 86_400)))
    }
}

/// Text re-encoded by `/usr/bin/iconv` (what a Korean spreadsheet exports as "CSV").
enum Iconv {
    static func encode(_ text: String, to encoding: String) throws -> Data {
        let fm = FileManager.default
        let scratch = fm.temporaryDirectory.appendingPathComponent("ez-e2e-iconv-\(UUID().uuidString)")
        try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: scratch) }
        let input = scratch.appendingPathComponent("in.txt")
        let output = scratch.appendingPathComponent("out.txt")
        try Data(text.utf8).write(to: input)
        _ = fm.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        process.arguments = ["-f", "UTF-8", "-t", encoding, input.path]
        process.standardOutput = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        guard process.terminationStatus == 0 else {
            throw BinaryError(description: "iconv -t \(encoding) failed with status \(process.terminationStatus)")
        }
        return try Data(contentsOf: output)
    }
}
