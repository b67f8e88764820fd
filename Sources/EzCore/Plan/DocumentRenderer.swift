/// Renders the product description document (상품설명서) of a quoted plan, in Korean Markdown.
///
/// Pure and deterministic: the same plan, version and breakdown give the same bytes.
public enum DocumentRenderer {
    /// The text every document of one product version shares (its title, its product line,
    /// its closing sections), rendered once for the version rather than once per document.
    public struct VersionText: Sendable {
        let title: String
        let product: String
        let closing: String

        public init(_ version: ProductVersion) {
            title = "# \(version.document.title)\n"
            product = "- 상품: \(version.name) (\(version.code), 버전 \(version.versionId), 판매기간 \(version.effectivePeriod))\n"
            var lines = DocumentLines(capacity: 2048)
            for section in version.document.sections {
                lines.append("")
                lines.append("## \(section.heading)")
                lines.append("")
                lines.appendLine(section.body.trimmingTrailingNewlines())
            }
            if !version.document.sections.contains(where: { $0.heading == "청약철회" }) {
                lines.append("")
                lines.append("## 청약철회")
                lines.append("")
                lines.append("보험증권을 받은 날부터 \(version.withdrawal.deliveryDays)일 이내(청약일부터 \(version.withdrawal.proposalDays)일 이내)에 청약을 철회할 수 있으며, 납입한 보험료는 \(version.withdrawal.refundDueDays)일 이내에 전액 돌려드립니다.")
            }
            closing = lines.text
        }
    }

    /// The document of `plan` as UTF-8 bytes, as a bundle file holds it, with its version's
    /// shared text (`VersionText(version)`, made once for the documents of a bundle, which
    /// share a few versions). No `String` is made of it: checking a document's UTF-8 to make
    /// one cost a fifth of rendering it.
    public static func render(documentNo: String, plan: Plan, customerName: String, version: VersionText,
                              breakdown: PremiumBreakdown?, issuedOn: BusinessDate) -> [UInt8] {
        var lines = DocumentLines()
        lines.appendText(version.title)
        lines.append("")
        lines.append("- 문서번호: \(documentNo)")
        lines.append("- 발행일: \(issuedOn)")
        lines.appendText(version.product)
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
                let rate = c.isActuarial ? "보험수리 산출(아래)" : "\(c.rate)"
                lines.append("| \(c.name) | \(Won.format(c.sumInsured)) | \(rate) | \(Won.format(c.per)) | \(c.modalFactor) | \(format(c.rawAmount)) |")
            }
            for c in breakdown.components {
                guard let a = c.actuarial else { continue }
                lines.append("")
                actuarialLines(c, a, frequency: breakdown.frequency, into: &lines)
            }
            lines.append("")
            lines.append("- 합계(반올림 전): \(format(breakdown.rawTotal))원")
            lines.append("- 단수처리: \(roundingKorean(breakdown.rounding)) → 보험료 \(Won.format(breakdown.premium))원")
            lines.append("- 연간 보험료: \(Won.format(breakdown.annualPremium))원")
        }
        lines.appendText(version.closing)
        return lines.utf8
    }

    /// The actuarial basis and values of one coverage, in Korean (보험료 산출기초).
    static func actuarialLines(_ c: PremiumComponent, _ a: ActuarialValues, frequency: PaymentFrequency,
                               into out: inout DocumentLines) {
        typealias T = CatalogText
        let x = a.age, n = a.coverageYears, m = a.payYears
        let benefit: String
        switch a.benefit {
        case .term: benefit = "정기형: 보험기간 \(n)년 중 사망 시 가입금액 지급(사망한 해의 말)"
        case .endowment: benefit = "양로형: 보험기간 \(n)년 중 사망 시 또는 만기 생존 시 가입금액 지급"
        case .wholeLife: benefit = "종신형: 사망 시 가입금액 지급(생명표 최종연령까지)"
        }
        let scale = a.mortalityScale == 1 ? "" : " × 적용비율 \(T.percent(a.mortalityScale))"
        out.append("### \(c.name) 보험료 산출기초 (보험수리 방식)")
        out.append("")
        out.append("| 항목 | 내용 |")
        out.append("|---|---|")
        out.append("| 보장내용 | \(benefit) |")
        out.append("| 예정위험률 | \(a.mortalityTable) 생명표\(scale) |")
        out.append("| 예정이율 | 연 \(T.percent(a.interest)) |")
        out.append("| 보험나이 / 보험기간 / 납입기간 | \(x)세 / \(n)년 / \(m)년 |")
        out.append("| 납입기간 연금현가 ä(\(x):\(m)) | \(T.fixed(a.annuityPay, 6)) |")
        if n != m { out.append("| 보험기간 연금현가 ä(\(x):\(n)) | \(T.fixed(a.annuityCover, 6)) |") }
        out.append("| 사망보험금 현가 A¹ | \(T.fixed(a.termInsurance, 6)) |")
        if a.benefit == .endowment { out.append("| 만기보험금 현가 \(n)E\(x) | \(T.fixed(a.pureEndowment, 6)) |") }
        out.append("| 보험금 현가 합계 A | \(T.fixed(a.insurance, 6)) |")
        out.append("| 연납 순보험료 (가입금액 × A ÷ ä) | \(format(a.netAnnualPremium))원 |")
        out.append("| 신계약비 α | 가입금액의 \(T.percent(a.loadings.alpha)) (계약 시 1회) |")
        out.append("| 수금비 β | 영업보험료의 \(T.percent(a.loadings.beta)) |")
        out.append("| 유지비 γ | 매년 가입금액의 \(T.percent(a.loadings.gamma)) (납입기간 후 \(T.percent(a.loadings.gammaAfterPayment))) |")
        out.append("| 연납 영업보험료 | \(format(a.grossAnnualPremium))원 |")
        if let a12 = a.woolhouseAnnuity {
            out.append("| 월납 연금현가 ä⁽¹²⁾ (Woolhouse: ä − 11/24 × (1 − \(m)E\(x))) | \(T.fixed(a12, 6)) |")
        }
        out.append("| \(frequency.korean) 보험료(단수처리 전) | \(format(a.premiumPerPayment))원 |")
        out.append("")
        let monthly = a.woolhouseAnnuity != nil ? ", 월납은 ä 대신 12 × ä⁽¹²⁾ 사용" : ""
        out.append("영업보험료 = 가입금액 × (A + α + γ × ä(\(x):\(m)) + γ′ × (ä(\(x):\(n)) − ä(\(x):\(m)))) ÷ ((1 − β) × ä(\(x):\(m)))\(monthly)")
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
