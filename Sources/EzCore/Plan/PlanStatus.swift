/// Lifecycle of a plan (가입설계): QUOTED | DECLINED -> EXPIRED.
public enum PlanStatus: String, LifecycleStatus, Codable {
    case quoted = "QUOTED"
    case declined = "DECLINED"
    case expired = "EXPIRED"

    public var successors: Set<PlanStatus> {
        switch self {
        case .quoted: [.expired]
        case .declined, .expired: []
        }
    }
}
