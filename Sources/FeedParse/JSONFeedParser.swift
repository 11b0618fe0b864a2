import Foundation

/// Reads JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1).
///
/// Recognised by content: a JSON object whose `version` is a `https://jsonfeed.org/version/` URL. Decoding is
/// lenient the way feed readers must be: a field of the wrong type is dropped and reported, an item that is not
/// an object is skipped and reported, and the rest of the feed is kept.
enum JSONFeedParser {
    static func parse(_ bytes: [UInt8], baseURL: String?, limits: FeedParseLimits) throws(FeedParseError)
        -> ParsedFeed
    {
        let document: JSONFeedDocument
        do {
            document = try JSONDecoder().decode(JSONFeedDocument.self, from: Data(bytes))
        } catch let error as FeedParseError {
            throw error
        } catch {
            throw FeedParseError(line: nil, message: "not XML, and not valid JSON: \(Self.describe(error))")
        }
        var problems = ProblemList()
        let declared = document.version?.trimmingWhitespace() ?? ""
        let version: String
        if let number = Self.versionPrefixes.lazy.compactMap({ declared.dropPrefix($0) }).first {
            version = number
        } else if Self.bareVersions.contains(declared), document.hasItemList {
            // Some producers write the number alone; with an item list the document is still clearly a JSON Feed.
            version = declared
            problems.report("version \"\(declared)\" is not a https://jsonfeed.org/version/ URL", line: nil)
        } else {
            throw FeedParseError(
                line: nil,
                message: "a JSON document without a https://jsonfeed.org/version/ version: not a JSON Feed"
            )
        }

        for field in document.droppedFields { problems.report("feed field \"\(field)\" has the wrong type; ignored", line: nil) }
        let feedLink = document.homePageURL.map { URLResolution.resolve($0, against: baseURL) }
        let feedAuthors = document.authors.compactMap(\.display)

        let html = HTMLTextConverter()
        var items: [FeedItem] = []
        for (index, entry) in document.items.enumerated() {
            guard items.count < limits.maximumItemCount else {
                problems.report("more than \(limits.maximumItemCount) items; the rest were ignored", line: nil)
                break
            }
            guard let entry = entry.value else {
                problems.report("item \(index + 1) is not a JSON object; skipped", line: nil)
                continue
            }
            for field in entry.droppedFields {
                problems.report("item \(index + 1): field \"\(field)\" has the wrong type; ignored", line: nil)
            }
            items.append(
                Self.item(entry, number: index + 1, feedLink: feedLink, feedAuthors: feedAuthors, baseURL: baseURL,
                    limits: limits, html: html, problems: &problems)
            )
        }
        let title = document.title.map { $0.collapsedToOneLine() }.flatMap(\.nonEmpty)
        return ParsedFeed(
            format: .json,
            title: title.map { Self.capped($0, limit: limits.maximumItemTextBytes) },
            link: feedLink,
            items: items,
            problems: problems.all,
            version: version == "1" ? "1.0" : version,
            encoding: "UTF-8"
        )
    }

    private static let versionPrefixes = ["https://jsonfeed.org/version/", "http://jsonfeed.org/version/"]
    private static let bareVersions: Set<String> = ["1", "1.0", "1.1"]

    private static func item(
        _ entry: JSONFeedItem,
        number: Int,
        feedLink: String?,
        feedAuthors: [String],
        baseURL: String?,
        limits: FeedParseLimits,
        html: HTMLTextConverter,
        problems: inout ProblemList
    ) -> FeedItem {
        var budget = limits.maximumItemTextBytes
        var truncated = false
        func take(_ text: String?) -> String? {
            guard let text else { return nil }
            let kept = capped(text, limit: budget)
            budget -= kept.utf8.count
            if kept.utf8.count < text.utf8.count { truncated = true }
            return kept
        }

        var builder = ItemBuilder()
        if let id = entry.id?.trimmingWhitespace().nonEmpty { builder.identifier = (id, .jsonID) }
        if let title = take(entry.title), !title.trimmingWhitespace().isEmpty {
            builder.title = CapturedText(text: title, mode: .plain)
        }
        let link = entry.url?.trimmingWhitespace().nonEmpty ?? entry.externalURL?.trimmingWhitespace().nonEmpty
        builder.link = link.map { URLResolution.resolve($0, against: baseURL) }
        if let summary = take(entry.summary) { builder.summary = CapturedText(text: summary, mode: .plain) }
        let markup = take(entry.contentHTML)
        let plain = take(entry.contentText)
        if let markup {
            builder.content = CapturedText(text: markup, mode: .html)
        } else if let plain {
            builder.content = CapturedText(text: plain, mode: .plain)
        }
        if let published = entry.datePublished?.trimmingWhitespace().nonEmpty {
            builder.publishedDates.append(DateCandidate(rank: 0, text: published, line: nil))
        }
        if let modified = entry.dateModified?.trimmingWhitespace().nonEmpty {
            builder.updatedDates.append(DateCandidate(rank: 0, text: modified, line: nil))
        }
        for author in entry.authors { if let name = author.display { builder.addAuthor(name) } }
        for tag in entry.tags { builder.addCategory(tag.collapsedToOneLine()) }
        for attachment in entry.attachments {
            guard let url = attachment.url?.trimmingWhitespace().nonEmpty else { continue }
            builder.addEnclosure(
                FeedEnclosure(
                    url: URLResolution.resolve(url, against: baseURL),
                    type: attachment.mimeType?.trimmingWhitespace().nonEmpty,
                    length: attachment.sizeInBytes.flatMap { $0 >= 0 ? $0 : nil }
                )
            )
        }
        if let image = (entry.image ?? entry.bannerImage)?.trimmingWhitespace().nonEmpty {
            builder.thumbnail = URLResolution.resolve(image, against: baseURL)
        }
        if truncated {
            problems.report("item \(number): its text exceeds \(limits.maximumItemTextBytes) bytes; truncated", line: nil)
        }

        var item = builder.build(feedLink: feedLink, feedAuthors: feedAuthors, problems: &problems, html: html)
        // Authored plain text beats text recovered from the HTML; the HTML stays in `contentHTML`.
        if markup != nil, let plain = plain?.tidiedPlainText().nonEmpty { item.content = plain }
        return item
    }

    /// `text` cut to at most `limit` bytes of UTF-8, between characters.
    static func capped(_ text: String, limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var capped = CappedText(limit: max(0, limit))
        capped.append(text)
        return capped.string
    }

    /// A short description of a decoding error (Foundation's own descriptions are long).
    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context):
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? context.debugDescription
        case DecodingError.typeMismatch(_, let context):
            return context.debugDescription
        default:
            return "\(error)"
        }
    }
}

// MARK: - Lenient JSON Feed model

/// The top-level JSON Feed object.
private struct JSONFeedDocument: Decodable {
    var version: String?
    var title: String?
    var homePageURL: String?
    var authors: [JSONFeedAuthor] = []
    var items: [Skippable<JSONFeedItem>] = []
    /// Whether `items` is present and an array.
    var hasItemList = false
    /// Names of fields present with an unusable type.
    var droppedFields: [String] = []

    private enum CodingKeys: String, CodingKey {
        case version, title, items, author, authors
        case homePageURL = "home_page_url"
    }

    init(from decoder: any Decoder) throws {
        guard let container = try? decoder.container(keyedBy: CodingKeys.self) else {
            throw FeedParseError(line: nil, message: "a JSON document that is not an object: not a JSON Feed")
        }
        var dropped: [String] = []
        version = container.lenient(String.self, .version, &dropped)
        title = container.lenient(String.self, .title, &dropped)
        homePageURL = container.lenient(String.self, .homePageURL, &dropped)
        authors = container.authors(&dropped)
        let list = container.lenient([Skippable<JSONFeedItem>].self, .items, &dropped)
        items = list ?? []
        hasItemList = list != nil
        droppedFields = dropped
    }
}

/// One item of a JSON Feed.
private struct JSONFeedItem: Decodable {
    var id: String?
    var url: String?
    var externalURL: String?
    var title: String?
    var contentHTML: String?
    var contentText: String?
    var summary: String?
    var image: String?
    var bannerImage: String?
    var datePublished: String?
    var dateModified: String?
    var authors: [JSONFeedAuthor] = []
    var tags: [String] = []
    var attachments: [JSONFeedAttachment] = []
    var droppedFields: [String] = []

    private enum CodingKeys: String, CodingKey {
        case id, url, title, summary, image, tags, attachments, author, authors
        case externalURL = "external_url"
        case contentHTML = "content_html"
        case contentText = "content_text"
        case bannerImage = "banner_image"
        case datePublished = "date_published"
        case dateModified = "date_modified"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var dropped: [String] = []
        // JSON Feed 1.0 producers sometimes write a numeric id.
        if let text = try? container.decodeIfPresent(String.self, forKey: .id) {
            id = text
        } else if let number = try? container.decodeIfPresent(Int64.self, forKey: .id) {
            id = String(number)
        } else if container.contains(.id) {
            dropped.append(CodingKeys.id.stringValue)
        }
        url = container.lenient(String.self, .url, &dropped)
        externalURL = container.lenient(String.self, .externalURL, &dropped)
        title = container.lenient(String.self, .title, &dropped)
        contentHTML = container.lenient(String.self, .contentHTML, &dropped)
        contentText = container.lenient(String.self, .contentText, &dropped)
        summary = container.lenient(String.self, .summary, &dropped)
        image = container.lenient(String.self, .image, &dropped)
        bannerImage = container.lenient(String.self, .bannerImage, &dropped)
        datePublished = container.lenient(String.self, .datePublished, &dropped)
        dateModified = container.lenient(String.self, .dateModified, &dropped)
        authors = container.authors(&dropped)
        tags = (container.lenient([Skippable<String>].self, .tags, &dropped) ?? []).compactMap(\.value)
        attachments = (container.lenient([Skippable<JSONFeedAttachment>].self, .attachments, &dropped) ?? [])
            .compactMap(\.value)
        droppedFields = dropped
    }
}

/// A JSON Feed author (1.0 `author`, 1.1 `authors[]`).
private struct JSONFeedAuthor: Decodable {
    var name: String?
    var url: String?

    /// The name, else the URL.
    var display: String? { name?.collapsedToOneLine().nonEmpty ?? url?.trimmingWhitespace().nonEmpty }

    private enum CodingKeys: String, CodingKey { case name, url }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try? container.decodeIfPresent(String.self, forKey: .name)
        url = try? container.decodeIfPresent(String.self, forKey: .url)
    }
}

/// A JSON Feed attachment.
private struct JSONFeedAttachment: Decodable {
    var url: String?
    var mimeType: String?
    var sizeInBytes: Int?

    private enum CodingKeys: String, CodingKey {
        case url
        case mimeType = "mime_type"
        case sizeInBytes = "size_in_bytes"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        url = try? container.decodeIfPresent(String.self, forKey: .url)
        mimeType = try? container.decodeIfPresent(String.self, forKey: .mimeType)
        sizeInBytes = try? container.decodeIfPresent(Int.self, forKey: .sizeInBytes)
    }
}

/// An array element that is kept when it decodes and skipped (nil) when it does not.
private struct Skippable<Value: Decodable>: Decodable {
    var value: Value?

    init(from decoder: any Decoder) throws {
        value = try? Value(from: decoder)
    }
}

extension KeyedDecodingContainer {
    /// The value when present and of the right type; a present value of another type is recorded in `dropped`.
    fileprivate func lenient<Value: Decodable>(_ type: Value.Type, _ key: Key, _ dropped: inout [String]) -> Value? {
        guard contains(key) else { return nil }
        if (try? decodeNil(forKey: key)) == true { return nil }
        guard let value = try? decode(type, forKey: key) else {
            dropped.append(key.stringValue)
            return nil
        }
        return value
    }
}

extension KeyedDecodingContainer where Key: CodingKey {
    /// JSON Feed 1.1 `authors`, else the 1.0 `author` object.
    fileprivate func authors(_ dropped: inout [String]) -> [JSONFeedAuthor] {
        guard let authorsKey = Key(stringValue: "authors"), let authorKey = Key(stringValue: "author") else { return [] }
        if let list = lenient([Skippable<JSONFeedAuthor>].self, authorsKey, &dropped) {
            return list.compactMap(\.value)
        }
        return lenient(JSONFeedAuthor.self, authorKey, &dropped).map { [$0] } ?? []
    }
}

extension String {
    /// The rest of the string after `prefix`, nil when it does not start with it.
    fileprivate func dropPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}
