/// How a product rounds a premium to whole KRW: to a multiple of `unit` with `mode`.
///
/// Applied ONCE, to the total premium per payment (main coverage plus riders), never to the
/// components. Before rounding, the raw amount is rounded to 6 decimal places so that
/// binary floating-point noise (3_702.0000000004) cannot move it across a unit boundary.
public struct Rounding: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The rounding direction.
    public enum Mode: String, Hashable, Sendable, Codable, CaseIterable {
        /// Down to the unit below (절사).
        case floor
        /// To the nearest unit, halves up (반올림).
        case roundHalfUp = "round_half_up"
        /// Up to the unit above (절상).
        case ceil
    }

    /// The premium is a multiple of this many KRW (e.g. 10). Must be > 0.
    public var unit: Int64
    public var mode: Mode

    public init(unit: Int64, mode: Mode) {
        self.unit = unit
        self.mode = mode
    }

    /// `"floor to 10 KRW"`.
    public var description: String { "\(mode.rawValue) to \(unit) KRW" }

    /// Rounds a non-negative raw amount to micro-won (6 decimals), half away from zero.
    public static func micros(_ amount: Double) -> Int64 {
        Int64((amount * 1_000_000).rounded(.toNearestOrAwayFromZero))
    }

    /// Rounds `amount` to 6 decimals, then to a multiple of `unit` per `mode`, in integer
    /// arithmetic (no floating point after the first step).
    public func apply(_ amount: Double) -> Int64 {
        let m = Rounding.micros(amount)
        let u = unit * 1_000_000
        let q: Int64
        switch mode {
        case .floor: q = floorDiv(m, u)
        case .ceil: q = -floorDiv(-m, u)
        case .roundHalfUp: q = floorDiv(m + u / 2, u)
        }
        return q * unit
    }

    private func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
