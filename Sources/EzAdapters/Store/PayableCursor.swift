import EzCore

/// Where the payments stage's walk over payable proposals stands (see
/// `StoreTransaction.chargesDue`): the segment it is in and the last proposal returned.
public struct PayableCursor: Equatable, Sendable {
    /// The walk's three segments, in the order it takes them.
    public enum Segment: Int, Sendable {
        /// Due on the business date of the run.
        case dueOnDate
        /// Due on an earlier day, in order of due date.
        case overdue
        /// Without a due date.
        case undated

        var next: Segment? { Segment(rawValue: rawValue + 1) }
    }

    public var segment: Segment
    /// The due date of the last proposal returned ("" before the first).
    public var dueOn: String
    /// The number of the last proposal returned ("" before the first).
    public var proposalNo: String

    public init(segment: Segment = .dueOnDate, dueOn: String = "", proposalNo: String = "") {
        self.segment = segment
        self.dueOn = dueOn
        self.proposalNo = proposalNo
    }

    /// The walk's start.
    public static let start = PayableCursor()

    /// The cursor after `proposal`, the last of a batch the walk returned on `date`.
    public static func after(_ proposal: Proposal, on date: BusinessDate) -> PayableCursor {
        guard let due = proposal.nextAttemptOn else {
            return PayableCursor(segment: .undated, proposalNo: proposal.proposalNo)
        }
        return PayableCursor(segment: due == date ? .dueOnDate : .overdue, dueOn: due.description,
                             proposalNo: proposal.proposalNo)
    }
}
