import Foundation
import GRDB
import GRDBSQLite

/// One run of a cached statement, with values bound by SQLite's own calls: a row inserted or updated, or a
/// `SELECT EXISTS` asked.
///
/// GRDB's argument lists (an array of enum values built per row, converted and bound value by value) were a
/// seventh of the writer's time in a cold cycle, and its cursors most of a feed's lookup of its seen items;
/// the commit's hot inserts and that lookup bind their values directly. The statement stays GRDB's: it owns
/// the `sqlite3_stmt`, and resets and rebinds it when it runs it with arguments (each of these statements is
/// only ever run through `BoundRow`).
///
/// Texts are bound without a copy: SQLite reads them in place during the step, while ``run()`` or
/// ``exists()`` holds their bytes, and the bindings are cleared before it lets them go. Bound at once, each
/// would be copied into memory SQLite allocates, only to be copied again into the row. (GRDB's
/// `execute(arguments:)` binds a few arguments the same way.)
struct BoundRow: ~Copyable {
    private let statement: Statement
    private let handle: OpaquePointer
    private let connection: OpaquePointer?
    private var position: Int32 = 1
    /// The row's texts and their parameter positions, bound for the step.
    private var texts: [(position: Int32, text: Text)] = []

    /// A text value: a String, or UTF-8 bytes already encoded (JSON).
    private enum Text {
        case string(String)
        case utf8(ArraySlice<UInt8>)
    }

    /// Starts a row of the cached statement for `sql`, which `reused` keeps once found: GRDB finds a cached
    /// statement by hashing its SQL, which cost more than binding a row.
    init(_ db: Database, sql: String, reusing reused: inout Statement?) throws {
        if let reused {
            assert(reused.sql == sql, "a statement slot reused for another statement")
            statement = reused
        } else {
            statement = try db.cachedStatement(sql: sql)
            reused = statement
        }
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
        guard let text = value else {
            sqlite3_bind_null(handle, position)
            position += 1
            return
        }
        append(.string(text))
    }

    /// Binds UTF-8 bytes as text.
    mutating func bind(utf8 bytes: ArraySlice<UInt8>) {
        append(.utf8(bytes))
    }

    private mutating func append(_ text: Text) {
        if texts.isEmpty { texts.reserveCapacity(Int(sqlite3_bind_parameter_count(handle))) }
        texts.append((position, text))
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
        let failure = withTexts(boundFrom: 0) { () -> DatabaseError? in
            sqlite3_step(handle) == SQLITE_DONE ? nil : error()
        }
        sqlite3_reset(handle)
        if let failure { throw failure }
    }

    /// Runs the row's statement, a `SELECT EXISTS (...)`, and returns its answer.
    /// - Throws: `DatabaseError` with SQLite's extended result code and message, as GRDB would.
    consuming func exists() throws -> Bool {
        let answer = withTexts(boundFrom: 0) { () -> Result<Bool, DatabaseError> in
            guard sqlite3_step(handle) == SQLITE_ROW else { return .failure(error()) }
            return .success(sqlite3_column_int64(handle, 0) != 0)
        }
        sqlite3_reset(handle)
        return try answer.get()
    }

    /// The connection's last error, as GRDB reports it.
    private func error() -> DatabaseError {
        let extended = sqlite3_extended_errcode(connection)
        let message = connection.map { String(cString: sqlite3_errmsg($0)) }
        return DatabaseError(resultCode: ResultCode(rawValue: extended), message: message, sql: statement.sql)
    }

    /// Binds the texts from `index` on, each in place while its bytes are held, runs `step`, and clears the
    /// bindings before the bytes are let go.
    private func withTexts<Value>(boundFrom index: Int, _ step: () -> Value) -> Value {
        guard index < texts.count else {
            let result = step()
            sqlite3_clear_bindings(handle)
            return result
        }
        let position = texts[index].position
        switch texts[index].text {
        case .string(var text):
            return text.withUTF8 { bytes in
                bindText(bytes, at: position)
                return withTexts(boundFrom: index + 1, step)
            }
        case .utf8(let bytes):
            return bytes.withUnsafeBufferPointer { bytes in
                bindText(bytes, at: position)
                return withTexts(boundFrom: index + 1, step)
            }
        }
    }

    /// Binds `bytes` in place: SQLite reads them during the step, which must come before they are let go.
    private func bindText(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int32) {
        if let address = bytes.baseAddress {
            // A nil destructor is SQLITE_STATIC: the bytes are SQLite's to read, not to copy or free.
            sqlite3_bind_text(handle, position, address, Int32(bytes.count), nil)
        } else {
            // An empty buffer may have no address, which SQLite would take for NULL.
            let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
            sqlite3_bind_text(handle, position, "", 0, transient)
        }
    }
}
