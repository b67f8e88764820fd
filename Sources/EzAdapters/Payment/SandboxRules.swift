import EzCore

/// The sandbox's deterministic business rules: declines, fees and masking.
///
/// Decline rules (checked on every new charge; anything else approves):
/// - card token starting with `tok_decline` → `CARD_DECLINED` (카드 승인이 거절되었습니다.)
/// - card token starting with `tok_nofunds` → `INSUFFICIENT_FUNDS` (잔액이 부족합니다.)
/// - account number whose digits end in `0000` → `ACCOUNT_INVALID` (유효하지 않은 계좌입니다.)
///
/// Fees: an approved charge pays 2.2% of its amount, floored to the won; a declined charge
/// pays nothing. A cancel gives back the charge's fee in proportion to the amount refunded,
/// computed on the running total (floor(fee × refunded so far / charged) minus the fee
/// already given back), so a charge refunded in full gives back exactly its whole fee.
/// Amounts and fees are stored non-negative; the transaction type says the direction.
public enum SandboxRules {
    public struct Decline: Hashable, Sendable {
        public var code: String
        public var message: String
    }

    public static let cardDeclined = Decline(code: "CARD_DECLINED", message: "카드 승인이 거절되었습니다.")
    public static let insufficientFunds = Decline(code: "INSUFFICIENT_FUNDS", message: "잔액이 부족합니다.")
    public static let accountInvalid = Decline(code: "ACCOUNT_INVALID", message: "유효하지 않은 계좌입니다.")

    /// Fee rate in per-mille tenths: 22 / 1000 = 2.2%.
    public static let feeNumerator: Int64 = 22
    public static let feeDenominator: Int64 = 1000

    /// The decline a charge on this instrument meets, or nil when it approves.
    public static func decline(for instrument: PaymentInstrument) -> Decline? {
        switch instrument {
        case .card(let token):
            if token.hasPrefix("tok_decline") { return cardDeclined }
            if token.hasPrefix("tok_nofunds") { return insufficientFunds }
            return nil
        case .account(_, let accountNo):
            return accountNo.filter(\.isNumber).hasSuffix("0000") ? accountInvalid : nil
        }
    }

    /// The fee on an approved charge: 2.2%, floored to the won.
    public static func chargeFee(amount: Int64) -> Int64 {
        amount.multipliedReportingOverflow(by: feeNumerator).overflow
            ? amount / feeDenominator * feeNumerator
            : amount * feeNumerator / feeDenominator
    }

    /// The fee given back by a cancel of `amount`, when `alreadyRefunded` KRW of the charge
    /// were cancelled before.
    public static func cancelFee(chargeAmount: Int64, chargeFee: Int64,
                                 alreadyRefunded: Int64, amount: Int64) -> Int64 {
        guard chargeAmount > 0 else { return 0 }
        func share(_ refunded: Int64) -> Int64 {
            let (product, overflow) = chargeFee.multipliedReportingOverflow(by: refunded)
            if overflow { return Int64((Double(chargeFee) * Double(refunded) / Double(chargeAmount)).rounded(.down)) }
            return product / chargeAmount
        }
        return share(alreadyRefunded + amount) - share(alreadyRefunded)
    }

    /// The instrument as it may be stored and shown (`Masking.instrument`): only the last four
    /// characters of a card token or an account number stay visible.
    public static func mask(_ instrument: PaymentInstrument) -> String {
        Masking.instrument(instrument)
    }
}
