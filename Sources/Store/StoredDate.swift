import Foundation
import GRDB

/// Dates as GRDB stores them, `yyyy-MM-dd HH:mm:ss.SSS` in UTC, written with integer arithmetic instead of
/// GRDB's shared ICU `DateFormatter` (a lock and a format call per date: a tenth of a cold cycle's writer).
/// Reading them back is GRDB's usual `Date` decoding; the text is identical (StoredDateTests).
enum StoredDate {
    /// The text GRDB would store for `date`.
    static func value(_ date: Date) -> DatabaseValue {
        text(date).map { $0.databaseValue } ?? date.databaseValue
    }

    /// The text GRDB would store for `date`, or nil outside the years 1600...9999, where ICU's calendar
    /// (Julian before 1582, wider years) is left to GRDB.
    static func text(_ date: Date) -> String? {
        // As Foundation hands dates to ICU: milliseconds since 1970 from the reference-date interval, which
        // ICU rounds to the nearest millisecond, halves up.
        let millis = ((date.timeIntervalSinceReferenceDate + 978_307_200) * 1000 + 0.5).rounded(.down)
        guard millis.isFinite, millis >= -11_676_096_000_000, millis < 253_402_300_800_000 else { return nil }
        let total = Int64(millis)
        let (days, millisOfDay) = floorDivision(total, 86_400_000)
        let (year, month, day) = civil(fromDays: days)
        let secondOfDay = millisOfDay / 1000
        var bytes = [UInt8](repeating: 0, count: 23)
        func put(_ value: Int64, at offset: Int, digits: Int) {
            var value = value
            for index in stride(from: offset + digits - 1, through: offset, by: -1) {
                bytes[index] = UInt8(truncatingIfNeeded: 48 + value % 10)
                value /= 10
            }
        }
        put(year, at: 0, digits: 4)
        bytes[4] = UInt8(ascii: "-")
        put(month, at: 5, digits: 2)
        bytes[7] = UInt8(ascii: "-")
        put(day, at: 8, digits: 2)
        bytes[10] = UInt8(ascii: " ")
        put(secondOfDay / 3600, at: 11, digits: 2)
        bytes[13] = UInt8(ascii: ":")
        put(secondOfDay / 60 % 60, at: 14, digits: 2)
        bytes[16] = UInt8(ascii: ":")
        put(secondOfDay % 60, at: 17, digits: 2)
        bytes[19] = UInt8(ascii: ".")
        put(millisOfDay % 1000, at: 20, digits: 3)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
        return (quotient, value - quotient * divisor)
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
