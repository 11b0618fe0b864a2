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

        @Flag(help: "Print, as text, which rules and terms fired (or were vetoed) in which sentence, per topic.")
        var explain = false

        @Argument(help: "Text files (or JSON-lines files with --jsonl); stdin when none.")
        var files: [String] = []

        /// One output object: the input's id and what the analyzer found.
        struct Output: Encodable {
            var id: String
            var language: String
            var topics: [TopicMatch]
            var entities: [EntityMatch]
            var quantities: [Quantity]
            var fingerprint: Fingerprint

            init(id: String, analysis: Analysis) {
                self.id = id
                language = analysis.language
                topics = analysis.topics
                entities = analysis.entities
                quantities = analysis.quantities
                fingerprint = analysis.fingerprint
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
                    let article = Article(id: input.name, text: String(decoding: input.data, as: UTF8.self))
                    if explain {
                        print(ExplainReport.render(article: article, analyzer: analyzer))
                    } else {
                        printLine(try encoder.encode(Output(id: input.name, analysis: analyzer.analyze(article))))
                    }
                }
            }
        }

        private func analyzeLines(_ inputs: [(name: String, data: Data)], with analyzer: Analyzer) throws {
            let decoder = JSONDecoder()
            var failed = false
            var output: [UInt8] = []
            output.reserveCapacity(1 << 20)
            func flush() {
                FileHandle.standardOutput.write(Data(output))
                output.removeAll(keepingCapacity: true)
            }
            for input in inputs {
                // Split on newlines by hand: Data.split is slow on large inputs.
                var lines: [Range<Int>] = []
                input.data.withUnsafeBytes { buffer in
                    var start = 0
                    for index in 0..<buffer.count where buffer[index] == UInt8(ascii: "\n") {
                        lines.append(start..<index)
                        start = index + 1
                    }
                    if start < buffer.count { lines.append(start..<buffer.count) }
                }
                for (number, range) in lines.enumerated() {
                    let line = input.data[input.data.startIndex + range.lowerBound..<input.data.startIndex + range.upperBound]
                    if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { continue }
                    do {
                        let item = try InputLineParser.parse(line) ?? decoder.decode(Input.self, from: line)
                        let article = Article(id: item.id, title: item.title, text: item.text, language: item.language)
                        if explain {
                            flush()
                            print(ExplainReport.render(article: article, analyzer: analyzer))
                        } else {
                            output += AnalysisJSON.encode(analyzer.analyze(article), id: item.id)
                            output.append(UInt8(ascii: "\n"))
                            if output.count >= 1 << 20 { flush() }
                        }
                    } catch {
                        flush()
                        printError("\(input.name):\(number + 1): not an input line {\"id\", \"text\", ...}: \(error)")
                        failed = true
                    }
                }
            }
            flush()
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

/// The text `feedwatch analyze --explain` prints for one article.
enum ExplainReport {
    /// Per topic (fired ones first, in score order): score against threshold, modality, and every rule
    /// match and vetoed match with its terms, place and sentence. Then entities and quantities in brief.
    static func render(article: Article, analyzer: Analyzer) -> String {
        let explanation = analyzer.explain(article)
        let analysis = explanation.analysis
        let summaries = analyzer.topicSummaries
        var lines = ["== \(article.id) (language \(analysis.language))"]
        let fired = Dictionary(analysis.topics.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let tracesByTopic = Dictionary(grouping: explanation.traces, by: \.topic)
        var order = analysis.topics.map(\.id)
        order += summaries.map(\.id).filter { fired[$0] == nil && tracesByTopic[$0] != nil }
        if order.isEmpty { lines.append("no topic rule matched") }
        for id in order {
            guard let summary = summaries.first(where: { $0.id == id }) else { continue }
            if let match = fired[id] {
                lines.append(
                    "\(id): FIRED score \(format(match.score)) (threshold \(format(summary.threshold))), "
                        + "modality \(match.modality.rawValue), severity \(match.severity)")
                let children = summaries.filter { $0.parent == id && fired[$0.id] != nil }.map(\.id)
                if !children.isEmpty { lines.append("  via child topics: \(children.joined(separator: ", "))") }
            } else {
                lines.append("\(id): not fired (threshold \(format(summary.threshold)))")
            }
            for trace in tracesByTopic[id] ?? [] {
                let place = "\(trace.location) [\(trace.start)..<\(trace.end)]"
                let terms = trace.terms.map { "\"\($0)\"" }.joined(separator: " + ")
                if let veto = trace.vetoedBy {
                    lines.append(
                        "  - rule \(trace.rule) VETOED by \"\(veto)\" (\(trace.vetoScope ?? "clause")) in \(place): \(terms)")
                } else {
                    lines.append(
                        "  + rule \(trace.rule) (weight \(format(trace.weight))) in \(place): \(terms); "
                            + "modality \(trace.modality.rawValue)")
                }
                lines.append("      \(trace.sentence)")
            }
        }
        if !analysis.entities.isEmpty {
            let names = analysis.entities.map { "\($0.id)×\($0.mentions.count)" }
            lines.append("entities: " + names.joined(separator: ", "))
        }
        if !analysis.quantities.isEmpty {
            let amounts = analysis.quantities.map { "\(format($0.value)) \($0.unit) (\"\($0.text)\")" }
            lines.append("quantities: " + amounts.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

/// A fast reader for the common shape of an `analyze --jsonl` input line: one flat object whose members are
/// strings or null. Anything else (numbers, nesting, bad syntax) returns nil, and `JSONDecoder` reads the
/// line instead, with its usual error messages. Decoding dominated the command's time before this.
enum InputLineParser {
    static func parse(_ line: Data) -> Feedwatch.Analyze.Input? {
        line.withUnsafeBytes { raw -> Feedwatch.Analyze.Input? in
            let bytes = raw.bindMemory(to: UInt8.self)
            var index = 0
            func skipSpace() {
                while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0D {
                    index += 1
                }
            }
            func expect(_ byte: UInt8) -> Bool {
                skipSpace()
                guard index < bytes.count, bytes[index] == byte else { return false }
                index += 1
                return true
            }
            func hex(_ byte: UInt8) -> UInt32? {
                switch byte {
                case 0x30...0x39: UInt32(byte - 0x30)
                case 0x41...0x46: UInt32(byte - 0x41 + 10)
                case 0x61...0x66: UInt32(byte - 0x61 + 10)
                default: nil
                }
            }
            func unit() -> UInt32? {
                guard index + 4 <= bytes.count else { return nil }
                var value: UInt32 = 0
                for offset in 0..<4 {
                    guard let digit = hex(bytes[index + offset]) else { return nil }
                    value = value << 4 | digit
                }
                index += 4
                return value
            }
            /// A string starting at `index` (just past the opening quote).
            func string() -> String? {
                let start = index
                while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
                    index += 1
                }
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: "\"") {
                    defer { index += 1 }
                    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                }
                var unescaped = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
                unescaped.reserveCapacity(bytes.count - start)
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\"") {
                        index += 1
                        return String(decoding: unescaped, as: UTF8.self)
                    }
                    guard byte == UInt8(ascii: "\\") else {
                        unescaped.append(byte)
                        index += 1
                        continue
                    }
                    guard index + 1 < bytes.count else { return nil }
                    let escaped = bytes[index + 1]
                    index += 2
                    switch escaped {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): unescaped.append(escaped)
                    case UInt8(ascii: "n"): unescaped.append(0x0A)
                    case UInt8(ascii: "t"): unescaped.append(0x09)
                    case UInt8(ascii: "r"): unescaped.append(0x0D)
                    case UInt8(ascii: "b"): unescaped.append(0x08)
                    case UInt8(ascii: "f"): unescaped.append(0x0C)
                    case UInt8(ascii: "u"):
                        guard var value = unit() else { return nil }
                        if (0xD800..<0xDC00).contains(value) {
                            guard index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"),
                                bytes[index + 1] == UInt8(ascii: "u")
                            else { return nil }
                            index += 2
                            guard let low = unit(), (0xDC00..<0xE000).contains(low) else { return nil }
                            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let scalar = Unicode.Scalar(value) else { return nil }
                        UTF8.encode(scalar) { unescaped.append($0) }
                    default: return nil
                    }
                }
                return nil
            }
            guard expect(UInt8(ascii: "{")) else { return nil }
            var members: [String: String?] = [:]
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                return nil
            }
            while true {
                guard expect(UInt8(ascii: "\"")), let key = string(), expect(UInt8(ascii: ":")) else { return nil }
                skipSpace()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: "\"") {
                    index += 1
                    guard let value = string() else { return nil }
                    members[key] = .some(value)
                } else if bytes.count - index >= 4, bytes[index] == UInt8(ascii: "n"), bytes[index + 1] == UInt8(ascii: "u"),
                    bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l")
                {
                    index += 4
                    members[key] = .some(nil)
                } else {
                    return nil
                }
                skipSpace()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard bytes[index] == UInt8(ascii: "}") else { return nil }
                index += 1
                break
            }
            skipSpace()
            guard index == bytes.count, let id = members["id"] ?? nil, let text = members["text"] ?? nil else {
                return nil
            }
            return Feedwatch.Analyze.Input(
                id: id,
                title: members["title"] ?? nil,
                text: text,
                language: members["language"] ?? nil
            )
        }
    }
}
