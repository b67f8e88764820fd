/// Insurance age (보험나이): completed years of age at a date, plus one when six months or
/// more have passed since the last birthday.
///
/// Birthdays and the six-month mark are counted from the birth date in calendar months, in
/// the civil sense: a day that does not exist in the target month falls on that month's
/// last day. Someone born on 02-29 has a birthday on 02-28 in common years and reaches the
/// six-month mark on 08-29; someone born on 08-31 reaches it on the last day of February.
public struct InsuranceAge: Hashable, Sendable, CustomStringConvertible, Codable {
    /// The insurance age in years.
    public let years: Int
    /// Completed years (만 나이) at the date.
    public let completedYears: Int
    /// The last birthday on or before the date.
    public let lastBirthday: BusinessDate
    /// The day six months after the last birthday, from which the age rounds up.
    public let sixMonthMark: BusinessDate
    /// Whether the six-month rule added a year.
    public var roundedUp: Bool { years > completedYears }

    public var description: String { String(years) }

    /// Computes the insurance age of someone born on `birth` at `date`; nil when `date` is
    /// before the birth.
    public init?(birth: BusinessDate, at date: BusinessDate) {
        guard birth <= date else { return nil }
        var completed = date.year - birth.year
        var birthday = birth.adding(years: completed)
        if birthday > date {
            completed -= 1
            birthday = birth.adding(years: completed)
        }
        let mark = birth.adding(months: completed * 12 + 6)
        self.completedYears = completed
        self.lastBirthday = birthday
        self.sixMonthMark = mark
        self.years = date >= mark ? completed + 1 : completed
    }
}
