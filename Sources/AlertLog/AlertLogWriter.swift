import Analysis
import Foundation
public import Store
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The append-only JSON-lines alert log: one alert per line, ids increasing by one, never a duplicate.
///
/// The store is the source of truth; the log is derived from it. The writer knows the last id in the
/// file (reading it back on open, after cutting off a line torn by a crash), skips any alert at or below
/// it, writes whole lines with `O_APPEND` and calls `fsync` once per batch. ``reopen()`` follows logrotate.
public final class AlertLogWriter: Sendable {
    /// The log file.
    public let path: String
    private let state: Mutex<State>

    private struct State {
        var descriptor: Int32
        var lastWrittenID: Int64
    }

    /// Opens (creating if needed) the log at `path`, repairs a torn last line and reads the last id.
    public init(path: String) throws(AlertLogError) {
        self.path = path
        let descriptor = try Self.openLocked(path)
        do throws(AlertLogError) {
            var lastID = try Self.repairAndReadLastID(descriptor: descriptor, path: path)
            if lastID == 0 {
                // A log just rotated away: carry on after the last alert of the rotated file.
                lastID = try Self.lastIDOfNewestRotatedSibling(of: path)
            }
            state = Mutex(State(descriptor: descriptor, lastWrittenID: lastID))
        } catch {
            close(descriptor)
            throw error
        }
    }

    deinit {
        state.withLock { _ = close($0.descriptor) }
    }

    /// The id of the last alert in the log, 0 for an empty log.
    public var lastWrittenID: Int64 { state.withLock { $0.lastWrittenID } }

    /// Appends the alerts whose id is above ``lastWrittenID``, in id order, then `fsync`s.
    /// On failure (a full disk) the file is cut back to its last whole line and nothing counts as written.
    /// - Returns: how many lines were written.
    @discardableResult
    public func append(_ alerts: [Alert]) throws(AlertLogError) -> Int {
        try state.withLock { (state: inout State) throws(AlertLogError) -> Int in
            // In id order, those the log has already left out: a suffix, not a filtered copy.
            let sorted = alerts.inIDOrder
            let start = sorted.indices.first { sorted[$0].id > state.lastWrittenID } ?? sorted.endIndex
            let fresh = sorted[start...]
            guard let last = fresh.last else { return 0 }
            // All the lines in one buffer, copied out once.
            var writer = AnalysisJSON.Writer(capacity: 2048 * fresh.count)
            for alert in fresh {
                Self.writeLine(alert, into: &writer)
            }
            let bytes = writer.bytes
            let sizeBefore = lseek(state.descriptor, 0, SEEK_END)
            do throws(AlertLogError) {
                try Self.writeAll(bytes, to: state.descriptor, path: path)
                if fsync(state.descriptor) != 0 {
                    throw AlertLogError(path: path, operation: "fsync", errno: errno, message: String(cString: strerror(errno)))
                }
            } catch {
                if sizeBefore >= 0 { _ = ftruncate(state.descriptor, sizeBefore) }
                throw error
            }
            state.lastWrittenID = last.id
            return fresh.count
        }
    }

    /// Closes and reopens the file by name, for logrotate (on SIGHUP or SIGUSR1).
    public func reopen() throws(AlertLogError) {
        let descriptor = try Self.openLocked(path)
        state.withLock { state in
            close(state.descriptor)
            state.descriptor = descriptor
        }
    }

    /// The JSON line for an alert, newline included: the fields in a fixed, readable order (`id`, `time`,
    /// `topic`, `kind`, ... `change` or `burst` when set, with the long `evidence`, `entities` and `quantities` last), ISO 8601 dates, UTF-8 text.
    public static func line(for alert: Alert) -> [UInt8] {
        var writer = AnalysisJSON.Writer(capacity: 2048)
        writeLine(alert, into: &writer)
        return writer.bytes
    }

    /// Writes ``line(for:)`` of `alert` into `writer`.
    private static func writeLine(_ alert: Alert, into writer: inout AnalysisJSON.Writer) {
        // Written by hand with the analyzer's JSON writer, in its buffer: the same bytes JSONEncoder (sorted
        // keys inside the nested objects, ISO 8601 dates, slashes unescaped) gives, without its cost on the
        // commit path, nor an array per field (a line took 44,000 instructions with one).
        writer.member("{\"id\":", Int(alert.id))
        writer.raw(",\"time\":")
        date(alert.time, into: &writer)
        writer.member(",\"topic\":", alert.topic)
        writer.member(",\"kind\":", alert.kind.rawValue)
        writer.member(",\"severity\":", alert.severity)
        writer.member(",\"score\":", alert.score)
        writer.member(",\"modality\":", alert.modality)
        writer.member(",\"feed\":{\"name\":", alert.feed.name)
        writer.member(",\"url\":", alert.feed.url)
        writer.member("},\"item\":{\"guid\":", alert.item.guid)
        if let link = alert.item.link {
            writer.member(",\"link\":", link)
        }
        if let published = alert.item.published {
            writer.raw(",\"published\":")
            date(published, into: &writer)
        }
        if let title = alert.item.title {
            writer.member(",\"title\":", title)
        }
        writer.member("},\"language\":", alert.language)
        writer.member(",\"story\":", Int(alert.story))
        writer.member(",\"sources\":", alert.sources)
        if let change = alert.change {
            writer.member(",\"change\":", change)
        }
        if let burst = alert.burst {
            writer.member(",\"burst\":{\"baseline\":", burst.baseline)
            writer.member(",\"ratio\":", burst.ratio)
            writer.member(",\"sources\":", burst.sources)
            writer.member(",\"stories\":", burst.stories)
            writer.raw("}")
        }
        if let (evidence, entities, quantities) = alert.encoded.json {
            // As the store wrote them into the alert's row: the same bytes.
            writer.raw(",\"evidence\":")
            writer.append(evidence)
            writer.raw(",\"entities\":")
            writer.append(entities)
            writer.raw(",\"quantities\":")
            writer.append(quantities)
        } else {
            writer.raw(",\"evidence\":")
            writer.array(alert.evidence) { writer, evidence in writer.evidence(evidence) }
            writer.raw(",\"entities\":")
            writer.array(alert.entities) { writer, entity in writer.entity(entity) }
            writer.raw(",\"quantities\":")
            writer.array(alert.quantities) { writer, quantity in writer.quantity(quantity) }
        }
        writer.raw("}\n")
    }

    /// Writes `date` as a JSON string in Foundation's `.iso8601` format.
    private static func date(_ date: Date, into writer: inout AnalysisJSON.Writer) {
        let written = StoredDate.withISO8601(date) { text in
            writer.append(UInt8(ascii: "\""))
            writer.append(text)
            writer.append(UInt8(ascii: "\""))
            return true
        }
        if written == nil { writer.string(date.formatted(.iso8601)) }
    }

    /// The last id the log at `path` holds, counting the newest rotated copy when the log itself is empty:
    /// what a reader without the writer's lock (`feedwatch prune` beside the daemon) may treat as logged.
    public static func lastLoggedID(at path: String) throws(AlertLogError) -> Int64 {
        max(try lastID(inLogAt: path), try lastIDOfNewestRotatedSibling(of: path))
    }

    /// The id in the last complete line of the log at `path`; 0 when the file is missing or empty.
    public static func lastID(inLogAt path: String) throws(AlertLogError) -> Int64 {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return 0 }
            throw AlertLogError(path: path, operation: "open", errno: errno, message: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        let (lastLine, _) = try lastCompleteLine(descriptor: descriptor, path: path)
        guard let lastLine else { return 0 }
        return try id(inLine: lastLine, path: path)
    }

    /// The last id in the newest uncompressed rotated copy of the log (`alerts.jsonl.1`,
    /// `alerts.jsonl-20261129`, as logrotate names them), 0 when there is none.
    static func lastIDOfNewestRotatedSibling(of path: String) throws(AlertLogError) -> Int64 {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        let base = url.lastPathComponent
        let siblings = (try? FileManager.default.contentsOfDirectory(
            at: folder, includingPropertiesForKeys: [.contentModificationDateKey])) ?? []
        // Only logrotate's own names: alerts.jsonl.1 (numbered) or alerts.jsonl-20261129 (dateext).
        let rotated = siblings.filter { sibling in
            let name = sibling.lastPathComponent
            guard name.count > base.count + 1, name.hasPrefix(base) else { return false }
            let rest = name.dropFirst(base.count)
            let separator = rest.first
            let suffix = rest.dropFirst()
            return (separator == "." || separator == "-") && !suffix.isEmpty && suffix.allSatisfy(\.isNumber)
        }
        func modified(_ url: URL) -> Date {
            (try? url.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate) ?? .distantPast
        }
        guard let newest = rotated.max(by: { modified($0) < modified($1) }) else { return 0 }
        return try lastID(inLogAt: newest.path)
    }

    // MARK: Private

    /// Opens the log for appending and takes an exclusive lock on it, so a second feedwatch (a `run --once`
    /// beside the service) cannot interleave its own copy of the same ids.
    private static func openLocked(_ path: String) throws(AlertLogError) -> Int32 {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let descriptor = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw AlertLogError(path: path, operation: "open", errno: errno, message: String(cString: strerror(errno)))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            let message = code == EWOULDBLOCK
                ? "another feedwatch process is writing this alert log; stop it first (systemctl stop feedwatch)"
                : String(cString: strerror(code))
            throw AlertLogError(path: path, operation: "lock", errno: code, message: message)
        }
        return descriptor
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(AlertLogError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw AlertLogError(path: path, operation: "append", errno: errno, message: String(cString: strerror(errno)))
            }
            offset += written
        }
    }

    /// Cuts off a torn last line (a crash mid-write) and returns the id of the last whole line.
    private static func repairAndReadLastID(descriptor: Int32, path: String) throws(AlertLogError) -> Int64 {
        let (lastLine, wholeLength) = try lastCompleteLine(descriptor: descriptor, path: path)
        // Make sure this is an alert log before cutting anything off it.
        let lastID = try lastLine.map { line throws(AlertLogError) in try id(inLine: line, path: path) } ?? 0
        let size = lseek(descriptor, 0, SEEK_END)
        if size > wholeLength {
            guard ftruncate(descriptor, wholeLength) == 0 else {
                throw AlertLogError(
                    path: path, operation: "cut torn last line", errno: errno, message: String(cString: strerror(errno)))
            }
        }
        return lastID
    }

    /// The last newline-terminated line and the file length up to and including its newline.
    private static func lastCompleteLine(descriptor: Int32, path: String) throws(AlertLogError) -> ([UInt8]?, off_t) {
        let size = lseek(descriptor, 0, SEEK_END)
        guard size > 0 else { return (nil, 0) }
        let chunkSize: off_t = 64 * 1024
        var tail: [UInt8] = []
        var position = size
        var lineEnd: off_t? = nil  // offset of the newline that ends the last whole line
        while position > 0 {
            let start = max(0, position - chunkSize)
            var chunk = [UInt8](repeating: 0, count: Int(position - start))
            let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, $0.count, start) }
            guard count == chunk.count else {
                throw AlertLogError(path: path, operation: "read last line", errno: errno, message: "short read")
            }
            tail = chunk + tail
            position = start
            let newlines = tail.indices.filter { tail[$0] == UInt8(ascii: "\n") }
            if lineEnd == nil, let last = newlines.last {
                lineEnd = position + off_t(last)
            }
            if let end = lineEnd {
                let endIndex = Int(end - position)
                if let previous = newlines.last(where: { $0 < endIndex }) {
                    return (Array(tail[(previous + 1)..<endIndex]), end + 1)
                }
                if position == 0 {
                    return (Array(tail[0..<endIndex]), end + 1)
                }
            }
        }
        return (nil, 0)  // no newline at all: the whole file is one torn line
    }

    private static func id(inLine line: [UInt8], path: String) throws(AlertLogError) -> Int64 {
        struct IDOnly: Decodable { var id: Int64 }
        do {
            return try JSONDecoder().decode(IDOnly.self, from: Data(line)).id
        } catch {
            throw AlertLogError(
                path: path, operation: "read last line",
                message: "the last line is not an alert with an id (\(error)); move the file aside (to a name like "
                    + "alerts.jsonl.bad) and feedwatch starts a new log with every stored alert")
        }
    }
}
