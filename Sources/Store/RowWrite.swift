import Foundation
import GRDB
import GRDBSQLite

/// One row inserted or updated through a cached statement with SQLite's own bind calls.
///
/// GRDB's argument lists (an array of enum values built per row, converted and bound value by value) were a
/// seventh of the writer's time in a cold cycle; the commit's hot inserts bind their values directly. The
/// statement stays GRDB's: it owns the `sqlite3_stmt`, and GRDB resets and rebinds it on its next use.
struct RowWrite: ~Copyable {
    private let statement: Statement
    private let handle: OpaquePointer
    private let connection: OpaquePointer?
    private var position: Int32 = 1

    /// Starts a row of the cached statement for `sql`.
    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
        // A statement GRDB stepped last may hold its previous row's state and values.
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    mutating func bind(_ value: Int64) {
        sqlite3_bind_int64(handle, position, value)
        position += 1
    }

    mutating func bind(_ value: Int) {
        bind(Int64(value))
    }

    mutating func bind(_ value: Double) {
        sqlite3_bind_double(handle, position, value)
        position += 1
    }

    mutating func bind(_ value: String?) {
        guard var text = value else {
            sqlite3_bind_null(handle, position)
            position += 1
            return
        }
        text.withUTF8 { bytes in
            // SQLITE_TRANSIENT: SQLite copies the bytes before the call returns. An empty buffer may have no
            // address, which SQLite would take for NULL.
            let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
            if let address = bytes.baseAddress {
                sqlite3_bind_text(handle, position, address, Int32(bytes.count), transient)
            } else {
                sqlite3_bind_text(handle, position, "", 0, transient)
            }
        }
        position += 1
    }

    mutating func bind(_ value: Int?) {
        guard let value else {
            sqlite3_bind_null(handle, position)
            position += 1
            return
        }
        bind(value)
    }

    /// A value GRDB has already converted (a stored date, or NULL).
    mutating func bind(_ value: DatabaseValue) {
        switch value.storage {
        case .null: sqlite3_bind_null(handle, position)
        case .int64(let number): sqlite3_bind_int64(handle, position, number)
        case .double(let number): sqlite3_bind_double(handle, position, number)
        case .string(let text):
            bind(text as String?)
            return
        case .blob(let data):
            data.withUnsafeBytes { bytes in
                let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
                sqlite3_bind_blob(handle, position, bytes.baseAddress, Int32(bytes.count), transient)
            }
        }
        position += 1
    }

    /// Runs the row's statement; it must return no row.
    /// - Throws: `DatabaseError` with SQLite's extended result code and message, as GRDB would.
    consuming func run() throws {
        let code = sqlite3_step(handle)
        defer { sqlite3_reset(handle) }
        guard code == SQLITE_DONE else {
            let extended = sqlite3_extended_errcode(connection)
            let message = connection.map { String(cString: sqlite3_errmsg($0)) }
            throw DatabaseError(resultCode: ResultCode(rawValue: extended), message: message, sql: statement.sql)
        }
    }
}
