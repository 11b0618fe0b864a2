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

    /// Runs the command line, as swift-argument-parser's own `main()` does, except that a `feedwatch parse`
    /// command line in the plain spelling scripts use (long flags, `--jobs N`, sources; see
    /// `Parse.reading(plainArguments:)`) is read directly. Parsing with the library costs 2–3 ms of CPU per
    /// process (its reflection over the command types searches the binary's protocol conformances), more than
    /// parsing a small feed, and time quadratic in the number of SOURCE operands (it copies an array argument's
    /// values for every value it adds: ~35 ms for 1,000 files). Any other command line, and one whose values
    /// `validate()` rejects, is parsed by the library, so messages and behaviour stay its own.
    static func main() async {
        guard let parse = Parse.reading(plainArguments: Array(CommandLine.arguments.dropFirst())) else {
            await main(nil)
            return
        }
        do {
            try parse.validate()
        } catch {
            await main(nil)  // which reports the error as usual
            return
        }
        do {
            try await parse.run()
        } catch {
            exit(withError: error)
        }
    }
}
