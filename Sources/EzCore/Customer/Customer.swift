/// Gender as the catalog's rate tables and the requests spell it.
public enum Gender: String, Sendable, Codable, CaseIterable {
    case male = "M"
    case female = "F"
}

/// A customer (고객) as registered from a request.
public struct Customer: Hashable, Sendable, Codable {
    public var customerNo: String
    public var name: String
    public var birthDate: BusinessDate
    public var gender: Gender
    public var phone: String
    public var email: String?
    /// Occupation risk class (직업급수), 1 (office) to 5 (most hazardous); nil when not stated.
    public var occupationClass: Int?

    public init(customerNo: String, name: String, birthDate: BusinessDate, gender: Gender,
                phone: String, email: String? = nil, occupationClass: Int? = nil) {
        self.customerNo = customerNo
        self.name = name
        self.birthDate = birthDate
        self.gender = gender
        self.phone = phone
        self.email = email
        self.occupationClass = occupationClass
    }

    enum CodingKeys: String, CodingKey {
        case customerNo = "customer_no", name, birthDate = "birth_date", gender, phone, email
        case occupationClass = "occupation_class"
    }
}
