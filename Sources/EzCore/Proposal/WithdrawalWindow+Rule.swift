extension WithdrawalWindow {
    /// Reasons a withdrawal request is out of time; empty when it may proceed.
    ///
    /// In time means within `proposalDays` of the proposal and, once the policy was
    /// delivered, within `deliveryDays` of the delivery. Days count from the day after the
    /// start date: a request on day 15 after delivery is in time, on day 16 it is not.
    public func violations(requestedOn: BusinessDate, proposedOn: BusinessDate,
                           deliveredOn: BusinessDate?) -> [String] {
        var reasons: [String] = []
        if requestedOn < proposedOn {
            reasons.append("철회 신청일(\(requestedOn))이 청약일(\(proposedOn)) 이전입니다")
        }
        let sinceProposal = proposedOn.days(until: requestedOn)
        if sinceProposal > proposalDays {
            reasons.append("청약일(\(proposedOn))로부터 \(proposalDays)일이 지났습니다(\(sinceProposal)일째)")
        }
        if let deliveredOn {
            let sinceDelivery = deliveredOn.days(until: requestedOn)
            if sinceDelivery > deliveryDays {
                reasons.append("보험증권 수령일(\(deliveredOn))로부터 \(deliveryDays)일이 지났습니다(\(sinceDelivery)일째)")
            }
        }
        return reasons
    }

    /// The day by which the refund must be paid.
    public func refundDue(requestedOn: BusinessDate) -> BusinessDate {
        requestedOn.adding(days: refundDueDays)
    }
}
