import Foundation

/// Parses the date formats found in feeds, by hand and without `DateFormatter`.
///
/// Accepted:
/// - RFC 3339 / ISO 8601 / W3CDTF: `2024-03-05T14:30:00Z`, `2024-03-05T14:30:00.250+03:00`, `2024-03-05 14:30`,
///   `2024-03-05`, `2024-03`, `2024`, and the basic form `20240305T143000Z`. No zone means UTC.
/// - RFC 822 / 1123 and their common corruptions: optional, full or foreign leading day names, missing seconds,
///   2-digit years, named zones (GMT, UT, EST, EDT, CET, EET…), numeric zones (`+0300`, `-05:00`, `GMT+3`),
///   month before day, asctime order, `24-Nov-2023`, AM/PM. No zone means UTC.
/// - Military zones (one letter) with RFC 822's offsets: `A` = -1 h … `M` = -12 h, `N` = +1 h … `Y` = +12 h, `Z` = UTC.
/// - Arabic: Arabic-Indic digits, Egyptian (يناير), Maghrebi (جانفي) and Levantine (كانون الثاني) month names,
///   day names, ص/م.
enum FeedDateParser {
    /// A date later than this far ahead of the parse is kept but reported as a problem (clocks and zones
    /// legitimately put a fresh item a few hours ahead).
    static let futureTolerance: TimeInterval = 86_400

    /// The instant `text` denotes, or nil when it is not a date this parser understands.
    static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingWhitespace()
        // Most dates are ASCII without tabs or line breaks, which normalizing would copy unchanged: read in place.
        let fields = trimmed.withUTF8Bytes { bytes in
            if bytes.contains(where: { $0 >= 0x80 || (0x09...0x0D).contains($0) }) {
                return normalizedBytes(trimmed).withUnsafeBufferPointer(scan)
            }
            return scan(bytes)
        }
        return fields?.date
    }

    /// The calendar fields of normalized date bytes, by the first scanner that reads them.
    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> DateFields? {
        guard !bytes.isEmpty else { return nil }
        if let fields = RFC1123Form.scan(bytes) { return fields }
        var iso = ISO8601Scanner(bytes)
        return iso.scan() ?? RFC822Scanner(bytes).scan()
    }

    /// The UTF-8 of `trimmed` (already trimmed by ``parse(_:)``) with Arabic-Indic digits turned into ASCII
    /// digits, the Arabic comma into a comma, every kind of space into a plain space and direction marks removed.
    private static func normalizedBytes(_ trimmed: String) -> [UInt8] {
        // ASCII text (with tabs or line breaks, as ``parse(_:)`` reads the rest of ASCII in place): only the
        // spaces need unifying, in a copy fixed up in place.
        var ascii = trimmed.withUTF8Bytes { Array($0) }
        var isASCII = true
        for index in ascii.indices {
            let byte = ascii[index]
            if byte >= 0x80 {
                isASCII = false
                break
            }
            if byte <= 0x0D, byte >= 0x09 { ascii[index] = 0x20 }
        }
        if isASCII { return ascii }
        var scalars = String.UnicodeScalarView()
        for scalar in trimmed.unicodeScalars {
            switch scalar.value {
            case 0x0660...0x0669: scalars.append(Unicode.Scalar(UInt8(scalar.value - 0x0660) + 0x30))
            case 0x06F0...0x06F9: scalars.append(Unicode.Scalar(UInt8(scalar.value - 0x06F0) + 0x30))
            case 0x060C: scalars.append(",")
            case 0x200E, 0x200F, 0x061C: continue
            default: scalars.append(UTF8Whitespace.isWhitespace(scalar) ? " " : scalar)
            }
        }
        return Array(String(scalars).utf8)
    }
}

/// Calendar fields of a parsed date, validated and converted to an instant.
struct DateFields {
    var year: Int
    var month: Int
    var day: Int
    var hour = 0
    var minute = 0
    var second = 0
    var fraction = 0.0
    /// Offset from UTC in seconds (east positive).
    var offset = 0

    /// The instant, or nil when a field is out of range.
    var date: Date? {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Self.daysIn(month: month, year: year)).contains(day),
            (0...59).contains(minute), (0...60).contains(second),
            (0...23).contains(hour) || (hour == 24 && minute == 0 && second == 0),
            abs(offset) <= 18 * 3600
        else { return nil }
        let days = Self.daysSinceEpoch(year: year, month: month, day: day)
        // A leap second is folded into the preceding second.
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + min(second, 59) - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's `days_from_civil`).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

// MARK: - ISO 8601

/// `YYYY[-MM[-DD]][(T|t| )hh:mm[:ss[(.|,)frac]]][Z|±hh[:mm]]`, plus the basic `YYYYMMDDThhmmss` form.
private struct ISO8601Scanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func scan() -> DateFields? {
        guard let year = digits(exactly: 4) else { return nil }
        var fields = DateFields(year: year, month: 1, day: 1)
        let extended = peek == UInt8(ascii: "-")
        if extended {
            index += 1
            guard let month = digits(1...2) else { return nil }
            fields.month = month
            if peek == UInt8(ascii: "-") {
                index += 1
                guard let day = digits(1...2) else { return nil }
                fields.day = day
            }
        } else if let monthAndDay = digits(exactly: 4) {
            fields.month = monthAndDay / 100
            fields.day = monthAndDay % 100
        } else if !atEnd {
            return nil
        }

        if let separator = peek, separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t")
            || separator == UInt8(ascii: " ")
        {
            index += 1
            guard let hour = digits(exactly: 2) else { return nil }
            fields.hour = hour
            if peek == UInt8(ascii: ":") { index += 1 }
            guard let minute = digits(exactly: 2) else { return nil }
            fields.minute = minute
            if peek == UInt8(ascii: ":") { index += 1 }
            if let second = digits(exactly: 2) {
                fields.second = second
                if peek == UInt8(ascii: ".") || peek == UInt8(ascii: ",") {
                    index += 1
                    guard let fraction = fractionDigits() else { return nil }
                    fields.fraction = fraction
                }
            }
            skipSpaces()
            guard let offset = zone() else { return nil }
            fields.offset = offset
        }
        skipSpaces()
        return atEnd ? fields : nil
    }

    /// `Z`, `±hh`, `±hhmm`, `±hh:mm`, `UTC`, `GMT` or nothing (UTC).
    private mutating func zone() -> Int? {
        guard let first = peek else { return 0 }
        switch first {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
            return 0
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            index += 1
            guard let hours = digits(exactly: 2) else { return nil }
            if peek == UInt8(ascii: ":") { index += 1 }
            let minutes = digits(1...2) ?? 0
            let offset = hours * 3_600 + minutes * 60
            return first == UInt8(ascii: "-") ? -offset : offset
        default:
            let rest = String(decoding: bytes[index...], as: UTF8.self).uppercased()
            guard rest == "UTC" || rest == "GMT" else { return nil }
            index = bytes.count
            return 0
        }
    }

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }
    private var atEnd: Bool { index >= bytes.count }

    private mutating func skipSpaces() {
        while peek == UInt8(ascii: " ") { index += 1 }
    }

    private mutating func digits(exactly count: Int) -> Int? {
        guard index + count <= bytes.count, bytes[index..<index + count].allSatisfy(\.isASCIIDigit) else { return nil }
        let value = bytes[index..<index + count].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        index += count
        return value
    }

    private mutating func digits(_ counts: ClosedRange<Int>) -> Int? {
        var end = index
        while end < bytes.count, end - index < counts.upperBound, bytes[end].isASCIIDigit { end += 1 }
        guard counts.contains(end - index) else { return nil }
        return digits(exactly: end - index)
    }

    private mutating func fractionDigits() -> Double? {
        var value = 0.0
        var scale = 0.1
        let start = index
        while let byte = peek, byte.isASCIIDigit {
            value += Double(byte - 0x30) * scale
            scale /= 10
            index += 1
        }
        return index > start ? value : nil
    }
}

// MARK: - RFC 1123, the common case

/// `Tue, 14 Jan 2025 16:53:00 +0000` (or `GMT`), exactly as RFC 1123 writes it and most RSS feeds do: read at
/// fixed positions. Anything else goes to the general scanners.
private enum RFC1123Form {
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> DateFields? {
        // "Ddd, DD Mmm YYYY hh:mm:ss " is 26 bytes, then the zone.
        guard bytes.count == 29 || bytes.count == 31, bytes[3] == UInt8(ascii: ","), bytes[4] == 0x20,
            bytes[7] == 0x20, bytes[11] == 0x20, bytes[16] == 0x20, bytes[19] == UInt8(ascii: ":"),
            bytes[22] == UInt8(ascii: ":"), bytes[25] == 0x20,
            let day = number(bytes, 5, 2), let year = number(bytes, 12, 4), let hour = number(bytes, 17, 2),
            let minute = number(bytes, 20, 2), let second = number(bytes, 23, 2),
            let month = month(bytes[8] | 0x20, bytes[9] | 0x20, bytes[10] | 0x20)
        else { return nil }
        var fields = DateFields(year: year, month: month, day: day)
        fields.hour = hour
        fields.minute = minute
        fields.second = second
        if bytes.count == 31 {
            let sign = bytes[26]
            guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"), let hours = number(bytes, 27, 2),
                let minutes = number(bytes, 29, 2), minutes < 60
            else { return nil }
            let offset = hours * 3_600 + minutes * 60
            fields.offset = sign == UInt8(ascii: "-") ? -offset : offset
        } else {
            guard bytes[26] | 0x20 == UInt8(ascii: "g"), bytes[27] | 0x20 == UInt8(ascii: "m"),
                bytes[28] | 0x20 == UInt8(ascii: "t")
            else { return nil }
        }
        return fields
    }

    private static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for index in start..<start + count {
            guard bytes[index].isASCIIDigit else { return nil }
            value = value * 10 + Int(bytes[index] - 0x30)
        }
        return value
    }

    /// The month of a lower-case English abbreviation.
    private static func month(_ first: UInt8, _ second: UInt8, _ third: UInt8) -> Int? {
        switch (first, second, third) {
        case (0x6A, 0x61, 0x6E): 1  // jan
        case (0x66, 0x65, 0x62): 2  // feb
        case (0x6D, 0x61, 0x72): 3  // mar
        case (0x61, 0x70, 0x72): 4  // apr
        case (0x6D, 0x61, 0x79): 5  // may
        case (0x6A, 0x75, 0x6E): 6  // jun
        case (0x6A, 0x75, 0x6C): 7  // jul
        case (0x61, 0x75, 0x67): 8  // aug
        case (0x73, 0x65, 0x70): 9  // sep
        case (0x6F, 0x63, 0x74): 10  // oct
        case (0x6E, 0x6F, 0x76): 11  // nov
        case (0x64, 0x65, 0x63): 12  // dec
        default: nil
        }
    }
}

// MARK: - RFC 822 and friends

/// A token of an RFC 822-style date.
private enum DateToken {
    case number(value: Int, digitCount: Int)
    /// `hh:mm[:ss[.frac]]`.
    case time(hour: Int, minute: Int, second: Int, fraction: Double)
    /// `+0300`, `-05:00`, `+3`: only read as a zone once the time of day is known.
    case signedNumber(sign: Int, text: [UInt8])
    /// A run of letters, lower-cased, Arabic alef variants unified.
    case word(String)
}

/// Tokenises then interprets dates such as `Tue, 05 Mar 2024 14:30:00 +0300`.
private struct RFC822Scanner {
    /// Read in place, as ``ISO8601Scanner`` reads (the scanner lives within the caller's buffer access).
    private let bytes: UnsafeBufferPointer<UInt8>

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    func scan() -> DateFields? {
        guard let tokens = tokenize() else { return nil }
        var month: Int?
        var numbers: [(value: Int, digitCount: Int)] = []
        var time: (hour: Int, minute: Int, second: Int, fraction: Double)?
        var offset: Int?
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            switch token {
            case .number(let value, let digitCount):
                numbers.append((value, digitCount))
            case .time(let hour, let minute, let second, let fraction):
                guard time == nil else { return nil }
                time = (hour, minute, second, fraction)
                // A meridiem marker only counts right after the time (a lone "م" elsewhere may mean "AD").
                if index < tokens.count, case .word(let word) = tokens[index], let isPM = DateWords.meridiem[word] {
                    guard (1...12).contains(hour) else { return nil }
                    time?.hour = hour % 12 + (isPM ? 12 : 0)
                    index += 1
                }
            case .signedNumber(let sign, let text):
                guard time != nil, offset == nil, let zone = Self.numericOffset(text) else { return nil }
                offset = sign * zone
            case .word(let word):
                if let found = DateWords.months[word] {
                    guard month == nil else { return nil }
                    month = found
                } else if let first = DateWords.twoWordMonthStarts[word], index < tokens.count,
                    case .word(let second) = tokens[index], let found = first[second]
                {
                    guard month == nil else { return nil }
                    month = found
                    index += 1
                } else if DateWords.dayNames.contains(word) || DateWords.fillers.contains(word) {
                    continue
                } else if index == 1 {
                    // A leading word is a day name, possibly in another language ("mer, 16 nov 2022").
                    continue
                } else if let zone = DateWords.zones[word], time != nil, offset == nil {
                    offset = zone
                    // `GMT+3`, `UTC-05:00`: the named zone is the base of a numeric offset.
                    if zone == 0, index < tokens.count, case .signedNumber(let sign, let text) = tokens[index],
                        let extra = Self.numericOffset(text)
                    {
                        offset = sign * extra
                        index += 1
                    }
                } else if let zone = DateWords.militaryZones[word], time != nil, offset == nil {
                    offset = zone
                } else {
                    return nil
                }
            }
        }

        guard let month, numbers.count == 2 else { return nil }
        // Day before year, except when the first number is clearly a year ("2024 Mar 5").
        let (dayNumber, yearNumber) = numbers[0].digitCount > 2 ? (numbers[1], numbers[0]) : (numbers[0], numbers[1])
        guard dayNumber.digitCount <= 2, yearNumber.digitCount != 3 else { return nil }
        let day = dayNumber.value
        var year = yearNumber.value
        if yearNumber.digitCount <= 2 {
            year += year < 50 ? 2000 : 1900
        }
        var fields = DateFields(year: year, month: month, day: day)
        if let time {
            fields.hour = time.hour
            fields.minute = time.minute
            fields.second = time.second
            fields.fraction = time.fraction
        }
        fields.offset = offset ?? 0
        return fields
    }

    /// Seconds east of UTC for `0300`, `03:00`, `3`, `03`.
    private static func numericOffset(_ text: [UInt8]) -> Int? {
        let digits = text.filter { $0 != UInt8(ascii: ":") }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else { return nil }
        let value = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        switch digits.count {
        case 1, 2: return value * 3_600
        case 3, 4:
            guard value % 100 < 60 else { return nil }
            return (value / 100) * 3_600 + (value % 100) * 60
        default: return nil
        }
    }

    private func tokenize() -> [DateToken]? {
        var tokens: [DateToken] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte.isASCIIDigit {
                let start = index
                while index < bytes.count,
                    bytes[index].isASCIIDigit || bytes[index] == UInt8(ascii: ":") || bytes[index] == UInt8(ascii: ".")
                {
                    index += 1
                }
                // A trailing "." is punctuation ("5. März"), not a fraction.
                var end = index
                while end > start, bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
                guard let token = Self.numberOrTime(bytes[start..<end]) else { return nil }
                tokens.append(token)
            } else if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
                index += 1
                let start = index
                while index < bytes.count, bytes[index].isASCIIDigit || bytes[index] == UInt8(ascii: ":") {
                    index += 1
                }
                if index > start, tokens.contains(where: { if case .time = $0 { true } else { false } }) {
                    let sign = byte == UInt8(ascii: "-") ? -1 : 1
                    tokens.append(.signedNumber(sign: sign, text: Array(bytes[start..<index])))
                } else {
                    // A dash between date parts ("24-Nov-2023"): a separator; the digits are read next.
                    index = start
                }
            } else if byte == UInt8(ascii: "(") {
                // A comment such as "(EST)" after a numeric zone.
                while index < bytes.count, bytes[index] != UInt8(ascii: ")") { index += 1 }
                index += 1
            } else if byte < 0x80, !byte.isASCIILetter {
                index += 1  // spaces, commas, dots, slashes between tokens
            } else {
                let start = index
                while index < bytes.count, bytes[index] >= 0x80 || bytes[index].isASCIILetter { index += 1 }
                let word = bytes[start..<index]
                if word.allSatisfy({ $0 < 0x80 }) {
                    // ASCII: lower-cased byte by byte (short words stay small strings, without allocation).
                    tokens.append(.word(String(decoding: word.map { $0 | 0x20 }, as: UTF8.self)))
                } else {
                    tokens.append(.word(DateWords.normalize(String(decoding: word, as: UTF8.self))))
                }
            }
        }
        return tokens
    }

    private static func numberOrTime(_ text: Slice<UnsafeBufferPointer<UInt8>>) -> DateToken? {
        let parts = text.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        if parts.count == 1 {
            guard !text.contains(UInt8(ascii: ".")), text.count <= 4 else { return nil }
            return .number(value: text.reduce(0) { $0 * 10 + Int($1 - 0x30) }, digitCount: text.count)
        }
        guard parts.count <= 3 else { return nil }
        func integer(_ part: Slice<UnsafeBufferPointer<UInt8>>) -> Int? {
            guard (1...2).contains(part.count), part.allSatisfy(\.isASCIIDigit) else { return nil }
            return part.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        guard let hour = integer(parts[0]), let minute = integer(parts[1]) else { return nil }
        var second = 0
        var fraction = 0.0
        if parts.count == 3 {
            let secondParts = parts[2].split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            guard secondParts.count <= 2, let whole = integer(secondParts[0]) else { return nil }
            second = whole
            if secondParts.count == 2 {
                guard !secondParts[1].isEmpty, secondParts[1].allSatisfy(\.isASCIIDigit) else { return nil }
                fraction = Double("0." + String(decoding: secondParts[1], as: UTF8.self)) ?? 0
            }
        } else if text.contains(UInt8(ascii: ".")) {
            return nil
        }
        return .time(hour: hour, minute: minute, second: second, fraction: fraction)
    }
}

/// Month, day and zone names understood in dates.
private enum DateWords {
    /// Lower-cases ASCII and unifies the Arabic alef forms (أ إ آ → ا) so one spelling matches them all.
    static func normalize(_ word: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in word.lowercased().unicodeScalars {
            switch scalar {
            case "\u{0623}", "\u{0625}", "\u{0622}": scalars.append("\u{0627}")
            case "\u{0640}": continue  // tatweel (kashida) is decoration
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    static let months: [String: Int] = {
        var table: [String: Int] = [:]
        let english = [
            "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december",
        ]
        for (offset, name) in english.enumerated() {
            table[name] = offset + 1
            table[String(name.prefix(3))] = offset + 1
        }
        table["sept"] = 9
        let arabic: [(String, Int)] = [
            ("يناير", 1), ("فبراير", 2), ("مارس", 3), ("ابريل", 4), ("مايو", 5), ("يونيو", 6), ("يونيه", 6),
            ("يوليو", 7), ("يوليه", 7), ("اغسطس", 8), ("سبتمبر", 9), ("اكتوبر", 10), ("نوفمبر", 11), ("ديسمبر", 12),
            // Maghrebi (French-derived) names.
            ("جانفي", 1), ("فيفري", 2), ("افريل", 4), ("ماي", 5), ("جوان", 6), ("جويلية", 7), ("جويليه", 7), ("اوت", 8),
            // Levantine (Syriac-derived) names.
            ("شباط", 2), ("اذار", 3), ("نيسان", 4), ("ايار", 5), ("حزيران", 6), ("تموز", 7), ("اب", 8), ("ايلول", 9),
        ]
        for (name, month) in arabic { table[normalize(name)] = month }
        return table
    }()

    /// Levantine months written in two words: كانون الثاني (January), تشرين الأول (October)…
    /// The second word also appears without its article (كانون ثاني).
    static let twoWordMonthStarts: [String: [String: Int]] = [
        normalize("كانون"): [
            normalize("الثاني"): 1, normalize("ثاني"): 1, normalize("الأول"): 12, normalize("أول"): 12,
        ],
        normalize("تشرين"): [
            normalize("الأول"): 10, normalize("أول"): 10, normalize("الثاني"): 11, normalize("ثاني"): 11,
        ],
    ]

    static let dayNames: Set<String> = {
        var names: Set<String> = []
        for name in ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] {
            names.insert(name)
            names.insert(String(name.prefix(3)))
        }
        names.formUnion(["tues", "thur", "thurs"])
        for name in ["الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"] {
            names.insert(normalize(name))
        }
        return names
    }()

    /// Seconds east of UTC for the zone names feeds use; ambiguous ones (IST, AST, BST) are left out.
    static let zones: [String: Int] = [
        "gmt": 0, "ut": 0, "utc": 0, "z": 0, "wet": 0,
        "west": 3_600, "cet": 3_600, "met": 3_600, "cest": 7_200, "mest": 7_200,
        "eet": 7_200, "eest": 10_800, "msk": 10_800,
        "est": -5 * 3_600, "edt": -4 * 3_600, "cst": -6 * 3_600, "cdt": -5 * 3_600,
        "mst": -7 * 3_600, "mdt": -6 * 3_600, "pst": -8 * 3_600, "pdt": -7 * 3_600,
        "akst": -9 * 3_600, "akdt": -8 * 3_600, "hst": -10 * 3_600, "jst": 9 * 3_600,
    ]

    /// RFC 822 §5.1 military zones, with the offsets as RFC 822 defines them (RFC 1123 notes the signs are the
    /// reverse of military usage; feeds that write them follow RFC 822, as feedparser assumes). `J` is unused.
    static let militaryZones: [String: Int] = {
        var zones: [String: Int] = ["z": 0]
        for (offset, letter) in "abcdefghiklm".enumerated() { zones[String(letter)] = -(offset + 1) * 3_600 }
        for (offset, letter) in "nopqrstuvwxy".enumerated() { zones[String(letter)] = (offset + 1) * 3_600 }
        return zones
    }()

    /// AM/PM markers: English and Arabic (ص = morning, م = evening); true means PM.
    static let meridiem: [String: Bool] = ["am": false, "pm": true, "ص": false, "م": true]

    /// Words that carry no date information: "at", and م when it follows a year ("2024م", anno Domini).
    static let fillers: Set<String> = ["at", "م"]
}
