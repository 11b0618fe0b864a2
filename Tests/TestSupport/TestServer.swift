import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A request as the test server received it.
public struct ReceivedRequest: Sendable {
    /// `GET`, `HEAD`, ...
    public var method: String
    /// The request target, e.g. `/feed.xml`.
    public var path: String
    /// Header values by lowercased name.
    public var headers: [String: String]
    /// When the request head had been read.
    public var receivedAt: ContinuousClock.Instant = .now
}

/// How the test server answers one request.
public enum TestReply: Sendable {
    /// A complete response; `Content-Length` is added (except for 304) and the connection closed after it.
    case respond(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [])
    /// Read the request, then say nothing until the client hangs up.
    case stayQuiet
    /// A 200 with no `Content-Length` whose body never ends, until the client hangs up.
    case endlessBody
    /// A 200 with `Transfer-Encoding: chunked` whose chunks never end, until the client hangs up.
    case endlessChunkedBody
    /// A 200 whose `Content-Length` promises `declaredLength` bytes; `body` is sent and the connection closed
    /// (so a `declaredLength` above `body.count` leaves the client short).
    case wrongLength(declaredLength: Int, body: [UInt8])
    /// A chunked 200 that sends `body` in chunks, then closes without the terminating zero-length chunk.
    case truncatedChunkedBody([UInt8])
    /// A 200 that promises 1 MiB, then sends one byte each `interval` until the client hangs up.
    case drip(interval: Duration)
}

/// A failed socket call while starting the test server.
public struct TestServerError: Error, CustomStringConvertible {
    /// The socket call that failed.
    public var call: String
    /// Its errno.
    public var code: Int32
    /// What failed and why.
    public var description: String { "\(call) failed: \(String(cString: strerror(code)))" }
}

/// A tiny HTTP/1.1 server on 127.0.0.1 for tests: one thread accepts, one thread per connection answers
/// with `Connection: close`. Call `stop()` when the test ends.
public final class TestServer: Sendable {
    /// The port the kernel picked.
    public let port: UInt16
    private let listener: Int32
    private let isStopped = Atomic<Bool>(false)
    private let log = Mutex<[ReceivedRequest]>([])
    private let route: @Sendable (ReceivedRequest) -> TestReply

    /// Starts listening on an ephemeral loopback port and answers each request with `route`.
    public init(route: @escaping @Sendable (ReceivedRequest) -> TestReply) throws {
        self.route = route
        let (listener, port) = try Self.bindLoopback()
        guard listen(listener, 64) == 0 else {
            let code = errno
            close(listener)
            throw TestServerError(call: "listen", code: code)
        }
        self.listener = listener
        self.port = port
        let acceptor = Thread { [self] in acceptLoop() }
        acceptor.name = "test-server-accept"
        acceptor.start()
    }

    /// `http://127.0.0.1:<port><path>`.
    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Every request received so far, oldest first.
    public var requests: [ReceivedRequest] { log.withLock { $0 } }

    /// Stops accepting within ~50 ms and makes open connections wind down.
    public func stop() { isStopped.store(true, ordering: .relaxed) }

    /// A loopback port nobody listens on (bound, then released).
    public static func unusedPort() throws -> UInt16 {
        let (socket, port) = try bindLoopback()
        close(socket)
        return port
    }

    // MARK: - Sockets

    private static func bindLoopback() throws -> (socket: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestServerError(call: "socket", code: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        guard bound else {
            let code = errno
            close(fd)
            throw TestServerError(call: "bind", code: code)
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    private func acceptLoop() {
        defer { close(listener) }
        while !isStopped.load(ordering: .relaxed) {
            var pending = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&pending, 1, 50) > 0 else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            let handler = Thread { [self] in serve(connection) }
            handler.name = "test-server-connection"
            handler.start()
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        guard let request = readRequest(connection) else { return }
        log.withLock { $0.append(request) }
        switch route(request) {
        case .respond(let status, let headers, let body):
            var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
            for header in headers { head += "\(header.name): \(header.value)\r\n" }
            if status != 304 { head += "Content-Length: \(body.count)\r\n" }
            head += "Connection: close\r\n\r\n"
            _ = write(Array(head.utf8), to: connection) && write(status == 304 ? [] : body, to: connection)
            shutdown(connection, Int32(SHUT_WR))
            waitForHangUp(connection, limit: .seconds(2))
        case .stayQuiet:
            waitForHangUp(connection, limit: .seconds(60))
        case .endlessBody:
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nConnection: close\r\n\r\n"
            let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 16 * 1024)
            guard write(Array(head.utf8), to: connection) else { return }
            while !isStopped.load(ordering: .relaxed), write(chunk, to: connection) {}
        case .endlessChunkedBody:
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nTransfer-Encoding: chunked\r\n\r\n"
            let chunk = Self.chunk([UInt8](repeating: UInt8(ascii: "x"), count: 16 * 1024))
            guard write(Array(head.utf8), to: connection) else { return }
            while !isStopped.load(ordering: .relaxed), write(chunk, to: connection) {}
        case .wrongLength(let declaredLength, let body):
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: \(declaredLength)\r\n"
                + "Connection: close\r\n\r\n"
            _ = write(Array(head.utf8) + body, to: connection)
            shutdown(connection, Int32(SHUT_WR))
            waitForHangUp(connection, limit: .seconds(2))
        case .truncatedChunkedBody(let body):
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nTransfer-Encoding: chunked\r\n\r\n"
            guard write(Array(head.utf8), to: connection) else { return }
            for start in stride(from: 0, to: body.count, by: 1024) {
                guard write(Self.chunk(Array(body[start..<min(start + 1024, body.count)])), to: connection) else { return }
            }
            shutdown(connection, Int32(SHUT_WR))
            waitForHangUp(connection, limit: .seconds(2))
        case .drip(let interval):
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 1048576\r\n\r\n"
            guard write(Array(head.utf8), to: connection) else { return }
            let deadline = ContinuousClock.now + .seconds(60)
            while !isStopped.load(ordering: .relaxed), ContinuousClock.now < deadline, write([UInt8(ascii: "<")], to: connection) {
                Thread.sleep(forTimeInterval: interval / .seconds(1))
            }
        }
    }

    /// One chunk of a chunked body: hex size, CRLF, data, CRLF.
    private static func chunk(_ data: [UInt8]) -> [UInt8] {
        Array("\(String(data.count, radix: 16))\r\n".utf8) + data + Array("\r\n".utf8)
    }

    /// Reads up to the end of the request head (requests carry no body here); nil if the client went away.
    private func readRequest(_ connection: Int32) -> ReceivedRequest? {
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !Self.endsHead(data), data.count < 65536 {
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            data += buffer[0..<count]
        }
        let lines = String(decoding: data, as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return ReceivedRequest(
            method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, receivedAt: .now)
    }

    /// Whether `data` holds the blank line that ends a request head.
    private static func endsHead(_ data: [UInt8]) -> Bool {
        guard data.count >= 4 else { return false }
        return (0...(data.count - 4)).contains { data[$0..<($0 + 4)].elementsEqual([13, 10, 13, 10]) }
    }

    /// Sends all of `bytes`; false once the peer is gone.
    private func write(_ bytes: [UInt8], to connection: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// Waits until the client closes its side, the server stops, or `limit` passes.
    private func waitForHangUp(_ connection: Int32, limit: Duration) {
        let deadline = ContinuousClock.now + limit
        var buffer = [UInt8](repeating: 0, count: 1024)
        while !isStopped.load(ordering: .relaxed), ContinuousClock.now < deadline {
            var pending = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
            guard poll(&pending, 1, 50) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return }
        }
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 404: "Not Found"
        case 410: "Gone"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}
