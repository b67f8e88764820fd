/// Renders the product description document (상품설명서) of a quoted plan, in Korean Markdown.
///
/// Pure and deterministic: the same plan, version and breakdown give the same bytes.
public enum DocumentRenderer {
    public static func render(documentNo: String, plan: Plan, customerName: String, version: ProductVersion,
                              breakdown: PremiumBreakdown?, issuedOn: BusinessDate) -> String {
        var lines: [String] = []
        lines.append("# \(version.document.title)")
        lines.append("")
        lines.append("- 문서번호: \(documentNo)")
        lines.append("- 발행일: \(issuedOn)")
        lines.append("- 상품: \(version.name) (\(version.code), 버전 \(version.versionId), 판매기간 \(version.effectivePeriod))")
        lines.append("- 설계번호: \(plan.planNo)")
        lines.append("- 피보험자: \(customerName) (고객번호 \(plan.customerNo), 보험나이 \(plan.insuranceAge)세)")
        lines.append("")
        lines.append("## 가입내용")
        lines.append("")
        lines.append("| 항목 | 내용 |")
        lines.append("|---|---|")
        lines.append("| 보험가입금액 | \(Won.format(plan.sumInsured))원 |")
        lines.append("| 보험기간 | \(plan.termYears)년 |")
        lines.append("| 납입기간 | \(plan.payYears)년 |")
        lines.append("| 납입주기 | \(plan.paymentFrequency.korean) |")
        if let premium = plan.premium {
            lines.append("| 보험료 | \(Won.format(premium))원 (\(plan.paymentFrequency.korean)) |")
        }
        lines.append("| 설계 유효기간 | \(plan.expiresOn)까지 |")
        if let breakdown {
            lines.append("")
            lines.append("## 보험료 산출내역")
            lines.append("")
            lines.append("| 보장 | 가입금액 | 적용요율 | 기준금액 | 납입주기 계수 | 산출보험료(원) |")
            lines.append("|---|---:|---:|---:|---:|---:|")
            for c in breakdown.components {
                lines.append("| \(c.name) | \(Won.format(c.sumInsured)) | \(c.rate) | \(Won.format(c.per)) | \(c.modalFactor) | \(format(c.rawAmount)) |")
            }
            lines.append("")
            lines.append("- 합계(반올림 전): \(format(breakdown.rawTotal))원")
            lines.append("- 단수처리: \(roundingKorean(breakdown.rounding)) → 보험료 \(Won.format(breakdown.premium))원")
            lines.append("- 연간 보험료: \(Won.format(breakdown.annualPremium))원")
        }
        for section in version.document.sections {
            lines.append("")
            lines.append("## \(section.heading)")
            lines.append("")
            lines.append(section.body.trimmingTrailingNewlines())
        }
        if !version.document.sections.contains(where: { $0.heading == "청약철회" }) {
            lines.append("")
            lines.append("## 청약철회")
            lines.append("")
            lines.append("보험증권을 받은 날부터 \(version.withdrawal.deliveryDays)일 이내(청약일부터 \(version.withdrawal.proposalDays)일 이내)에 청약을 철회할 수 있으며, 납입한 보험료는 \(version.withdrawal.refundDueDays)일 이내에 전액 돌려드립니다.")
        }
        lines.append("")
        return lines.joined(separator: "\n")
    }

    static func format(_ amount: Double) -> String {
        let scaled = (amount * 100).rounded()
        let whole = Int64(scaled / 100)
        let cents = Int64(abs(scaled)) % 100
        return Won.format(whole) + "." + (cents < 10 ? "0" : "") + String(cents)
    }

    static func roundingKorean(_ rounding: Rounding) -> String {
        let mode: String
        switch rounding.mode {
        case .floor: mode = "절사"
        case .roundHalfUp: mode = "반올림"
        case .ceil: mode = "절상"
        }
        return "\(Won.format(rounding.unit))원 단위 \(mode)"
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = self
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }
}
