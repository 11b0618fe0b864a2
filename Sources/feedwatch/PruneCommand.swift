import AlertLog
import ArgumentParser
import Foundation
import Monitor
import Store

extension Feedwatch {
    /// `feedwatch prune`: apply the retention now.
    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove alerts, items and analyses older than the retention; keep the keys of removed items.")

        @OptionGroup var options: ConfigOptions

        @Option(help: "Keep this much: a duration such as 90d (default: the config's retention, else 90d).")
        var olderThan: String?

        func validate() throws {
            if let olderThan {
                guard let keep = Durations.seconds(in: olderThan) else {
                    throw ValidationError("--older-than '\(olderThan)': write a duration such as 30d or 12w")
                }
                if keep < RetentionLimits.minimum {
                    throw ValidationError("--older-than '\(olderThan)': keep at least 7 days (stories stay open 72 hours, bursts look back a day)")
                }
            }
        }

        func run() async throws {
            let loaded = try loadConfiguration(options.config)
            let keep = olderThan.flatMap(Durations.seconds(in:)) ?? loaded.config.retention ?? 90 * 86400
            let store = try openExistingStore(loaded.config.databasePath, command: "prune")
            let cutoff = Date().addingTimeInterval(-keep)
            do {
                // Alerts the log does not hold yet (the daemon may be catching up) are kept.
                let logged = try AlertLogWriter.lastLoggedID(at: loaded.config.alertLogPath)
                let report = try await store.prune(before: cutoff, keepingAlertsAfter: logged)
                print(
                    "pruned \(report.alerts) alert(s), \(report.items) item(s) with their analyses, \(report.stories) "
                        + "stor\(report.stories == 1 ? "y" : "ies") from before \(cutoff.formatted(.iso8601))")
            } catch {
                printError("feedwatch prune: \(error)")
                throw ExitCode(1)
            }
        }
    }
}
