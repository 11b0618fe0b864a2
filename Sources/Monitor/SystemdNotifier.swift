import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Speaks systemd's notify protocol: one `AF_UNIX` datagram of `KEY=VALUE` lines to `$NOTIFY_SOCKET`.
///
/// Without `$NOTIFY_SOCKET` (not started by systemd with `Type=notify`) every call does nothing.
/// No libsystemd: the protocol is a datagram; an `@` prefix names the abstract namespace.
struct SystemdNotifier: Sendable {
    /// The socket path, nil when not running under systemd's notify protocol.
    let socketPath: String?
    /// How often to send `WATCHDOG=1` (half of `$WATCHDOG_USEC`), nil when the watchdog is off.
    let watchdogInterval: Duration?

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`.
    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        socketPath = path
        if let text = environment["WATCHDOG_USEC"], let microseconds = UInt64(text), microseconds > 0,
            environment["WATCHDOG_PID"].map({ Int32($0) == getpid() }) ?? true
        {
            watchdogInterval = .microseconds(Int64(microseconds / 2))
        } else {
            watchdogInterval = nil
        }
    }

    /// Sends the fields as one datagram, e.g. `["READY=1", "STATUS=polling 3 feeds"]`.
    /// - Returns: false when there is no socket or the send failed (systemd gone): never fatal.
    @discardableResult
    func notify(_ fields: [String]) -> Bool {
        guard let socketPath, !fields.isEmpty else { return false }
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }

        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketPath.utf8)
        if pathBytes.first == UInt8(ascii: "@") { pathBytes[0] = 0 }  // abstract namespace
        // A path needs room for its NUL; an abstract name (leading NUL) does not.
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.first == 0 ? pathBytes.count <= capacity : pathBytes.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: pathBytes)
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count)
        // A field is one line: a newline inside a value (an error message in STATUS=) would start a new field.
        let payload = Array(fields.map { $0.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\n").utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                payload.withUnsafeBytes { bytes in
                    sendto(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), socketAddress, length)
                }
            }
        }
        return sent == payload.count
    }

    /// `CLOCK_MONOTONIC` in microseconds, for `MONOTONIC_USEC=` with `RELOADING=1`.
    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }
}
