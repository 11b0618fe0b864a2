import ArgumentParser
import FeedFetch
import FeedParse
import Foundation

extension Feedwatch {
    /// `feedwatch parse`: show how feedwatch reads a feed.
    struct Parse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch or read a feed and print what feedwatch parses from it, as JSON.")

        @Argument(help: "A feed file or an http(s) URL.")
        var source: String

        @Flag(help: "Allow a URL on a loopback or private address.")
        var allowPrivateAddresses = false

        /// The JSON printed: the feed and its items.
        struct Output: Encodable {
            struct Item: Encodable {
                var id: String
                var idSource: String
                var title: String?
                var link: String?
                var published: Date?
                var summary: String
            }
            var source: String
            var format: String
            var title: String?
            var link: String?
            var items: [Item]
            var problems: [String]
        }

        func run() async throws {
            let bytes: [UInt8]
            var contentType: String?
            var baseURL: String? = nil
            if FileManager.default.fileExists(atPath: source) {
                guard let data = FileManager.default.contents(atPath: source) else {
                    printError("feedwatch parse: cannot read \(source)")
                    throw ExitCode(1)
                }
                bytes = [UInt8](data)
            } else if let scheme = URL(string: source)?.scheme?.lowercased(), scheme == "http" || scheme == "https" {
                let fetcher = FeedFetcher()
                defer { fetcher.shutdown() }
                do {
                    let response = try await fetcher.fetch(
                        FetchRequest(url: source, allowPrivateAddresses: allowPrivateAddresses))
                    guard (200..<300).contains(response.status) else {
                        printError("feedwatch parse: \(source): HTTP \(response.status)")
                        throw ExitCode(1)
                    }
                    bytes = response.body
                    contentType = response.contentType
                    baseURL = response.effectiveURL
                } catch let error as FetchError {
                    printError("feedwatch parse: \(error)")
                    throw ExitCode(1)
                }
            } else {
                printError("feedwatch parse: \(source): no such file, and not an http(s) URL")
                throw ExitCode(1)
            }
            do {
                let feed = try FeedParser.parse(bytes, contentType: contentType, baseURL: baseURL)
                let output = Output(
                    source: source,
                    format: feed.format.rawValue,
                    title: feed.title,
                    link: feed.link,
                    items: feed.items.map {
                        .init(
                            id: $0.key, idSource: $0.keySource.rawValue, title: $0.title, link: $0.link,
                            published: $0.published, summary: $0.text)
                    },
                    problems: feed.problems.map(\.description)
                )
                printLine(try makeJSONEncoder(pretty: true).encode(output))
            } catch let error as FeedParseError {
                printError("feedwatch parse: \(source): \(error)")
                throw ExitCode(1)
            }
        }
    }
}
