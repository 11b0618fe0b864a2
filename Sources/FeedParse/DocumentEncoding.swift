import CLibXML2

/// The encoding the reader is told to use (nil: libxml2 decides from the BOM / XML declaration),
/// with notes on disagreements or unusable labels.
struct EncodingChoice: Equatable {
    var encoding: String?
    var problems: [FeedProblem] = []
}

/// Decides how a feed's bytes are decoded.
///
/// Order: a byte-order mark always wins (libxml2 detects it). Otherwise bytes that are valid UTF-8 and not plain
/// ASCII are read as UTF-8 whatever the labels say (mislabelled UTF-8 is far more common than legacy text that
/// happens to be valid UTF-8). Otherwise a usable HTTP `Content-Type` charset wins over the XML declaration
/// (RFC 3023); without one libxml2 applies the declaration, or UTF-8 when the declared name is unknown to it.
enum DocumentEncoding {
    static func choose(for bytes: [UInt8], contentType: String?) -> EncodingChoice {
        if hasByteOrderMark(bytes) { return EncodingChoice() }
        let httpCharset = contentType.flatMap(charset(inContentType:))
        let declared = declaredEncoding(in: bytes)

        if isNonASCIIUTF8(bytes) {
            let label = [httpCharset.map { ("Content-Type", $0) }, declared.map { ("XML declaration", $0) }]
                .compactMap { $0 }
                .first { !isUTF8Name($0.1) }
            let problems = label.map { [note("the \($0.0) says \($0.1) but the bytes are valid UTF-8; read as UTF-8")] }
            return EncodingChoice(encoding: "UTF-8", problems: problems ?? [])
        }

        var choice = EncodingChoice()
        if let httpCharset {
            if !isKnownToLibXML2(httpCharset) {
                choice.problems.append(note("unknown charset \(httpCharset) in the Content-Type; ignored"))
            } else if isWideUnicodeName(httpCharset), !bytes.contains(0) {
                choice.problems.append(
                    note("the Content-Type says \(httpCharset) but the bytes are not UTF-16/32; ignored")
                )
            } else {
                if let declared, canonical(declared) != canonical(httpCharset) {
                    choice.problems.append(
                        note("the Content-Type charset \(httpCharset) overrides the XML declaration's \(declared)")
                    )
                }
                choice.encoding = httpCharset
                return choice
            }
        }
        if let declared, !isKnownToLibXML2(declared) {
            choice.problems.append(note("unknown encoding \(declared) in the XML declaration; read as UTF-8"))
            choice.encoding = "UTF-8"
        }
        return choice
    }

    /// The `charset` parameter of a Content-Type value (`application/rss+xml; charset="windows-1256"`).
    static func charset(inContentType contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingWhitespaceCharacters().lowercased() == "charset" else { continue }
            var value = pair[1].trimmingWhitespaceCharacters()
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// The `encoding` pseudo-attribute of the XML declaration, if the document starts with one.
    static func declaredEncoding(in bytes: [UInt8]) -> String? {
        let prefix = bytes.prefix(512)
        guard prefix.starts(with: Array("<?xml".utf8)),
            let end = prefix.firstRange(of: Array("?>".utf8))?.lowerBound
        else { return nil }
        let declaration = prefix[..<end]
        guard let keyword = declaration.firstRange(of: Array("encoding".utf8)) else { return nil }
        var index = keyword.upperBound
        func skipSpaces() {
            while index < end, declaration[index] == 0x20 || declaration[index] == 0x09 || declaration[index] == 0x0A
                || declaration[index] == 0x0D
            { index += 1 }
        }
        skipSpaces()
        guard index < end, declaration[index] == UInt8(ascii: "=") else { return nil }
        index += 1
        skipSpaces()
        guard index < end, declaration[index] == UInt8(ascii: "\"") || declaration[index] == UInt8(ascii: "'") else {
            return nil
        }
        let quote = declaration[index]
        let valueStart = index + 1
        guard let valueEnd = declaration[valueStart...].firstIndex(of: quote), valueEnd > valueStart else { return nil }
        return String(decoding: declaration[valueStart..<valueEnd], as: UTF8.self)
    }

    /// UTF-8, UTF-16 and UTF-32 byte-order marks.
    static func hasByteOrderMark(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) || bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE])
            || bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF])
    }

    /// True for valid UTF-8 with at least one multi-byte sequence and no NUL byte (which would hint at UTF-16).
    static func isNonASCIIUTF8(_ bytes: [UInt8]) -> Bool {
        guard bytes.contains(where: { $0 >= 0x80 }), !bytes.contains(0) else { return false }
        let failed = transcode(bytes.makeIterator(), from: UTF8.self, to: UTF32.self, stoppingOnError: true) { _ in }
        return !failed
    }

    /// Whether libxml2 (through iconv) can decode `name`.
    static func isKnownToLibXML2(_ name: String) -> Bool {
        LibXML2.prepareThread()
        guard let handler = xmlFindCharEncodingHandler(name) else { return false }
        xmlCharEncCloseFunc(handler)
        return true
    }

    private static func isUTF8Name(_ name: String) -> Bool {
        canonical(name) == "utf8"
    }

    private static func isWideUnicodeName(_ name: String) -> Bool {
        let name = canonical(name)
        return name.hasPrefix("utf16") || name.hasPrefix("utf32") || name.hasPrefix("ucs")
    }

    private static func note(_ message: String) -> FeedProblem {
        FeedProblem(line: nil, message: message)
    }

    /// `UTF-8`, `utf_8` and `utf8` compare equal.
    private static func canonical(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { $0 != "-" && $0 != "_" })
    }
}

extension Substring {
    fileprivate func trimmingWhitespaceCharacters() -> String {
        String(self).trimmingWhitespace()
    }
}
