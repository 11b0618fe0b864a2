import Foundation
import TestSupport

/// Runs the built `feedwatch` binary and captures what it prints.
struct CommandResult {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

enum Feedwatch {
    /// Runs `feedwatch <arguments>` with a time limit (the process is killed past it).
    static func run(_ arguments: [String], input: String? = nil, timeout: Double = 60) throws -> CommandResult {
        try run(executable: TestPaths.executable, arguments, input: input, timeout: timeout)
    }

    /// Runs a `/bin/sh -c` script (for `ulimit` and the like) with a time limit.
    static func runShell(_ script: String, timeout: Double = 60) throws -> CommandResult {
        try run(executable: URL(fileURLWithPath: "/bin/sh"), ["-c", script], timeout: timeout)
    }

    private static func run(
        executable: URL, _ arguments: [String], input: String? = nil, timeout: Double
    ) throws -> CommandResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let inputPipe = Pipe()
        process.standardInput = inputPipe
        try process.run()
        if let input { inputPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inputPipe.fileHandleForWriting.close()
        let deadline = DispatchTime.now() + timeout
        let killer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: deadline, execute: killer)
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killer.cancel()
        return CommandResult(
            status: process.terminationStatus,
            standardOutput: String(decoding: outData, as: UTF8.self),
            standardError: String(decoding: errData, as: UTF8.self))
    }
}
