import Foundation

/// Gzip data for tests, made by the system's gzip so the fetcher meets real deflate streams.
enum Gzip {
    /// A failed gzip run.
    struct Failure: Error, CustomStringConvertible {
        var command: String
        var status: Int32
        var description: String { "`\(command)` exited with status \(status)" }
    }

    /// `bytes`, gzip-compressed.
    static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("feedfetch-gzip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("input")
        try Data(bytes).write(to: input)
        return try run("/bin/gzip -c -n '\(input.path)'")
    }

    /// `count` zero bytes, gzip-compressed: a tiny download that inflates to a large body.
    static func zeros(count: Int) throws -> [UInt8] {
        try run("head -c \(count) /dev/zero | /bin/gzip -c -n")
    }

    private static func run(_ command: String) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(command: command, status: process.terminationStatus) }
        return [UInt8](data)
    }
}
