/// The Unicode properties the store reads of headline and dateline text, by table for the scalars below
/// U+0800 (Latin and Arabic): a property lookup per scalar was most of what reading a title or a dateline cost.
struct ScalarTraits: OptionSet, Sendable {
    let rawValue: UInt8

    static let whitespace = ScalarTraits(rawValue: 1)
    static let alphabetic = ScalarTraits(rawValue: 2)
    static let numeric = ScalarTraits(rawValue: 4)

    /// `scalar`'s white space, alphabetic and numeric properties.
    init(of scalar: Unicode.Scalar) {
        self = scalar.value < 0x800 ? Self.table[Int(scalar.value)] : Self.lookUp(scalar)
    }

    init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    private static let table: [ScalarTraits] = (0..<0x800).map { value in
        Unicode.Scalar(value).map(lookUp) ?? []
    }

    private static func lookUp(_ scalar: Unicode.Scalar) -> ScalarTraits {
        var traits: ScalarTraits = []
        if scalar.properties.isWhitespace { traits.insert(.whitespace) }
        if scalar.properties.isAlphabetic { traits.insert(.alphabetic) }
        if scalar.properties.numericType != nil { traits.insert(.numeric) }
        return traits
    }
}
