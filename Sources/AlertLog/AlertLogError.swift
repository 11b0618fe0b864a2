/// A failure of the alert log, naming the file and the system's reason.
public struct AlertLogError: Error, Sendable, CustomStringConvertible {
    /// The log file.
    public var path: String
    /// What was being done: "open", "append", "fsync", "read last line".
    public var operation: String
    /// The `errno` value, when the system gave one.
    public var errno: Int32?
    /// A readable reason.
    public var message: String

    /// Creates a log error.
    public init(path: String, operation: String, errno: Int32? = nil, message: String) {
        self.path = path
        self.operation = operation
        self.errno = errno
        self.message = message
    }

    /// "<path>: <operation>: <message>".
    public var description: String { "\(path): \(operation): \(message)" }
}
