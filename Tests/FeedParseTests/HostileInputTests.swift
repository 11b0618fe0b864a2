import Foundation
import Glibc
import Testing
@testable import FeedParse

@Suite struct MalformedInputTests {
    @Test func recoveryKeepsTheItemsBeforeAnUnclosedTag() throws {
        let feed = try FeedParser.parse(Fixtures.bytes("malformed-rss.xml"))
        #expect(feed.format == .rss)
        #expect(feed.title == "Broken Bulletin")
        #expect(feed.items.count >= 2)
        #expect(feed.items.prefix(2).map(\.key) == ["broken-1", "broken-2"])
        #expect(feed.items.prefix(2).map(\.title) == ["First good item", "Second good item"])
        #expect(feed.problems.contains { $0.message.contains("not well-formed") })
        #expect(feed.problems.contains { $0.message.contains("mismatch") && $0.line != nil })
    }

    @Test func recoveryKeepsItemsAfterTheError() throws {
        let xml = """
            <rss version="2.0"><channel>
            <item><title>Fish & chips</title><guid>a</guid></item>
            <item><title>After the bare ampersand</title><guid>b</guid></item>
            </channel></rss>
            """
        let feed = try FeedParser.parse(xml.bytes)
        #expect(feed.items.map(\.key) == ["a", "b"])
        #expect(feed.items[1].title == "After the bare ampersand")
        #expect(!feed.problems.isEmpty)
    }

    @Test(arguments: [
        "",
        "   \n\t ",
        "hello, this is not XML",
        #"{"version": "https://example.org/not-json-feed", "items": []}"#,
        #"{"title": "no version at all", "items": []}"#,
        #"{"version": "https://jsonfeed.org/version/1.1", "items": ["#,
        "{ not json",
        #"{"version": "2.0"}"#,
        "<html><head><title>Blog</title></head><body><p>Welcome</body></html>",
        #"<?xml version="1.0"?><opml version="2.0"><body/></opml>"#,
    ])
    func notAFeedThrows(input: String) {
        #expect(throws: FeedParseError.self) { try FeedParser.parse(input.bytes) }
    }

    @Test func truncatedDownloadKeepsTheCompleteItems() throws {
        let whole = try Fixtures.bytes("rss2-content.xml")
        let cut = Array(whole.prefix(through: whole.firstRange(of: Array("Lighthouse".utf8))!.lowerBound))
        let feed = try FeedParser.parse(cut)
        #expect(feed.items.first?.key == "gazette-2024-0311-ferry")
        #expect(feed.items.first?.content.hasSuffix("18:30.") == true)
        #expect(feed.problems.contains { $0.message.contains("not well-formed") })
    }

    @Test func unknownRootIsNamedInTheError() throws {
        let error = try #require(throws: FeedParseError.self) {
            try FeedParser.parse("<html><body>hi</body></html>".bytes)
        }
        #expect(error.message.contains("<html>"))
        #expect(error.line == 1)
    }

    @Test func binaryGarbageAfterARootKeepsTheProblemListBounded() {
        // Deterministic noise (xorshift) so a failure can be reproduced.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let noise = (0..<100_000).map { _ -> UInt8 in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
        do {
            let feed = try FeedParser.parse(Array("<rss version=\"2.0\"><channel>".utf8) + noise)
            #expect(feed.problems.count <= 210)
        } catch {
            #expect(!error.message.isEmpty)
        }
    }
}

@Suite struct EntityAttackTests {
    @Test func externalEntityIsNeverLoaded() throws {
        let passwd = (try? String(contentsOfFile: "/etc/passwd", encoding: .utf8)) ?? "root:x:0:0"
        let marker = String(passwd.prefix(while: { $0 != "\n" }))
        let bytes = try Fixtures.bytes("xxe.xml")
        let feed: ParsedFeed
        do {
            feed = try FeedParser.parse(bytes)
        } catch {
            // Refusing the document outright is also safe, as long as the error does not quote the file.
            #expect(!error.message.contains("root:"))
            return
        }
        let json = String(decoding: try JSONEncoder().encode(feed), as: UTF8.self)
        #expect(!json.contains(marker))
        #expect(!json.contains("root:"))
        #expect(feed.title == "Innocent feed")
    }

    @Test func billionLaughsFinishesFastWithoutExpanding() throws {
        let bytes = try Fixtures.bytes("billion-laughs.xml")
        var feed: ParsedFeed?
        let elapsed = ContinuousClock().measure {
            feed = try? FeedParser.parse(bytes)
        }
        // A hang guard only; Benchmarks/parse/hostile.sh measures the time (well under 1 s) and the memory.
        #expect(elapsed < .seconds(5))
        if let feed {
            let json = try JSONEncoder().encode(feed)
            #expect(json.count < 100_000)
            #expect(!String(decoding: json, as: UTF8.self).contains(String(repeating: "ha", count: 100)))
        }
    }
}

@Suite struct LimitTests {
    @Test func oversizedFieldIsTruncatedAndReported() throws {
        let huge = String(repeating: "word ", count: 300_000)  // 1.5 MB
        let xml = "<rss><channel><item><guid>big</guid><description>\(huge)</description></item></channel></rss>"
        let feed = try FeedParser.parse(xml.bytes)
        let item = try #require(feed.items.first)
        #expect(item.summary.utf8.count <= FeedParser.maximumFieldBytes)
        #expect(item.summary.utf8.count > FeedParser.maximumFieldBytes - 10)
        #expect(feed.problems.contains { $0.message.contains("truncated") })
    }

    @Test func truncationNeverSplitsACharacter() {
        var text = CappedText(limit: 5)
        text.append("ab")
        text.append("سلام")  // two bytes per letter: only one more letter fits
        #expect(text.string == "abس")
        #expect(text.isTruncated)
    }

    @Test func limitsAreConfigurableAndTheTextBudgetIsSharedByAnItemsFields() throws {
        let title = String(repeating: "t", count: 30)
        let body = String(repeating: "b", count: 80)
        let item = "<item><title>\(title)</title><description>\(body)</description>"
            + "<content:encoded>\(body)</content:encoded></item>"
        let xml = #"<rss xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>"#
            + String(repeating: item, count: 5) + "</channel></rss>"
        let limits = FeedParseLimits(maximumItemCount: 3, maximumItemTextBytes: 100)
        let feed = try FeedParser.parse(xml.bytes, limits: limits)
        #expect(feed.items.count == 3)
        for item in feed.items {
            #expect(item.title == title)
            #expect(item.summary.utf8.count == 70)
            #expect(item.content == "")
        }
        #expect(feed.problems.contains { $0.message.contains("more than 3 items") })
        #expect(feed.problems.filter { $0.message.contains("exceeds 100 bytes; truncated in <description>") }.count == 3)
    }

    @Test func itemCountIsCapped() throws {
        let items = String(repeating: "<item><title>t</title></item>", count: FeedParser.maximumItemCount + 5)
        let feed = try FeedParser.parse("<rss version=\"2.0\"><channel>\(items)</channel></rss>".bytes)
        #expect(feed.items.count == FeedParser.maximumItemCount)
        #expect(feed.problems.contains { $0.message.contains("more than \(FeedParser.maximumItemCount) items") })
    }
}

/// Documents built to make a naive parser read files, call out, or expand entities without bound.
/// Each must finish quickly (a 5 s hang guard here; the benchmark measures the real figures), keep the
/// output small, and leak nothing.
@Suite(.timeLimit(.minutes(1))) struct ExpansionAttackTests {
    /// A temporary folder holding a file with a secret marker, standing in for /etc/passwd.
    static func secretFile() throws -> (folder: URL, file: URL, marker: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("feedparse-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let marker = "SECRET-\(UUID().uuidString)"
        let file = folder.appendingPathComponent("secret.txt")
        try Data("\(marker)\n".utf8).write(to: file)
        return (folder, file, marker)
    }

    /// The parse result as JSON (or the error text): what could leak.
    static func visibleOutput(_ bytes: [UInt8]) -> String {
        do {
            let feed = try FeedParser.parse(bytes)
            return String(decoding: try JSONEncoder().encode(feed), as: UTF8.self)
        } catch {
            return "\(error)"
        }
    }

    @Test func externalEntityNamingALocalFileIsNotRead() throws {
        let secret = try Self.secretFile()
        defer { try? FileManager.default.removeItem(at: secret.folder) }
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY leak SYSTEM "\(secret.file.absoluteString)">]>
            <rss version="2.0"><channel><title>t &leak;</title>
            <item><guid>1</guid><title>&leak;</title><description>&lt;p&gt;x&lt;/p&gt;&leak;</description>
            <enclosure url="https://x.example/&leak;" type="a"/></item></channel></rss>
            """
        let output = Self.visibleOutput(xml.bytes)
        #expect(!output.contains(secret.marker))
        #expect(output.contains("leak"))  // reported as an unexpanded reference, not silently dropped
    }

    @Test func externalDTDAndParameterEntitiesAreNeverLoaded() throws {
        let secret = try Self.secretFile()
        defer { try? FileManager.default.removeItem(at: secret.folder) }
        // A DTD that, if loaded, would define &title; from the secret file.
        let dtd = secret.folder.appendingPathComponent("evil.dtd")
        try Data("<!ENTITY title SYSTEM \"\(secret.file.absoluteString)\">".utf8).write(to: dtd)
        let listener = try LoopbackListener()
        let documents = [
            """
            <?xml version="1.0"?><!DOCTYPE rss SYSTEM "\(dtd.absoluteString)">
            <rss><channel><item><guid>1</guid><title>&title;</title></item></channel></rss>
            """,
            """
            <?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % remote SYSTEM "\(dtd.absoluteString)"> %remote;]>
            <rss><channel><item><guid>1</guid><title>&title;</title></item></channel></rss>
            """,
            """
            <?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://127.0.0.1:\(listener.port)/evil.dtd">
            <rss><channel><item><guid>1</guid><title>&title;</title></item></channel></rss>
            """,
            """
            <?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % p SYSTEM "http://127.0.0.1:\(listener.port)/p.dtd"> %p;]>
            <rss><channel><item><guid>1</guid><title>&title;</title></item></channel></rss>
            """,
        ]
        for document in documents {
            let output = Self.visibleOutput(document.bytes)
            #expect(!output.contains(secret.marker))
        }
        #expect(listener.connectionCount() == 0)
    }

    /// 100 KB entity referenced 20,000 times in an item's text: 160 KB of document, 2 GB if expanded.
    @Test func aSmallDocumentThatWouldExpandToTwoGigabytes() throws {
        let bytes = HostileDocuments.expandsToTwoGigabytes()
        #expect(bytes.count < 170_000)
        let before = peakResidentBytes()
        var output = ""
        let elapsed = ContinuousClock().measure { output = Self.visibleOutput(bytes) }
        #expect(elapsed < .seconds(5))
        #expect(output.utf8.count < 2_000_000)
        #expect(!output.contains(String(repeating: "x", count: 1_000)))
        // The process's peak may also grow with tests running alongside; a 2 GB expansion would dwarf this bound.
        #expect(peakResidentBytes() - before < 500_000_000)
    }

    /// The same blow-up aimed at attribute values, which libxml2's own attribute getters would expand.
    @Test func quadraticBlowUpInAttributesAndText() throws {
        let bytes = HostileDocuments.quadraticBlowUp()
        var output = ""
        let elapsed = ContinuousClock().measure { output = Self.visibleOutput(bytes) }
        #expect(elapsed < .seconds(5))
        #expect(output.utf8.count < 2_000_000)
        #expect(!output.contains(String(repeating: "y", count: 1_000)))
    }
}

/// Generators for the expansion attacks (also written out by Benchmarks/parse/hostile.sh, which times them).
enum HostileDocuments {
    /// `<!ENTITY x "x" × 100,000>` referenced 20,000 times inside one `<description>`.
    static func expandsToTwoGigabytes() -> [UInt8] {
        let entity = String(repeating: "x", count: 100_000)
        let references = String(repeating: "&x;", count: 20_000)
        return Array(
            """
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY x "\(entity)">]>
            <rss version="2.0"><channel><title>Quadratic</title>
            <item><guid>q</guid><title>blow-up</title><description>\(references)</description></item>
            </channel></rss>
            """.utf8)
    }

    /// A 30 KB entity referenced 3,000 times across attributes and titles of 100 items (~9 MB per item expanded).
    static func quadraticBlowUp() -> [UInt8] {
        let entity = String(repeating: "y", count: 30_000)
        let refs = String(repeating: "&y;", count: 30)
        let items = (0..<100).map { index in
            "<item><guid>\(index)</guid><title>\(refs)</title><enclosure url=\"https://e.example/\(refs)\" type=\"a\"/></item>"
        }
        return Array(
            """
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY y "\(entity)">]>
            <rss version="2.0"><channel><title>\(refs)</title>\(items.joined())</channel></rss>
            """.utf8)
    }
}

/// The process's peak resident set size so far, in bytes (`getrusage`).
func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss) * 1024
}

/// A TCP listener on 127.0.0.1 that only counts the connections it is offered: proof that nothing called out.
final class LoopbackListener {
    let port: UInt16
    private let socketDescriptor: Int32

    struct Failure: Error {}

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure() }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(descriptor, 8) == 0 else {
            close(descriptor)
            throw Failure()
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        socketDescriptor = descriptor
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit {
        close(socketDescriptor)
    }

    /// Accepts (and closes) every pending connection; returns how many there were.
    func connectionCount() -> Int {
        var count = 0
        while true {
            let client = accept(socketDescriptor, nil, nil)
            guard client >= 0 else { return count }
            close(client)
            count += 1
        }
    }
}
