import Foundation
import GRDB

/// Dates as GRDB stores them, `yyyy-MM-dd HH:mm:ss.SSS` in UTC, written and read with integer arithmetic
/// instead of GRDB's shared ICU `DateFormatter` (a lock and a format call per date: a tenth of a cold cycle's
/// writer) and its UTC `Calendar`. Either of those loads ICU's locale and time zone data: without them a
/// 1,000-feed cold cycle peaked 2.4 MB lower (median of 3). The text and the dates are GRDB's own
/// (StoredDateTests). `FeedParse`'s date parser has the same calendar arithmetic; the modules share no
/// dependency to hold one copy.
///
/// It also writes dates as Foundation's `.iso8601` format style does, for the alert log, the daemon's log
/// lines and its status.
package enum StoredDate {
    /// The text GRDB would store for `date`.
    static func value(_ date: Date) -> DatabaseValue {
        text(date).map { $0.databaseValue } ?? date.databaseValue
    }

    /// `row[column]` as a date, as GRDB would read it; nil for NULL.
    static func read(_ row: Row, _ column: String) -> Date? {
        storedDate(in: row[column]) ?? row[column]
    }

    /// `row[index]` as a date, as GRDB would read it; nil for NULL. By position: a lookup by name lowercases
    /// the name and each column's.
    static func read(_ row: Row, at index: Int) -> Date? {
        storedDate(in: row[index]) ?? row[index]
    }

    /// The date `value` holds when it is a text in the stored format; nil otherwise (NULL, numbers, other
    /// texts), which the callers leave to GRDB.
    private static func storedDate(in value: DatabaseValue) -> Date? {
        guard case .string(let text) = value.storage else { return nil }
        return date(text)
    }

    /// `row[column]` as a date, as GRDB would read it; like GRDB, a fatal error when the column holds none.
    static func read(_ row: Row, _ column: String) -> Date {
        (read(row, column) as Date?) ?? row[column]
    }

    /// The date `text` holds when it is in the stored format (``text(_:)``'s years and valid fields); nil
    /// otherwise, for GRDB to read.
    static func date(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { bytes -> Date? in
            guard bytes.count == 23, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
                bytes[10] == UInt8(ascii: " "), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
                bytes[19] == UInt8(ascii: ".")
            else { return nil }
            func number(at offset: Int, digits: Int) -> Int64? {
                var value: Int64 = 0
                for byte in bytes[offset..<offset + digits] {
                    guard byte &- 48 < 10 else { return nil }
                    value = value * 10 + Int64(byte &- 48)
                }
                return value
            }
            guard let year = number(at: 0, digits: 4), year >= 1600,
                let month = number(at: 5, digits: 2), (1...12).contains(month),
                let day = number(at: 8, digits: 2), day >= 1, day <= daysInMonth(month, of: year),
                let hour = number(at: 11, digits: 2), hour < 24,
                let minute = number(at: 14, digits: 2), minute < 60,
                let second = number(at: 17, digits: 2), second < 60,
                let millisecond = number(at: 20, digits: 3)
            else { return nil }
            let days = self.days(fromYear: year, month: month, day: day)
            let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - 978_307_200
            // As Foundation's Calendar builds it from the components GRDB parses: whole seconds since the
            // reference date plus the nanoseconds.
            return Date(timeIntervalSinceReferenceDate: Double(seconds) + Double(millisecond * 1_000_000) / 1e9)
        }
    }

    /// The text GRDB would store for `date`, or nil outside the years 1600...9999, where ICU's calendar
    /// (Julian before 1582, wider years) is left to GRDB.
    static func text(_ date: Date) -> String? {
        // As Foundation hands dates to ICU: milliseconds since 1970 from the reference-date interval, which
        // ICU rounds to the nearest millisecond, halves up.
        let millis = ((date.timeIntervalSinceReferenceDate + 978_307_200) * 1000 + 0.5).rounded(.down)
        guard millis.isFinite, millis >= -11_676_096_000_000, millis < 253_402_300_800_000 else { return nil }
        let (days, millisOfDay) = floorDivision(Int64(millis), 86_400_000)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 23) { bytes in
            write(days: days, secondOfDay: millisOfDay / 1000, separator: UInt8(ascii: " "), into: bytes)
            bytes[19] = UInt8(ascii: ".")
            put(millisOfDay % 1000, at: 20, digits: 3, into: bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// `date` as Foundation's `.iso8601` format style writes it (`2026-11-30T02:29:08Z`), without the format
    /// style's calendar, which loads ICU.
    package static func iso8601(_ date: Date) -> String {
        withISO8601(date) { String(decoding: $0, as: UTF8.self) } ?? date.formatted(.iso8601)
    }

    /// Calls `body` with `date` as Foundation's `.iso8601` format style writes it (`2026-11-30T02:29:08Z`:
    /// UTC, whole seconds, the fraction dropped), in ASCII; nil outside the years 1600...9999, which are left
    /// to Foundation as in ``text(_:)``. The format style took 4,000 instructions a date.
    package static func withISO8601<Value>(_ date: Date, _ body: (UnsafeBufferPointer<UInt8>) -> Value) -> Value? {
        // Foundation counts from the reference date: whole seconds before it, then shifted to 1970.
        let sinceReference = date.timeIntervalSinceReferenceDate.rounded(.down)
        guard sinceReference.isFinite, sinceReference >= -12_654_403_200, sinceReference < 252_423_993_600 else {
            return nil
        }
        let (days, secondOfDay) = floorDivision(Int64(sinceReference) + 978_307_200, 86_400)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { bytes in
            write(days: days, secondOfDay: secondOfDay, separator: UInt8(ascii: "T"), into: bytes)
            bytes[19] = UInt8(ascii: "Z")
            return body(UnsafeBufferPointer(bytes))
        }
    }

    /// Writes `yyyy-MM-dd`, `separator` and `HH:mm:ss` (19 bytes) for the day `days` since 1970-01-01 and the
    /// second `secondOfDay` in it.
    private static func write(
        days: Int64, secondOfDay: Int64, separator: UInt8, into bytes: UnsafeMutableBufferPointer<UInt8>
    ) {
        let (year, month, day) = civil(fromDays: days)
        put(year, at: 0, digits: 4, into: bytes)
        bytes[4] = UInt8(ascii: "-")
        put(month, at: 5, digits: 2, into: bytes)
        bytes[7] = UInt8(ascii: "-")
        put(day, at: 8, digits: 2, into: bytes)
        bytes[10] = separator
        put(secondOfDay / 3600, at: 11, digits: 2, into: bytes)
        bytes[13] = UInt8(ascii: ":")
        put(secondOfDay / 60 % 60, at: 14, digits: 2, into: bytes)
        bytes[16] = UInt8(ascii: ":")
        put(secondOfDay % 60, at: 17, digits: 2, into: bytes)
    }

    /// Writes `value` in `digits` decimal digits, zero-padded, at `offset`.
    private static func put(
        _ value: Int64, at offset: Int, digits: Int, into bytes: UnsafeMutableBufferPointer<UInt8>
    ) {
        var value = value
        for index in stride(from: offset + digits - 1, through: offset, by: -1) {
            bytes[index] = UInt8(truncatingIfNeeded: 48 + value % 10)
            value /= 10
        }
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
        return (quotient, value - quotient * divisor)
    }

    /// Days since 1970-01-01 of a day of the proleptic Gregorian calendar (H. Hinnant's `days_from_civil`).
    private static func days(fromYear year: Int64, month: Int64, day: Int64) -> Int64 {
        let year = month <= 2 ? year - 1 : year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func daysInMonth(_ month: Int64, of year: Int64) -> Int64 {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Year, month and day of the proleptic Gregorian calendar for days since 1970-01-01 (H. Hinnant's
    /// `civil_from_days`).
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
