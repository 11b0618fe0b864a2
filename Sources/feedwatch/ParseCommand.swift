import ArgumentParser
import FeedFetch
import FeedParse
import Foundation
import Glibc

extension Feedwatch {
    /// `feedwatch parse`: show how feedwatch reads feeds.
    struct Parse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch or read feeds and print what feedwatch parses from them.",
            discussion: """
                Each SOURCE is a feed file or an http(s) URL; sources are read one after the other, in order.

                Default output: one JSON object per source, pretty-printed, one after the other (a stream of \
                JSON documents, as jq reads them; with --compact, one object per line, i.e. JSON Lines). Fields: \
                source, format (rss, atom, rdf, json), version, encoding, title, link, ttl, items (id, idSource, \
                title, link, published, updated, summary, authors, categories, enclosures) and problems (what \
                was wrong in the feed and recovered from: XML errors, encoding guesses, unparseable or \
                future dates, truncations). An item's summary is its content when it has one, else its summary.

                With --summary: one tab-separated line per source, in the order given: format, encoding, item \
                count, problem count, source. A source that cannot be read is a line with format "error" and its \
                reason on stderr. Files are parsed on --jobs threads (default: one per CPU); URLs one at a time.

                Exit status 1 when any source could not be read or is not a feed (the others are still printed).
                """
        )

        @Argument(help: "Feed files or http(s) URLs.")
        var sources: [String]

        @Flag(help: "Print one line per source: format, encoding, items, problems, source.")
        var summary = false

        @Flag(help: "Print each JSON object on one line (JSON Lines).")
        var compact = false

        @Option(help: "With --summary, how many files to parse at once (default: the number of CPUs).")
        var jobs: Int = Self.defaultJobs

        /// The default of `--jobs`: one per CPU.
        static var defaultJobs: Int { ProcessInfo.processInfo.activeProcessorCount }

        @Flag(help: "Allow a URL on a loopback or private address.")
        var allowPrivateAddresses = false

        /// The JSON printed for one source: the feed and its items.
        struct Output: Encodable {
            struct Item: Encodable {
                var id: String
                var idSource: String
                var title: String?
                var link: String?
                var published: Date?
                var updated: Date?
                var summary: String
                var authors: [String]
                var categories: [String]
                var enclosures: [FeedEnclosure]
            }
            var source: String
            var format: String
            var version: String?
            var encoding: String
            var title: String?
            var link: String?
            var ttl: Int?
            var items: [Item]
            var problems: [String]

            init(source: String, feed: ParsedFeed) {
                self.source = source
                format = feed.format.rawValue
                version = feed.version
                encoding = feed.encoding
                title = feed.title
                link = feed.link
                ttl = feed.ttl
                items = feed.items.map {
                    Item(
                        id: $0.key, idSource: $0.keySource.rawValue, title: $0.title, link: $0.link,
                        published: $0.published, updated: $0.updated, summary: $0.text, authors: $0.authors,
                        categories: $0.categories, enclosures: $0.enclosures)
                }
                problems = feed.problems.map(\.description)
            }
        }

        /// A source that could not be turned into a feed; the message is printed on stderr.
        struct SourceFailure: Error {
            var message: String
        }

        func validate() throws {
            guard !sources.isEmpty else { throw ValidationError("Give at least one feed file or URL.") }
            guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1.") }
        }

        func run() async throws {
            let allFiles = sources.allSatisfy { Self.fileExists($0) }
            if summary, allFiles, sources.count > 1 {
                try await summarizeFiles()
                return
            }
            let needsNetwork = sources.contains { !Self.fileExists($0) && Self.isWebURL($0) }
            let fetcher = needsNetwork ? FeedFetcher() : nil
            defer { fetcher?.shutdown() }
            let encoder = makeJSONEncoder(pretty: !compact)

            var failures = 0
            var lines = ""
            for source in sources {
                do {
                    let (bytes, contentType, baseURL) = try await read(source, fetcher: fetcher)
                    let feed: ParsedFeed
                    do {
                        feed = try FeedParser.parse(bytes, contentType: contentType, baseURL: baseURL)
                    } catch {
                        throw SourceFailure(message: "\(source): \(error)")
                    }
                    if summary {
                        lines += "\(feed.format.rawValue)\t\(feed.encoding)\t\(feed.items.count)\t"
                        lines += "\(feed.problems.count)\t\(source)\n"
                        if lines.utf8.count > 1 << 16 { flush(&lines) }
                    } else {
                        printLine(try encoder.encode(Output(source: source, feed: feed)))
                    }
                } catch let failure as SourceFailure {
                    failures += 1
                    if summary {
                        lines += "error\t-\t0\t0\t\(source)\n"
                        flush(&lines)
                    }
                    printError("feedwatch parse: \(failure.message)")
                }
            }
            flush(&lines)
            if failures > 0 { throw ExitCode(1) }
        }

        /// One `--summary` line for a file, and whether it failed (its reason already printed on stderr).
        private static func summaryLine(forFile path: String) -> (line: String, failed: Bool) {
            guard let bytes = Self.readFile(path) else {
                printError("feedwatch parse: cannot read \(path)")
                return ("error\t-\t0\t0\t\(path)\n", true)
            }
            do {
                let feed = try FeedParser.parse(bytes)
                return ("\(feed.format.rawValue)\t\(feed.encoding)\t\(feed.items.count)\t\(feed.problems.count)\t\(path)\n", false)
            } catch {
                printError("feedwatch parse: \(path): \(error)")
                return ("error\t-\t0\t0\t\(path)\n", true)
            }
        }

        /// `--summary` over local files on `jobs` workers (on this task when `jobs` is 1); lines come out in the
        /// order of the arguments.
        private func summarizeFiles() async throws {
            let files = sources
            let workers = min(jobs, files.count)
            guard workers > 1 else {
                // One file at a time, each line written as it is made.
                try write(files.lazy.map(Self.summaryLine(forFile:)))
                return
            }
            // Each worker takes every `workers`-th file, so big and small files spread evenly.
            let results = await withTaskGroup(of: [(index: Int, line: String, failed: Bool)].self) { group in
                for worker in 0..<workers {
                    group.addTask {
                        stride(from: worker, to: files.count, by: workers).map { index in
                            let result = Self.summaryLine(forFile: files[index])
                            return (index, result.line, result.failed)
                        }
                    }
                }
                var all: [(index: Int, line: String, failed: Bool)] = []
                for await part in group { all += part }
                return all.sorted { $0.index < $1.index }
            }
            try write(results.lazy.map { ($0.line, $0.failed) })
        }

        /// Prints summary lines in order, 64 KB at a time; exits with status 1 after them if any file failed.
        private func write(_ results: some Sequence<(line: String, failed: Bool)>) throws {
            var lines = ""
            var failed = false
            for result in results {
                lines += result.line
                failed = failed || result.failed
                if lines.utf8.count > 1 << 16 { flush(&lines) }
            }
            flush(&lines)
            if failed { throw ExitCode(1) }
        }

        /// The bytes of a file or of a fetched URL, with the Content-Type and the base URL for relative links.
        private func read(_ source: String, fetcher: FeedFetcher?) async throws -> (
            bytes: [UInt8], contentType: String?, baseURL: String?
        ) {
            if Self.fileExists(source) {
                guard let bytes = Self.readFile(source) else {
                    throw SourceFailure(message: "cannot read \(source)")
                }
                return (bytes, nil, nil)
            }
            guard Self.isWebURL(source), let fetcher else {
                throw SourceFailure(message: "\(source): no such file, and not an http(s) URL")
            }
            do {
                let response = try await fetcher.fetch(
                    FetchRequest(url: source, allowPrivateAddresses: allowPrivateAddresses))
                guard (200..<300).contains(response.status) else {
                    throw SourceFailure(message: "\(source): HTTP \(response.status)")
                }
                return (response.body, response.contentType, response.effectiveURL)
            } catch let error as FetchError {
                throw SourceFailure(message: "\(error)")
            }
        }

        /// The bytes of a file, read straight into an array (no `Data` in between, and no zero-filling of the
        /// array before the file is read into it); nil when it cannot be read.
        static func readFile(_ path: String) -> [UInt8]? {
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { return nil }
            defer { close(descriptor) }
            var status = stat()
            let size = fstat(descriptor, &status) == 0 ? max(Int(status.st_size), 0) : 0
            // One spare byte: a read that fills it shows the file grew, a read of 0 shows the end.
            var failed = false
            var grew = false
            var bytes = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, initialized in
                initialized = 0
                guard let base = buffer.baseAddress else { return }
                while initialized < size + 1 {
                    let result = Glibc.read(descriptor, base + initialized, size + 1 - initialized)
                    if result == 0 { return }
                    if result < 0 {
                        if errno == EINTR { continue }
                        failed = true
                        return
                    }
                    initialized += result
                }
                grew = true
            }
            if failed { return nil }
            guard grew else { return bytes }
            // The file grew since `fstat`: read the rest into zero-filled growth, as before.
            var filled = bytes.count
            while true {
                if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(filled, 1 << 16))) }
                let result = bytes.withUnsafeMutableBytes { buffer in
                    Glibc.read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
                }
                if result == 0 { break }
                if result < 0 {
                    if errno == EINTR { continue }
                    return nil
                }
                filled += result
            }
            bytes.removeLast(bytes.count - filled)
            return bytes
        }

        /// Whether `path` names an existing file or folder (following symbolic links), like
        /// `FileManager.fileExists(atPath:)`, with one `stat` call and nothing else.
        static func fileExists(_ path: String) -> Bool {
            var status = stat()
            return stat(path, &status) == 0
        }

        private static func isWebURL(_ text: String) -> Bool {
            guard let scheme = URL(string: text)?.scheme?.lowercased() else { return false }
            return scheme == "http" || scheme == "https"
        }

        private func flush(_ lines: inout String) {
            guard !lines.isEmpty else { return }
            FileHandle.standardOutput.write(Data(lines.utf8))
            lines = ""
        }
    }
}

extension Feedwatch.Parse {
    /// The command of a `feedwatch parse` command line in its plain spelling, read without swift-argument-parser
    /// (see `Feedwatch.main()`): `arguments` (without the program name) are `parse` followed, in any order, by
    /// at least one SOURCE operand and by these options, each at most once: `--summary`, `--compact`,
    /// `--allow-private-addresses`, `--jobs N` or `--jobs=N` (N in decimal digits), and `--`, after which every
    /// argument is an operand. An operand is what the library takes for a value: an argument that does not start
    /// with "-", or is just "-" (compared by `Character`, as the library does). Nil for anything else (help, an
    /// unknown or repeated option, a value spelt otherwise, no operand): the library then parses the command line.
    static func reading(plainArguments arguments: [String]) -> Self? {
        guard arguments.first == "parse" else { return nil }
        var sources: [String] = []
        var summary = false
        var compact = false
        var allowPrivateAddresses = false
        var jobs: Int?
        var afterTerminator = false
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if afterTerminator || Self.isValue(argument) {
                sources.append(argument)
                continue
            }
            switch argument {
            case "--":
                afterTerminator = true
            case "--summary":
                guard !summary else { return nil }
                summary = true
            case "--compact":
                guard !compact else { return nil }
                compact = true
            case "--allow-private-addresses":
                guard !allowPrivateAddresses else { return nil }
                allowPrivateAddresses = true
            case "--jobs":
                guard jobs == nil, index < arguments.count, let value = Self.decimal(arguments[index]) else {
                    return nil
                }
                jobs = value
                index += 1
            default:
                guard jobs == nil, argument.hasPrefix("--jobs="), let value = Self.decimal(argument.dropFirst(7)) else {
                    return nil
                }
                jobs = value
            }
        }
        guard !sources.isEmpty else { return nil }
        // Every property is set: one left to its wrapper's definition would stop the program when read.
        var command = Self()
        command.sources = sources
        command.summary = summary
        command.compact = compact
        command.allowPrivateAddresses = allowPrivateAddresses
        command.jobs = jobs ?? defaultJobs
        return command
    }

    /// Whether swift-argument-parser reads `argument` as a value rather than an option or "--": it does not start
    /// with "-", or it is just "-".
    private static func isValue(_ argument: String) -> Bool {
        argument.first != "-" || argument == "-"
    }

    /// The number written in `text` with decimal digits only; nil for anything else (a sign, a space, nothing)
    /// or a number too big for `Int`.
    private static func decimal<Text: StringProtocol>(_ text: Text) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(text)
    }
}
