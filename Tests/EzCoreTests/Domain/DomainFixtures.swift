@testable import EzCore

/// Small helpers shared by the domain-core tests (namespaced to avoid clashing with other suites).
enum DomainFx {
    /// A date from `YYYY-MM-DD`; crashes the test on a typo rather than hiding it.
    static func d(_ text: String) -> BusinessDate {
        guard let date = BusinessDate(text) else { fatalError("bad test date \(text)") }
        return date
    }

    static func customer(_ no: String = "C00000001", name: String = "홍길동", birth: String = "1985-01-10",
                         gender: Gender = .male, phone: String = "010-1234-5678",
                         email: String? = "hong@example.com", occupationClass: Int? = 1) -> Customer {
        Customer(customerNo: no, name: name, birthDate: d(birth), gender: gender, phone: phone,
                 email: email, occupationClass: occupationClass)
    }

    static func plan(_ no: String, customer: String = "C00000001", status: PlanStatus = .quoted,
                     premium: Int64? = 2_460, requestId: String? = nil,
                     reasons: [PlanDeclineReason] = []) -> Plan {
        Plan(planNo: no, requestId: requestId ?? "REQ-\(no)", customerNo: customer, productCode: "P00000077",
             productName: "테스트건강보험", versionId: "P00000077-v1", quoteDate: d("2025-03-01"), insuranceAge: 40,
             sumInsured: 20_000_000, termYears: 20, payYears: 20, paymentFrequency: .monthly, riders: [],
             premium: premium, status: status, declineReasons: reasons, expiresOn: d("2025-03-31"))
    }

    static func proposal(_ no: String, plan: String, customer: String = "C00000001",
                         status: ProposalStatus = .submitted, sumInsured: Int64 = 20_000_000,
                         product: String = "P00000077") -> Proposal {
        Proposal(proposalNo: no, requestId: "REQ-\(no)", planNo: plan, customerNo: customer,
                 productCode: product, productName: "테스트건강보험", versionId: "\(product)-v1",
                 sumInsured: sumInsured, premium: 2_460, submittedOn: d("2025-03-02"),
                 paymentMethod: "card ****1234", status: status)
    }

    static func withdrawal(_ no: String, proposal: String, status: WithdrawalStatus = .requested) -> Withdrawal {
        var w = Withdrawal(withdrawalNo: no, requestId: "REQ-\(no)", proposalNo: proposal, customerNo: "C00000001",
                           requestedOn: d("2025-03-10"), reason: "단순변심")
        w.status = status
        return w
    }
}
