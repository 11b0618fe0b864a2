import Foundation

/// UTF-8 text that stops growing at a byte limit, cutting only between characters.
///
/// Reused from one field to the next (``reset(limit:)``): its bytes are the first ``count`` of a buffer that
/// only grows, so emptying it and appending to it cost no more than copying the new bytes.
struct CappedText {
    private var buffer: [UInt8] = []
    /// Bytes of text, at the start of `buffer` (what follows them is left over from earlier text).
    private(set) var count = 0
    /// True once something was dropped.
    private(set) var isTruncated = false
    private(set) var limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Empties the text for reuse with a new limit, keeping the storage.
    mutating func reset(limit: Int) {
        count = 0
        isTruncated = false
        self.limit = limit
    }

    mutating func append(_ text: String) {
        text.withUTF8Bytes { bytes in
            guard let start = bytes.baseAddress else { return }
            append(utf8: start, count: bytes.count)
        }
    }

    /// Appends UTF-8 bytes (whole characters).
    mutating func append(utf8 pointer: UnsafePointer<UInt8>, count added: Int) {
        guard !isTruncated else { return }
        let room = limit - count
        var kept = added
        if added > room {
            isTruncated = true
            kept = room
            // Back off while the first dropped byte continues a character (0b10xxxxxx).
            while kept > 0, pointer[kept] & 0xC0 == 0x80 { kept -= 1 }
        }
        guard kept > 0 else { return }
        if buffer.count < count + kept {
            buffer.append(contentsOf: repeatElement(0, count: max(count + kept, 2 * buffer.count) - buffer.count))
        }
        buffer.withUnsafeMutableBufferPointer { storage in
            (storage.baseAddress! + count).update(from: pointer, count: kept)
        }
        count += kept
    }

    var string: String {
        buffer.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[..<count]), as: UTF8.self) }
    }
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

/// An Atom person construct being read.
struct PersonBuilder {
    var name: String?
    var email: String?
    var uri: String?

    /// The name, else the e-mail address, else the URI; nil when all are empty.
    var display: String? { name ?? email ?? uri }
}

/// Collects the fields of one item while its element is being read.
struct ItemBuilder {
    var title: CapturedText?
    var mediaTitle: CapturedText?
    var link: String?
    var identifier: (value: String, source: ItemKeySource)?
    /// An RSS 1.0 item's `rdf:about`: its identifier when it has no guid.
    var about: String?
    /// A permalink `<guid>`, resolved: the link when `<link>` is missing.
    var permalink: String?
    /// An alternate link from a secondary source (`atom:link` inside RSS): the link when `<link>` is missing.
    var alternateLink: String?
    var publishedDates: [DateCandidate] = []
    var updatedDates: [DateCandidate] = []
    var summary: CapturedText?
    var mediaDescription: CapturedText?
    var content: CapturedText?
    var authors: [String] = []
    var categories: [String] = []
    var enclosures: [FeedEnclosure] = []
    var thumbnail: String?
    /// Bytes of captured text so far, against ``FeedParseLimits/maximumItemTextBytes``.
    var textBytes = 0
    /// Whether the item's text budget ran out (reported once).
    var textTruncated = false

    /// Stores a captured field; the first non-empty occurrence of each single-valued field wins.
    mutating func store(_ field: FeedField, _ captured: CapturedText, line: Int?, base: String?, html: HTMLTextConverter) {
        switch field {
        case .title:
            if title == nil, !captured.text.trimmingWhitespace().isEmpty { title = captured }
        case .mediaTitle:
            if mediaTitle == nil, !captured.text.trimmingWhitespace().isEmpty { mediaTitle = captured }
        case .link:
            let href = captured.text.trimmingWhitespace()
            if link == nil, !href.isEmpty { link = URLResolution.resolve(href, against: base) }
        case .guid(let isPermaLink):
            let value = captured.text.trimmingWhitespace()
            guard identifier == nil, !value.isEmpty else { return }
            identifier = (value, .guid)
            // "http" in any case (ASCII letters: setting bit 5 lower-cases them, and no other byte becomes one).
            if isPermaLink, value.utf8.starts(with: "http".utf8, by: { $0 | 0x20 == $1 }) {
                permalink = URLResolution.resolve(value, against: base)
            }
        case .atomID:
            let value = captured.text.trimmingWhitespace()
            if identifier == nil, !value.isEmpty { identifier = (value, .atomID) }
        case .published(let rank):
            let value = captured.text.trimmingWhitespace()
            if !value.isEmpty { publishedDates.append(DateCandidate(rank: rank, text: value, line: line)) }
        case .updated(let rank):
            let value = captured.text.trimmingWhitespace()
            if !value.isEmpty { updatedDates.append(DateCandidate(rank: rank, text: value, line: line)) }
        case .summary:
            if summary == nil { summary = captured }
        case .mediaDescription:
            if mediaDescription == nil { mediaDescription = captured }
        case .content:
            if content == nil { content = captured }
        case .author:
            addAuthor(captured.mode.singleLine(captured.text, html: html))
        case .category:
            addCategory(captured.mode.singleLine(captured.text, html: html))
        case .personName, .personEmail, .personURI, .ttl:
            break  // read by the walker
        }
    }

    mutating func addAuthor(_ author: String) {
        let author = author.trimmingWhitespace()
        if !author.isEmpty, !authors.contains(author) { authors.append(author) }
    }

    mutating func addCategory(_ category: String) {
        let category = category.trimmingWhitespace()
        guard !category.isEmpty, !categories.contains(category) else { return }
        // Items that have categories mostly have several: room for a few at once, not one more at a time.
        if categories.isEmpty { categories.reserveCapacity(4) }
        categories.append(category)
    }

    mutating func addEnclosure(_ enclosure: FeedEnclosure) {
        if !enclosures.contains(where: { $0.url == enclosure.url }) { enclosures.append(enclosure) }
    }

    /// The finished item, reporting unparseable and far-future dates to `problems`.
    func build(feedLink: String?, feedAuthors: [String], problems: inout ProblemList, html: HTMLTextConverter)
        -> FeedItem
    {
        let titleText = (title ?? mediaTitle).map { $0.mode.singleLine($0.text, html: html) }.flatMap(\.nonEmpty)
        let summarySource = summary ?? mediaDescription
        let summaryText = summarySource.map { $0.mode.body($0.text, html: html) } ?? ""
        let contentText = content.map { $0.mode.body($0.text, html: html) } ?? ""
        let link = link ?? permalink ?? alternateLink

        let published = Self.firstDate(in: publishedDates, problems: &problems)
        let updated = Self.firstDate(in: updatedDates, problems: &problems)

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
            let firstDate = (publishedDates + updatedDates).min { $0.rank < $1.rank }
            var parts = [feedLink ?? "", titleText ?? "", firstDate?.text ?? ""]
            if titleText == nil { parts.append(contentText.isEmpty ? summaryText : contentText) }
            (key, keySource) = (FNV1a64.hexDigest(of: parts.joined(separator: "\u{1F}")), .hash)
        }
        let imageEnclosure = enclosures.first { $0.type?.lowercased().hasPrefix("image/") == true }
        return FeedItem(
            key: key,
            keySource: keySource,
            title: titleText,
            link: link,
            published: published ?? updated,
            summary: summaryText,
            content: contentText,
            updated: updated,
            authors: authors.isEmpty ? feedAuthors : authors,
            categories: categories,
            enclosures: enclosures,
            thumbnail: thumbnail ?? imageEnclosure?.url,
            summaryHTML: summarySource.flatMap { $0.mode.sourceHTML($0.text) },
            contentHTML: content.flatMap { $0.mode.sourceHTML($0.text) }
        )
    }

    /// The best-ranked date that parses; every unparseable one and a far-future winner are reported.
    private static func firstDate(in candidates: [DateCandidate], problems: inout ProblemList) -> Date? {
        // Most items have one date of each kind or none: no clock reading for none.
        guard !candidates.isEmpty else { return nil }
        let latestPlausibleDate = Date().addingTimeInterval(FeedDateParser.futureTolerance)
        var best: (rank: Int, date: Date)?
        for candidate in candidates {
            guard let date = FeedDateParser.parse(candidate.text) else {
                problems.report("unparseable date \"\(candidate.text.prefix(100))\"", line: candidate.line)
                continue
            }
            if best == nil || candidate.rank < best!.rank { best = (candidate.rank, date) }
            if date > latestPlausibleDate {
                problems.report(
                    "date \"\(candidate.text.prefix(100))\" is more than a day in the future; kept as written",
                    line: candidate.line
                )
            }
        }
        return best?.date
    }
}

/// The walker's own problem reports (dates, truncations, entities), capped like libxml2's.
struct ProblemList {
    static let maximumCount = 100
    private(set) var problems: [FeedProblem] = []
    private var dropped = 0

    mutating func report(_ message: String, line: Int?) {
        guard problems.count < Self.maximumCount else {
            dropped += 1
            return
        }
        problems.append(FeedProblem(line: line, message: message))
    }

    /// The problems, followed by a count of the dropped ones when there were too many.
    var all: [FeedProblem] {
        dropped == 0 ? problems : problems + [FeedProblem(line: nil, message: "\(dropped) more problems not listed")]
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
