import Foundation

/// UTF-8 text that stops growing at a byte limit, cutting only between characters.
struct CappedText {
    private(set) var bytes: [UInt8] = []
    /// True once something was dropped.
    private(set) var isTruncated = false
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    mutating func append(_ text: String) {
        guard !isTruncated else { return }
        let utf8 = text.utf8
        let room = limit - bytes.count
        if utf8.count <= room {
            bytes.append(contentsOf: utf8)
            return
        }
        isTruncated = true
        var cut = room
        let slice = Array(utf8.prefix(room + 1))
        // Back off while the first dropped byte continues a character (0b10xxxxxx).
        while cut > 0, cut < slice.count, slice[cut] & 0xC0 == 0x80 { cut -= 1 }
        bytes.append(contentsOf: slice[..<cut])
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}

/// Text captured from one element, still in its source form.
struct CapturedText {
    var text: String
    var mode: TextMode
}

/// A date as written in the feed, with where it was found.
struct DateCandidate {
    var rank: Int
    var text: String
    var line: Int?
}

/// Collects the fields of one item while its element is being read.
struct ItemBuilder {
    var title: CapturedText?
    var link: String?
    var identifier: (value: String, source: ItemKeySource)?
    /// An RSS 1.0 item's `rdf:about`: its identifier when it has no guid.
    var about: String?
    /// A permalink `<guid>`, resolved: the link when `<link>` is missing.
    var permalink: String?
    var dates: [DateCandidate] = []
    var summary: CapturedText?
    var content: CapturedText?

    /// Stores a captured field; the first non-empty occurrence of each field wins.
    mutating func store(_ field: FeedField, _ captured: CapturedText, line: Int?, base: String?) {
        switch field {
        case .title:
            if title == nil, !captured.text.trimmingWhitespace().isEmpty { title = captured }
        case .link:
            let href = captured.text.trimmingWhitespace()
            if link == nil, !href.isEmpty { link = URLResolution.resolve(href, against: base) }
        case .guid(let isPermaLink):
            let value = captured.text.trimmingWhitespace()
            guard identifier == nil, !value.isEmpty else { return }
            identifier = (value, .guid)
            if isPermaLink, value.lowercased().hasPrefix("http") {
                permalink = URLResolution.resolve(value, against: base)
            }
        case .atomID:
            let value = captured.text.trimmingWhitespace()
            if identifier == nil, !value.isEmpty { identifier = (value, .atomID) }
        case .date(let rank):
            let value = captured.text.trimmingWhitespace()
            if !value.isEmpty { dates.append(DateCandidate(rank: rank, text: value, line: line)) }
        case .summary:
            if summary == nil { summary = captured }
        case .content:
            if content == nil { content = captured }
        }
    }

    /// The finished item, reporting an unparseable date to `problems`.
    func build(feedLink: String?, problems: inout [FeedProblem]) -> FeedItem {
        let title = title.map { $0.mode.singleLine($0.text) }.flatMap { $0.isEmpty ? nil : $0 }
        let summary = summary.map { $0.mode.body($0.text) } ?? ""
        let content = content.map { $0.mode.body($0.text) } ?? ""
        let link = link ?? permalink

        let candidates = dates.sorted { $0.rank < $1.rank }
        let published = candidates.lazy.compactMap { FeedDateParser.parse($0.text) }.first
        if published == nil, let first = candidates.first {
            problems.append(FeedProblem(line: first.line, message: "unparseable date \"\(first.text)\""))
        }

        let key: String
        let keySource: ItemKeySource
        if let identifier {
            (key, keySource) = (identifier.value, identifier.source)
        } else if let about {
            (key, keySource) = (about, .guid)
        } else if let link {
            (key, keySource) = (link, .link)
        } else {
            // Without a title, the text keeps untitled items of one feed apart.
            var parts = [feedLink ?? "", title ?? "", candidates.first?.text ?? ""]
            if title == nil { parts.append(content.isEmpty ? summary : content) }
            (key, keySource) = (FNV1a64.hexDigest(of: parts.joined(separator: "\u{1F}")), .hash)
        }
        return FeedItem(
            key: key,
            keySource: keySource,
            title: title,
            link: link,
            published: published,
            summary: summary,
            content: content
        )
    }
}

/// The 64-bit FNV-1a hash: small, fast and stable across runs and platforms (unlike `Hasher`).
enum FNV1a64 {
    /// The hash of the string's UTF-8 bytes as 16 lower-case hex digits.
    static func hexDigest(of text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
