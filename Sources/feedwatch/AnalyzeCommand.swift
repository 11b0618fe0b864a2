import Analysis
import ArgumentParser
import Foundation
import Monitor

extension Feedwatch {
    /// `feedwatch analyze`: run the analyzer on text files, stdin, or JSON lines.
    struct Analyze: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Analyse text files (or stdin) and print the topics, entities and quantities found, as JSON.")

        @Option(help: "The config file whose topics and entities to use; the shipped Config/ when omitted.")
        var config: String?

        @Flag(help: "Read JSON lines {\"id\", \"title\"?, \"text\", \"language\"?} and write one JSON line per input.")
        var jsonl = false

        @Argument(help: "Text files (or JSON-lines files with --jsonl); stdin when none.")
        var files: [String] = []

        /// One output object: the input's id and what the analyzer found.
        struct Output: Encodable {
            var id: String
            var language: String
            var topics: [TopicMatch]
            var entities: [EntityMatch]
            var quantities: [Quantity]

            init(id: String, analysis: Analysis) {
                self.id = id
                language = analysis.language
                topics = analysis.topics
                entities = analysis.entities
                quantities = analysis.quantities
            }
        }

        /// One input line of `--jsonl`.
        struct Input: Decodable {
            var id: String
            var title: String?
            var text: String
            var language: String?
        }

        func run() async throws {
            let analyzer = try makeAnalyzer()
            let inputs: [(name: String, data: Data)]
            if files.isEmpty {
                inputs = [("stdin", FileHandle.standardInput.readDataToEndOfFile())]
            } else {
                inputs = try files.map { file in
                    guard let data = FileManager.default.contents(atPath: file) else {
                        printError("feedwatch analyze: cannot read \(file)")
                        throw ExitCode(1)
                    }
                    return (file, data)
                }
            }
            if jsonl {
                try analyzeLines(inputs, with: analyzer)
            } else {
                let encoder = makeJSONEncoder(pretty: true)
                for input in inputs {
                    let text = String(decoding: input.data, as: UTF8.self)
                    let analysis = analyzer.analyze(Article(id: input.name, text: text))
                    printLine(try encoder.encode(Output(id: input.name, analysis: analysis)))
                }
            }
        }

        private func analyzeLines(_ inputs: [(name: String, data: Data)], with analyzer: Analyzer) throws {
            let encoder = makeJSONEncoder(pretty: false)
            let decoder = JSONDecoder()
            var failed = false
            for input in inputs {
                for (number, line) in input.data.split(separator: UInt8(ascii: "\n")).enumerated() {
                    if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { continue }
                    do {
                        let item = try decoder.decode(Input.self, from: Data(line))
                        let article = Article(id: item.id, title: item.title, text: item.text, language: item.language)
                        printLine(try encoder.encode(Output(id: item.id, analysis: analyzer.analyze(article))))
                    } catch {
                        printError("\(input.name):\(number + 1): not an input line {\"id\", \"text\", ...}: \(error)")
                        failed = true
                    }
                }
            }
            if failed { throw ExitCode(1) }
        }

        private func makeAnalyzer() throws -> Analyzer {
            if let config {
                return try loadConfiguration(config).analyzer
            }
            guard let folder = shippedConfigFolder() else {
                printError("feedwatch analyze: no Config/ folder found; pass --config FILE")
                throw ExitCode(1)
            }
            do {
                return try ConfigurationLoader.loadAnalyzer(
                    topicsPath: folder + "/topics.yaml", entitiesPath: folder + "/entities.yaml")
            } catch {
                printError(error.description)
                throw ExitCode(1)
            }
        }
    }
}
