// fetchbench URLS_FILE [CONCURRENCY] [CONNECTIONS_PER_HOST]
//
// Fetches every URL of URLS_FILE (one per line) with FeedFetch, CONCURRENCY at a time (default 16) over at most
// CONNECTIONS_PER_HOST connections per host (default 8), twice: a cold pass, then a conditional pass that sends
// each URL's ETag / Last-Modified from the first. Prints one line per pass: seconds, statuses, bytes.
import FeedFetch
import Foundation

struct Pass {
    var seconds: Double
    var statuses: [Int: Int]
    var failures: Int
    var bytes: Int
    var validators: [String: Validators]
}

/// Fetches `urls`, `concurrency` at a time, sending the validators known for each.
func run(_ urls: [String], concurrency: Int, fetcher: FeedFetcher, validators: [String: Validators]) async -> Pass {
    let start = ContinuousClock.now
    var pass = Pass(seconds: 0, statuses: [:], failures: 0, bytes: 0, validators: [:])
    let requests = urls.map { url in
        FetchRequest(
            url: url, etag: validators[url]?.etag, lastModified: validators[url]?.lastModified,
            allowPrivateAddresses: true)
    }
    let outcomes = await withTaskGroup(of: Outcome.self, returning: [Outcome].self) { group in
        var outcomes: [Outcome] = []
        var next = 0
        while next < min(concurrency, requests.count) {
            let request = requests[next]
            group.addTask { await Outcome(request, fetcher: fetcher) }
            next += 1
        }
        while let outcome = await group.next() {
            outcomes.append(outcome)
            if next < requests.count {
                let request = requests[next]
                group.addTask { await Outcome(request, fetcher: fetcher) }
                next += 1
            }
        }
        return outcomes
    }
    for outcome in outcomes {
        switch outcome.result {
        case .success(let response):
            pass.statuses[response.status, default: 0] += 1
            pass.bytes += response.body.count
            pass.validators[outcome.url] = Validators(etag: response.etag, lastModified: response.lastModified)
        case .failure(let error):
            pass.failures += 1
            FileHandle.standardError.write(Data("\(error)\n".utf8))
        }
    }
    pass.seconds = (ContinuousClock.now - start) / .seconds(1)
    return pass
}

/// One URL's fetch result.
struct Outcome: Sendable {
    var url: String
    var result: Result<FetchResponse, FetchError>

    init(_ request: FetchRequest, fetcher: FeedFetcher) async {
        url = request.url
        do throws(FetchError) {
            result = .success(try await fetcher.fetch(request))
        } catch {
            result = .failure(error)
        }
    }
}

/// The validators a response carried.
struct Validators: Sendable {
    var etag: String?
    var lastModified: String?
}

@main
struct FetchBench {
    static func main() async {
        let arguments = CommandLine.arguments
        guard arguments.count >= 2, let list = try? String(contentsOfFile: arguments[1], encoding: .utf8) else {
            FileHandle.standardError.write(Data("usage: fetchbench URLS_FILE [CONCURRENCY] [CONNECTIONS_PER_HOST]\n".utf8))
            exit(2)
        }
        let urls = list.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        let concurrency = arguments.count > 2 ? Int(arguments[2]) ?? 16 : 16
        let perHost = arguments.count > 3 ? Int(arguments[3]) ?? 8 : 8
        let fetcher = FeedFetcher(maxConnectionsPerHost: perHost)
        let cold = await run(urls, concurrency: concurrency, fetcher: fetcher, validators: [:])
        let conditional = await run(urls, concurrency: concurrency, fetcher: fetcher, validators: cold.validators)
        for (name, pass) in [("cold", cold), ("conditional", conditional)] {
            let statuses = pass.statuses.sorted { $0.key < $1.key }.map { "\($0.key)x\($0.value)" }.joined(separator: " ")
            print("fetchbench \(name): \(urls.count) urls in \(String(format: "%.3f", pass.seconds)) s, \(statuses), \(pass.failures) failed, \(pass.bytes) bytes")
        }
        fetcher.shutdown()
    }
}
