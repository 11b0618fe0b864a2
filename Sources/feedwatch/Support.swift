import ArgumentParser
import Foundation
import Logging
import Monitor
import Store

/// Options shared by the commands that read the config.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "The config file (feedwatch.yaml).")
    var config: String
}

/// Prints to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Loads the config or exits 1 after printing each `file:line: message`.
func loadConfiguration(_ path: String) throws -> LoadedConfiguration {
    do {
        return try ConfigurationLoader.load(path: path)
    } catch {
        printError(error.description)
        throw ExitCode(1)
    }
}

/// Opens the database of a config for a read command, or exits 1 when there is none yet.
func openExistingStore(_ path: String, command: String) throws -> FeedStore {
    guard FileManager.default.fileExists(atPath: path) else {
        printError("feedwatch \(command): no database at \(path); has `feedwatch run` used this config yet?")
        throw ExitCode(1)
    }
    do {
        return try FeedStore(path: path)
    } catch {
        printError("feedwatch \(command): \(error)")
        throw ExitCode(1)
    }
}

/// The shipped `Config/` folder: next to the installed config, or found walking up from the executable.
func shippedConfigFolder() -> String? {
    let fileManager = FileManager.default
    var candidates: [URL] = []
    if let override = ProcessInfo.processInfo.environment["FEEDWATCH_CONFIG_DIR"] {
        candidates.append(URL(fileURLWithPath: override))
    }
    var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<5 {
        candidates.append(folder.appendingPathComponent("Config"))
        folder = folder.deletingLastPathComponent()
    }
    candidates.append(URL(fileURLWithPath: "/etc/feedwatch"))
    candidates.append(URL(fileURLWithPath: fileManager.currentDirectoryPath).appendingPathComponent("Config"))
    return candidates.first { fileManager.fileExists(atPath: $0.appendingPathComponent("topics.yaml").path) }?.path
}

/// Sets up swift-log once per process: lines on stderr at the given level, with syslog priorities
/// under journald.
func bootstrapLogging(level: Logger.Level) {
    LoggingSystem.bootstrap { label in
        DaemonLogHandler(label: label, level: level)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// JSON encoder settings shared by every command that prints JSON.
func makeJSONEncoder(pretty: Bool) -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    return encoder
}

/// Writes a line to standard output.
func printLine(_ data: Data) {
    FileHandle.standardOutput.write(data + Data("\n".utf8))
}
