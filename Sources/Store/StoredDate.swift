import Foundation
import GRDB

/// Dates as GRDB stores them, `yyyy-MM-dd HH:mm:ss.SSS` in UTC, written with integer arithmetic instead of
/// GRDB's shared ICU `DateFormatter` (a lock and a format call per date: a tenth of a cold cycle's writer).
/// Reading them back is GRDB's usual `Date` decoding; the text is identical (StoredDateTests).
///
/// It also writes the alert log's dates as Foundation's `.iso8601` format style does.
package enum StoredDate {
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
        let (days, millisOfDay) = floorDivision(Int64(millis), 86_400_000)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 23) { bytes in
            write(days: days, secondOfDay: millisOfDay / 1000, separator: UInt8(ascii: " "), into: bytes)
            bytes[19] = UInt8(ascii: ".")
            put(millisOfDay % 1000, at: 20, digits: 3, into: bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
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
