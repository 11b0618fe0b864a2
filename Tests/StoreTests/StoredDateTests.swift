import Foundation
import GRDB
import Testing

@testable import Store

/// The store's own date writer produces exactly the text GRDB's formatter would, so rows written before and
/// after it compare and sort alike, and GRDB reads them back to the same millisecond.
@Suite struct StoredDateTests {
    @Test func matchesGRDBOnEdgeAndRandomDates() throws {
        var dates: [Date] = [
            Date(timeIntervalSince1970: 0),
            Date(timeIntervalSince1970: -0.0005),
            Date(timeIntervalSince1970: 0.9995),
            Date(timeIntervalSince1970: 951_782_400),  // 2000-02-29
            Date(timeIntervalSince1970: 4_107_542_399.999),  // 2100-02-28 23:59:59.999
            Date(timeIntervalSince1970: -11_676_096_000),  // 1600-01-01
            Date(timeIntervalSince1970: 253_402_300_799.999),  // 9999-12-31 23:59:59.999
            Date(timeIntervalSince1970: 1_764_424_800.123_456),
        ]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        for _ in 0..<5_000 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            // Between 1600 and 9999, with sub-millisecond fractions.
            let seconds = -11_676_096_000 + Double(state % 265_078_396_800_000) / 1000 + Double(state % 997) / 1e6
            dates.append(Date(timeIntervalSince1970: seconds))
        }
        for date in dates {
            let text = try #require(StoredDate.text(date), "\(date.timeIntervalSince1970)")
            #expect(text.databaseValue == date.databaseValue, "\(date.timeIntervalSince1970)")
        }
    }

    /// Reading: the stored text gives back exactly the date GRDB's decoding gives, to the last bit.
    @Test func readsStoredTextAsGRDBDoes() throws {
        var state: UInt64 = 0x5851_F42D_4C95_7F2D
        var texts = ["1600-01-01 00:00:00.000", "1970-01-01 00:00:00.000", "1969-12-31 23:59:59.999",
            "2000-02-29 12:34:56.789", "2100-02-28 23:59:59.999", "9999-12-31 23:59:59.999"]
        for _ in 0..<5_000 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            let date = Date(timeIntervalSince1970: -11_676_096_000 + Double(state % 265_078_396_800_000) / 1000)
            texts.append(try #require(StoredDate.text(date)))
        }
        for text in texts {
            let expected = try #require(Date.fromDatabaseValue(text.databaseValue), "\(text)")
            let read = try #require(StoredDate.date(text), "\(text)")
            #expect(
                read.timeIntervalSinceReferenceDate.bitPattern == expected.timeIntervalSinceReferenceDate.bitPattern,
                "\(text)")
        }
    }

    /// Other texts are left to GRDB: other formats, impossible days, years before 1600.
    @Test(arguments: [
        "2026-11-30", "2026-11-30 10:00", "2026-11-30T10:00:00.000", "2026-11-30 10:00:00.000Z",
        "2026-02-29 10:00:00.000", "2026-13-01 10:00:00.000", "2026-11-31 10:00:00.000", "2026-11-30 24:00:00.000",
        "1599-12-31 23:59:59.999", "2026-11-30 10:00:0x.000", "",
    ])
    func leavesOtherTextToGRDB(text: String) throws {
        #expect(StoredDate.date(text) == nil)
        // What GRDB cannot read is a fatal error for it, as before.
        guard let expected = Date.fromDatabaseValue(text.databaseValue) else { return }
        let row: Row = ["at": text]
        let read: Date? = StoredDate.read(row, "at")
        #expect(read == expected)
    }

    @Test func readsNullAsNoDate() {
        let row: Row = ["at": nil]
        let read: Date? = StoredDate.read(row, "at")
        #expect(read == nil)
    }

    @Test(arguments: [
        -20_000_000_000,  // 1336
        -11_676_096_000.001,  // the last millisecond of 1599
        253_402_300_800,  // 10000-01-01
        253_402_300_799.9996,  // rounds up into the year 10000
    ])
    func leavesYearsOutsideItsRangeToGRDB(secondsSince1970: Double) {
        let date = Date(timeIntervalSince1970: secondsSince1970)
        #expect(StoredDate.text(date) == nil)
        #expect(StoredDate.value(date) == date.databaseValue)
    }

    /// The alert log's dates: Foundation's `.iso8601` text, fractions of a second dropped as Foundation drops
    /// them (counted from the reference date), on both sides of 1970.
    @Test func writesISO8601AsFoundationDoes() throws {
        var seconds: [Double] = [
            0, 0.4, 0.99999999, -0.4, -1, -0.9999999, 59.9999999999, 86_399.9999999, -86_400.5,
            951_782_400, 1_764_469_748.99999, -11_676_096_000, 253_402_300_799.9,
        ]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<5_000 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            seconds.append(-11_676_096_000 + Double(state % 265_078_396_800_000) / 1000 + Double(state % 991) / 1e7)
        }
        for value in seconds {
            let date = Date(timeIntervalSince1970: value)
            let text = try #require(StoredDate.withISO8601(date) { String(decoding: $0, as: UTF8.self) }, "\(value)")
            #expect(text == date.formatted(.iso8601), "\(value)")
        }
        for outside in [-11_676_096_000.5, 253_402_300_800, .infinity] {
            #expect(StoredDate.withISO8601(Date(timeIntervalSince1970: outside)) { _ in true } == nil)
        }
    }

    @Test func distantDatesAreWrittenAsGRDBWouldWriteThem() {
        for date in [Date.distantPast, Date.distantFuture] {
            #expect(StoredDate.value(date) == date.databaseValue)
        }
    }
}
