import Analysis
import ArgumentParser
import Monitor

extension Feedwatch {
    /// `feedwatch check`: validate the config, topics and entities.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate the config, topics and entities files; print file:line: message for each error.")

        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let loaded = try loadConfiguration(options.config)
            let config = loaded.config
            print("\(config.file): OK")
            print("  \(config.feeds.count) feed(s), \(loaded.analyzer.topicIDs.count) topic(s): \(loaded.analyzer.topicIDs.joined(separator: ", "))")
            print("  topics   \(config.topicsPath)")
            print("  entities \(config.entitiesPath)")
            print("  database \(config.databasePath)")
            print("  log      \(config.alertLogPath)")
        }
    }
}
