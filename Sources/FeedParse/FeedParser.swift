/// Parses RSS, Atom and JSON Feed documents from bytes.
public enum FeedParser {
    /// The default cap on items per feed (``FeedParseLimits/maximumItemCount``).
    public static let maximumItemCount = FeedParseLimits().maximumItemCount
    /// The default cap on text bytes per item (``FeedParseLimits/maximumItemTextBytes``).
    public static let maximumFieldBytes = FeedParseLimits().maximumItemTextBytes

    /// Parses RSS 0.90–0.94 and 2.0, RSS 1.0 (RDF), Atom 1.0 and 0.3 (also single-entry Atom documents) and
    /// JSON Feed 1.0 / 1.1.
    ///
    /// XML is read with libxml2's SAX2 push parser (no tree), never substituting entities, loading DTDs or touching
    /// the network. A malformed document is parsed again in recovery mode: the items found are kept and the errors
    /// listed in ``ParsedFeed/problems``. The encoding follows RFC 7303 (byte-order mark, then the HTTP charset,
    /// then the XML declaration), except that valid UTF-8 is read as UTF-8, and bytes that are not UTF-8 without
    /// a usable label are recognised as windows-1256, ISO-8859-6 or windows-1252 (see ``ParsedFeed/encoding``).
    /// Blocking and CPU-bound: call it off the cooperative thread pool for big feeds.
    ///
    /// - Parameters:
    ///   - bytes: the document as downloaded.
    ///   - contentType: the HTTP `Content-Type`; its charset is used when the document has no byte-order mark.
    ///   - baseURL: the feed's URL, against which relative links (and `xml:base`) are resolved.
    ///   - limits: caps on items and on text per item.
    /// - Throws: ``FeedParseError`` when the input is empty, not XML or JSON, or not a feed.
    public static func parse(
        _ bytes: [UInt8],
        contentType: String? = nil,
        baseURL: String? = nil,
        limits: FeedParseLimits = FeedParseLimits()
    ) throws(FeedParseError) -> ParsedFeed {
        guard let firstByte = firstSignificantByte(of: bytes) else {
            throw FeedParseError(line: nil, message: "the document is empty")
        }
        guard bytes.count < Int(Int32.max) else {
            throw FeedParseError(line: nil, message: "the document is larger than libxml2 can read (2 GiB)")
        }
        if firstByte == UInt8(ascii: "{") {
            return try JSONFeedParser.parse(bytes, baseURL: baseURL, limits: limits)
        }

        // The common case in one pass: a document libxml2 reads as UTF-8 by itself, with no other charset in the
        // Content-Type. A well-formed parse means every byte was valid UTF-8 (libxml2 checks each character,
        // and an invalid one is a fatal error), which is all the encoding scan below would have concluded: the
        // result is the one the full way gives, without the scan. Anything else (a malformed or mis-encoded
        // document, an unknown root) is read again the full way.
        if DocumentEncoding.isPlainUTF8Candidate(bytes, contentType: contentType),
            case .feed(var feed)? = try? FeedWalker.walk(
                bytes, encoding: nil, recover: false, baseURL: baseURL, limits: limits)
        {
            feed.encoding = "UTF-8"
            return feed
        }

        let encoding = DocumentEncoding.choose(for: bytes, contentType: contentType)
        var notes = encoding.problems
        var document = bytes
        if let codePage = encoding.transcode {
            let decoded = codePage.decodeToUTF8(bytes)
            document = decoded.utf8
            if decoded.unassignedCount > 0 {
                notes.append(
                    FeedProblem(
                        line: nil,
                        message: "\(decoded.unassignedCount) bytes have no character in \(codePage.rawValue); "
                            + "shown as U+FFFD"
                    )
                )
            }
        }
        var feed = try parseXML(document, encoding: encoding.libxml2Encoding, baseURL: baseURL, limits: limits)
        feed.problems = notes + feed.problems
        feed.encoding = encoding.name
        return feed
    }

    /// Strict pass, then (after repairing undeclared HTML entities, or in recovery mode) a second one.
    private static func parseXML(
        _ bytes: [UInt8],
        encoding: String?,
        baseURL: String?,
        limits: FeedParseLimits
    ) throws(FeedParseError) -> ParsedFeed {
        var notes: [FeedProblem] = []
        var document = bytes
        var outcome = try FeedWalker.walk(document, encoding: encoding, recover: false, baseURL: baseURL, limits: limits)
        if case .malformed(let failure) = outcome, failure.hasEntityError, let repaired = EntityRepair.repair(document) {
            if !repaired.entityNames.isEmpty {
                let names = repaired.entityNames.map { "&\($0);" }.joined(separator: " ")
                notes.append(
                    FeedProblem(line: failure.firstError?.line, message: "undeclared HTML entities replaced: \(names)")
                )
            }
            if repaired.bareAmpersands > 0 {
                notes.append(
                    FeedProblem(
                        line: failure.firstError?.line,
                        message: "\(repaired.bareAmpersands) bare & characters read as text (&amp;)"
                    )
                )
            }
            document = repaired.bytes
            outcome = try FeedWalker.walk(document, encoding: encoding, recover: false, baseURL: baseURL, limits: limits)
        }

        switch outcome {
        case .feed(var feed):
            feed.problems = notes + feed.problems
            return feed
        case .malformed(let strictFailure):
            switch try FeedWalker.walk(document, encoding: encoding, recover: true, baseURL: baseURL, limits: limits) {
            case .feed(var feed):
                let notice = FeedProblem(
                    line: strictFailure.firstError?.line,
                    message: "the document is not well-formed XML; read in recovery mode"
                )
                feed.problems = notes + [notice] + feed.problems
                return feed
            case .malformed(let failure):
                let error = failure.firstError ?? strictFailure.firstError
                throw FeedParseError(
                    line: error?.line,
                    message: error.map { "not XML: \($0.message)" } ?? "no root element found"
                )
            }
        }
    }

    /// The first byte that is not whitespace or part of a UTF-8 byte-order mark; nil for a blank document.
    private static func firstSignificantByte(of bytes: [UInt8]) -> UInt8? {
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        return bytes[start...].first { !$0.isXMLWhitespace }
    }
}

extension UInt8 {
    /// Space, tab, line feed or carriage return.
    var isXMLWhitespace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D }
}
