/// A problem in a config, topics or entities file, with the file and line it is on.
public struct ConfigError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The file, as the user named it or as the config resolved it.
    public var file: String
    /// The 1-based line, when the problem has one.
    public var line: Int?
    /// What is wrong, e.g. "unknown key 'intervall' in poll".
    public var message: String

    /// Creates a config error.
    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`, the form editors and `grep -n` users know.
    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}

/// Every problem found while loading a configuration; `check` prints them all.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    /// The problems, in file order.
    public var errors: [ConfigError]

    /// Creates the list.
    public init(_ errors: [ConfigError]) { self.errors = errors }

    /// One `file:line: message` per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
