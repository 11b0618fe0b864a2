import Foundation
import Store
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A datagram socket standing in for systemd's `$NOTIFY_SOCKET`.
final class NotifyListener {
    let path: String
    private let descriptor: Int32

    init(in folder: URL) throws {
        path = folder.appendingPathComponent("notify.sock").path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    /// The next datagram within `seconds`, or nil.
    func receive(within seconds: Double) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 { return String(decoding: buffer[0..<count], as: UTF8.self) }
        }
        return nil
    }

    /// Datagrams until one contains `field`; nil when none does within `seconds`.
    func waitFor(_ field: String, within seconds: Double, seen: inout [String]) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            guard let message = receive(within: deadline.timeIntervalSinceNow) else { continue }
            seen.append(message)
            if message.split(separator: "\n").contains(where: { $0 == field }) { return message }
        }
        return nil
    }
}

/// The real binary under systemd's notify protocol: READY, watchdog pings, reload, stop.
@Suite struct SystemdNotifyTests {
    @Test(.timeLimit(.minutes(2)))
    func notifiesReadyWatchdogReloadAndStopping() async throws {
        let folder = try TestPaths.makeTemporaryFolder("notify")
        // Each feed its own event: the same article in two feeds would be one story and alert once.
        @Sendable func feed(_ path: String) -> String {
            let article =
                path.hasPrefix("/a")
                ? "<title>US troops will withdraw from Iraq by the end of next year</title><guid>a</guid>"
                    + "<description>The Pentagon said all combat troops will pull out of Iraq within a year.</description>"
                : "<title>French troops to pull out of Mali by the summer</title><guid>a</guid>"
                    + "<description>Paris will withdraw its remaining soldiers from the Sahel mission, officials said.</description>"
            return #"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>"# + article
                + "</item></channel></rss>"
        }
        let server = try TestServer { request in
            .respond(status: 200, headers: [("Content-Type", "application/rss+xml")], body: Array(feed(request.path).utf8))
        }
        defer { server.stop() }
        func config(feeds: [String]) -> String {
            """
            \(TestPaths.configHead)
            poll: {interval: 1h, timeout: 10s}
            allow_private_addresses: true
            feeds:
            \(feeds.map { "  - url: \($0)" }.joined(separator: "\n"))
            """
        }
        let configURL = folder.appendingPathComponent("feedwatch.yaml")
        try Data(config(feeds: [server.url("/a.xml")]).utf8).write(to: configURL)

        let listener = try NotifyListener(in: folder)
        let process = Process()
        process.executableURL = TestPaths.executable
        process.arguments = ["run", "--config", configURL.path]
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = listener.path
        environment["WATCHDOG_USEC"] = "1000000"
        environment.removeValue(forKey: "WATCHDOG_PID")
        process.environment = environment
        let errorLog = folder.appendingPathComponent("stderr.log")
        try Data().write(to: errorLog)
        process.standardError = try FileHandle(forWritingTo: errorLog)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }

        var seen: [String] = []
        let ready = listener.waitFor("READY=1", within: 30, seen: &seen)
        #expect(ready?.contains("STATUS=") == true, "READY=1 with a status, seen: \(seen)")
        // A reload right at READY (systemctl start && systemctl reload) must not kill the daemon.
        kill(process.processIdentifier, SIGHUP)
        #expect(listener.waitFor("RELOADING=1", within: 10, seen: &seen) != nil, "seen: \(seen)")
        #expect(listener.waitFor("READY=1", within: 10, seen: &seen) != nil, "seen: \(seen)")
        #expect(listener.waitFor("WATCHDOG=1", within: 3, seen: &seen) != nil, "watchdog pings, seen: \(seen)")
        #expect(listener.waitFor("WATCHDOG=1", within: 3, seen: &seen) != nil)

        // logrotate: move the log away, SIGUSR1, and the daemon writes a new file at the old name.
        let logURL = folder.appendingPathComponent("state/alerts.jsonl")
        var deadline = Date().addingTimeInterval(20)
        while (try? String(contentsOf: logURL, encoding: .utf8))?.isEmpty != false && Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        let rotated = folder.appendingPathComponent("state/alerts.jsonl.1")
        try FileManager.default.moveItem(at: logURL, to: rotated)
        kill(process.processIdentifier, SIGUSR1)
        deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: logURL.path) && Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(FileManager.default.fileExists(atPath: logURL.path), "SIGUSR1 reopens the log by name")

        // A valid new config: RELOADING=1 with MONOTONIC_USEC, then READY=1.
        try Data(config(feeds: [server.url("/a.xml"), server.url("/b.xml")]).utf8).write(to: configURL)
        kill(process.processIdentifier, SIGHUP)
        let reloading = listener.waitFor("RELOADING=1", within: 10, seen: &seen)
        #expect(reloading?.contains("MONOTONIC_USEC=") == true, "seen: \(seen)")
        let reloaded = listener.waitFor("READY=1", within: 10, seen: &seen)
        #expect(reloaded?.contains("2 feed(s)") == true, "the added feed is watched, seen: \(seen)")

        // A broken config: the running one stays, the error is logged with file:line.
        try Data("feeds:\n  - url: [broken\n".utf8).write(to: configURL)
        kill(process.processIdentifier, SIGHUP)
        #expect(listener.waitFor("RELOADING=1", within: 10, seen: &seen) != nil)
        let failed = listener.waitFor("READY=1", within: 10, seen: &seen)
        #expect(failed?.contains("STATUS=reload failed: \(configURL.path):") == true, "seen: \(seen)")
        #expect(process.isRunning)
        #expect(listener.waitFor("WATCHDOG=1", within: 3, seen: &seen) != nil, "still alive after a bad reload")

        // SIGTERM: STOPPING=1, exit 0, everything committed.
        kill(process.processIdentifier, SIGTERM)
        #expect(listener.waitFor("STOPPING=1", within: 10, seen: &seen) != nil, "seen: \(seen)")
        deadline = Date().addingTimeInterval(20)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning)
        #expect(process.terminationStatus == 0)

        let stderr = try String(contentsOf: errorLog, encoding: .utf8)
        #expect(stderr.contains("reload failed, keeping the running config: \(configURL.path):"), "\(stderr)")
        let store = try FeedStore(path: folder.appendingPathComponent("state/feedwatch.sqlite").path)
        let counts = try await store.counts()
        // Every alert is in exactly one of the two files, in order, the newer ones in the new file.
        func ids(_ url: URL) throws -> [Int] {
            try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { line in
                (try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? Int ?? -1
            }
        }
        let rotatedIDs = try ids(rotated)
        let newIDs = try ids(logURL)
        #expect(rotatedIDs + newIDs == Array(1...counts.alerts), "rotated \(rotatedIDs), new \(newIDs)")
        #expect(!newIDs.isEmpty, "the added feed's alert went to the new file")
        #expect(counts.items == 2, "each feed's single item is stored once, the added feed's too")
        #expect(counts.feeds == 2)
    }
}
