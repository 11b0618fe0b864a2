import Foundation
import Store
public import Logging

/// The daemon's log lines on standard error: under journald (`$JOURNAL_STREAM` set) each line starts with
/// its syslog priority (`<6>` for info), so `journalctl -p warning` filters by level and no timestamp is
/// repeated; on a terminal, readable lines with a UTC timestamp and the level.
public struct DaemonLogHandler: LogHandler {
    /// The handler's minimum level.
    public var logLevel: Logger.Level
    /// Metadata added to every line.
    public var metadata: Logger.Metadata = [:]
    /// A provider of task-local metadata, if any.
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let journal: Bool

    /// Creates a handler; `journal` defaults to whether standard error is the journal's stream.
    public init(label: String, level: Logger.Level, journal: Bool = DaemonLogHandler.standardErrorIsJournal()) {
        self.label = label
        self.logLevel = level
        self.journal = journal
    }

    /// Metadata by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one line for the event; a failed write (stderr closed) is dropped, never fatal.
    public func log(event: LogEvent) {
        try? FileHandle.standardError.write(contentsOf: Data(format(event).utf8))
    }

    /// True when `$JOURNAL_STREAM` names the device and inode of standard error (systemd's own check:
    /// the variable is inherited by children whose stderr may point elsewhere).
    public static func standardErrorIsJournal(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Bool {
        guard let stream = environment["JOURNAL_STREAM"] else { return false }
        var status = stat()
        guard fstat(2, &status) == 0 else { return false }
        return stream == "\(status.st_dev):\(status.st_ino)"
    }

    /// The line for an event, newline included.
    func format(_ event: LogEvent) -> String {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let context = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let suffix = context.isEmpty ? "" : " [\(context)]"
        let message = "\(event.message)".replacingOccurrences(of: "\n", with: " ")
        if journal {
            return "<\(Self.priority(event.level))>\(label): \(message)\(suffix)\n"
        }
        let time = StoredDate.iso8601(Date())
        return "\(time) \(event.level) \(label): \(message)\(suffix)\n"
    }

    /// The syslog priority journald reads from a `<N>` prefix.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
