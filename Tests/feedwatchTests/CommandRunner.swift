import Foundation
import Synchronization
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
        // Drain stderr on another thread while reading stdout, so neither pipe can fill up and stall the child.
        let errorData = Mutex(Data())
        let errorDrained = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let data = errors.fileHandleForReading.readDataToEndOfFile()
            errorData.withLock { $0 = data }
            errorDrained.signal()
        }
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        errorDrained.wait()
        process.waitUntilExit()
        killer.cancel()
        let errData = errorData.withLock { $0 }
        return CommandResult(
            status: process.terminationStatus,
            standardOutput: String(decoding: outData, as: UTF8.self),
            standardError: String(decoding: errData, as: UTF8.self))
    }
}
