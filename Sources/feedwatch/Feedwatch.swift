import ArgumentParser

/// The `feedwatch` command: a thin shell over the modules.
@main
struct Feedwatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedwatch",
        abstract: "Watch news feeds for tracked topics and write alerts.",
        version: "0.1.0",
        subcommands: [Run.self, Check.self, Analyze.self, Parse.self, Alerts.self, Stories.self, Feeds.self, Prune.self]
    )
}
