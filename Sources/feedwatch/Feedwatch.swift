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

    /// Runs the command line, as swift-argument-parser's own `main()` does, except that `feedwatch parse` with
    /// several SOURCE operands is parsed with only its first one: swift-argument-parser (1.8) copies an array
    /// argument's values and their origins for every value it adds, time quadratic in the number of operands
    /// (~35 ms of `parse --summary` over 1,000 files). The other operands are put back after parsing. When the
    /// shortened command line does not parse to that one operand (an error, `--help`, an option this shortcut does
    /// not know), the whole command line is parsed the ordinary way, so messages and behaviour stay the library's.
    static func main() async {
        guard let shortened = Parse.ShortenedArguments(Array(CommandLine.arguments.dropFirst())),
            var parse = try? await asyncParseAsRoot(shortened.arguments) as? Parse,
            parse.sources == [shortened.operands[0]]
        else {
            await main(nil)
            return
        }
        parse.sources = shortened.operands
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
