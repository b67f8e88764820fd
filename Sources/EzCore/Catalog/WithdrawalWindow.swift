/// The cooling-off window (청약철회 기간) and refund deadline of a product.
///
/// A withdrawal is accepted when requested within `deliveryDays` of the policy's delivery
/// AND within `proposalDays` of the proposal; its refund is due within `refundDueDays` of
/// the request.
public struct WithdrawalWindow: Hashable, Sendable, Codable {
    /// Days after policy delivery (default 15).
    public var deliveryDays: Int
    /// Days after the proposal (default 30).
    public var proposalDays: Int
    /// Days after the withdrawal request by which the refund is due (default 3).
    public var refundDueDays: Int

    public init(deliveryDays: Int = 15, proposalDays: Int = 30, refundDueDays: Int = 3) {
        self.deliveryDays = deliveryDays
        self.proposalDays = proposalDays
        self.refundDueDays = refundDueDays
    }

    /// The statutory defaults: 15, 30 and 3 days.
    public static let standard = WithdrawalWindow()
}
