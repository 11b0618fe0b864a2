/// A failure of the SQLite store, naming the database file and what was being done.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// The database file.
    public var path: String
    /// What the store was doing, e.g. "open", "commit batch for feed https://…".
    public var operation: String
    /// SQLite's or GRDB's own message.
    public var message: String
    /// True when the failure is the disk (or the file size limit) being full: retry when space returns.
    public var isDiskFull: Bool

    /// Creates a store error.
    public init(path: String, operation: String, message: String, isDiskFull: Bool = false) {
        self.path = path
        self.operation = operation
        self.message = message
        self.isDiskFull = isDiskFull
    }

    /// "<path>: <operation>: <message>".
    public var description: String { "\(path): \(operation): \(message)" }
}
