/// Parses RSS and Atom feeds from bytes.
public enum FeedParser {
    /// Items beyond this count are dropped (and reported as a problem).
    public static let maximumItemCount = 10_000
    /// Each captured field is cut at this many bytes of UTF-8 (and reported as a problem).
    public static let maximumFieldBytes = 1 << 20

    /// Parses RSS 2.0 / 0.9x, RSS 1.0 (RDF) and Atom 1.0 bytes (also Atom 0.3 and single-entry Atom documents).
    ///
    /// Reads the document with libxml2, never substituting entities or loading DTDs. A malformed document is
    /// parsed again in recovery mode: the items found are kept and the errors listed in ``ParsedFeed/problems``.
    /// Blocking and CPU-bound: call it off the cooperative thread pool for big feeds.
    ///
    /// - Parameters:
    ///   - bytes: the document as downloaded.
    ///   - contentType: the HTTP `Content-Type`; its charset is used when the document has no byte-order mark.
    ///   - baseURL: the feed's URL, against which relative links (and `xml:base`) are resolved.
    /// - Throws: ``FeedParseError`` when the input is empty, not XML, or not an RSS / RDF / Atom document.
    public static func parse(
        _ bytes: [UInt8],
        contentType: String? = nil,
        baseURL: String? = nil
    ) throws(FeedParseError) -> ParsedFeed {
        guard bytes.contains(where: { !$0.isXMLWhitespace }) else {
            throw FeedParseError(line: nil, message: "the document is empty")
        }
        guard bytes.count < Int(Int32.max) else {
            throw FeedParseError(line: nil, message: "the document is larger than libxml2 can read (2 GiB)")
        }
        let encoding = DocumentEncoding.choose(for: bytes, contentType: contentType)
        var notes = encoding.problems

        var document = bytes
        var outcome = try FeedWalker.walk(document, encoding: encoding.encoding, recover: false, baseURL: baseURL)
        if case .malformed(let failure) = outcome, failure.hasUndeclaredEntity,
            let repaired = HTMLEntityRepair.replacingHTMLEntities(in: document)
        {
            let names = repaired.names.map { "&\($0);" }.joined(separator: " ")
            notes.append(
                FeedProblem(line: failure.firstError?.line, message: "undeclared HTML entities replaced: \(names)")
            )
            document = repaired.bytes
            outcome = try FeedWalker.walk(document, encoding: encoding.encoding, recover: false, baseURL: baseURL)
        }

        switch outcome {
        case .feed(var feed):
            feed.problems = notes + feed.problems
            return feed
        case .malformed(let strictFailure):
            switch try FeedWalker.walk(document, encoding: encoding.encoding, recover: true, baseURL: baseURL) {
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
}

extension UInt8 {
    /// Space, tab, line feed or carriage return.
    var isXMLWhitespace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D }
}
