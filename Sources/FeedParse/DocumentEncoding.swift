import CLibXML2

/// How a document's bytes are to be decoded, with notes on disagreements, guesses and unusable labels.
struct EncodingChoice: Equatable {
    /// Decode the bytes to UTF-8 with this code page before parsing (and tell libxml2 the result is UTF-8).
    var transcode: CodePage?
    /// The encoding libxml2 is told to use, overriding the XML declaration; nil lets libxml2 decide from the
    /// byte-order mark and the declaration.
    var libxml2Encoding: String?
    /// What the document is read as, for reports: `UTF-8`, `windows-1256`, `UTF-16LE`…
    var name: String
    var problems: [FeedProblem] = []
}

/// Decides how a feed's bytes are decoded (RFC 7303, then detection).
///
/// Order:
/// 1. A byte-order mark always wins (libxml2 reads it; UTF-16 and UTF-32 included).
/// 2. Bytes that are valid UTF-8 and not plain ASCII are UTF-8, whatever the labels say: mislabelled UTF-8 is far
///    more common than legacy text that happens to be valid UTF-8.
/// 3. Otherwise the label: a usable HTTP `Content-Type` charset, else the XML declaration.
/// 4. Bytes that are not UTF-8 with no label, a UTF-8 or unknown label, or a label among windows-1256, ISO-8859-6,
///    windows-1252 / ISO-8859-1 / US-ASCII, are checked by ``EncodingDetector``: an unlabelled document gets
///    the detected code page, a labelled one only when the bytes clearly contradict the label. A guess without
///    clear evidence is still used (every byte maps to a character; nothing is dropped) and is reported.
/// Any other label (KOI8-R, Shift_JIS, ISO-8859-2…) is trusted and handed to libxml2.
enum DocumentEncoding {
    static func choose(for bytes: [UInt8], contentType: String?) -> EncodingChoice {
        if let bomName = byteOrderMarkEncoding(bytes) { return EncodingChoice(name: bomName) }
        let httpCharset = contentType.flatMap(charset(inContentType:))
        let declared = declaredEncoding(in: bytes)
        let scan = ByteScan(bytes)

        if scan.hasNUL {
            // UTF-16/32 without a byte-order mark: libxml2 recognises `<?xml` in those encodings.
            return EncodingChoice(name: unmarkedWideEncoding(bytes) ?? declared ?? "UTF-8")
        }
        if scan.isValidUTF8, scan.hasNonASCII {
            let label = [httpCharset.map { ("Content-Type", $0) }, declared.map { ("XML declaration", $0) }]
                .compactMap { $0 }
                .first { !isUTF8Name($0.1) }
            let problems = label.map { [note("the \($0.0) says \($0.1) but the bytes are valid UTF-8; read as UTF-8")] }
            return EncodingChoice(libxml2Encoding: utf8Label(for: bytes), name: "UTF-8", problems: problems ?? [])
        }

        var problems: [FeedProblem] = []
        // The label in force: the HTTP charset when usable (RFC 7303), else the declaration.
        var label: (source: String, name: String)?
        if let httpCharset {
            if !isKnownToLibXML2(httpCharset) {
                problems.append(note("unknown charset \(httpCharset) in the Content-Type; ignored"))
            } else if isWideUnicodeName(httpCharset) {
                problems.append(note("the Content-Type says \(httpCharset) but the bytes are not UTF-16/32; ignored"))
            } else {
                if let declared, canonical(declared) != canonical(httpCharset) {
                    problems.append(
                        note("the Content-Type charset \(httpCharset) overrides the XML declaration's \(declared)")
                    )
                }
                label = ("Content-Type", httpCharset)
            }
        }
        if label == nil, let declared {
            if isKnownToLibXML2(declared), !isWideUnicodeName(declared) {
                label = ("XML declaration", declared)
            } else {
                let fallback = scan.hasNonASCII ? "its bytes are checked instead" : "read as UTF-8"
                problems.append(note("unknown encoding \(declared) in the XML declaration; \(fallback)"))
            }
        }

        guard scan.hasNonASCII else {
            // Plain ASCII reads the same as UTF-8 under any ASCII-compatible label, without a conversion pass.
            let name = label.map { isUTF8Name($0.name) ? "UTF-8" : $0.name } ?? "UTF-8"
            return EncodingChoice(libxml2Encoding: utf8Label(for: bytes), name: name, problems: problems)
        }

        // Not UTF-8, not wide: a legacy single-byte or multi-byte encoding.
        if let label, !isUTF8Name(label.name), CodePage(label: label.name) == nil {
            return EncodingChoice(libxml2Encoding: label.name, name: label.name, problems: problems)
        }
        let labelled = label.flatMap { CodePage(label: $0.name) }
        guard let verdict = EncodingDetector.detect(bytes) else {
            return EncodingChoice(libxml2Encoding: label?.name, name: label?.name ?? "UTF-8", problems: problems)
        }
        let chosen: CodePage
        if let labelled, let label {
            if verdict.codePage != labelled, verdict.isConfident {
                chosen = verdict.codePage
                problems.append(
                    note(
                        "the \(label.source) says \(label.name) but the bytes read as \(chosen.rawValue); "
                            + "read as \(chosen.rawValue)"
                    )
                )
            } else {
                chosen = labelled
            }
        } else {
            chosen = verdict.codePage
            let why = label.map { "the \($0.source) says \($0.name) but the bytes are not valid UTF-8" }
                ?? "no encoding is declared and the bytes are not valid UTF-8"
            if verdict.isConfident {
                problems.append(note("\(why); detected \(chosen.rawValue) from the bytes"))
            } else {
                problems.append(
                    note(
                        "\(why); the bytes do not clearly match windows-1256, ISO-8859-6 or windows-1252: "
                            + "read as \(chosen.rawValue), the likeliest; some characters may be wrong"
                    )
                )
            }
        }
        return EncodingChoice(transcode: chosen, libxml2Encoding: "UTF-8", name: chosen.rawValue, problems: problems)
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
            let end = firstIndex(of: Array("?>".utf8), in: prefix)
        else { return nil }
        let declaration = prefix[..<end]
        guard let keyword = firstIndex(of: Array("encoding".utf8), in: declaration) else { return nil }
        var index = keyword + 8
        func skipSpaces() {
            while index < end, declaration[index].isXMLWhitespace { index += 1 }
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

    /// The encoding to name to libxml2 for UTF-8 bytes: none when it reads them as UTF-8 by itself (naming
    /// it would only add a conversion pass), else "UTF-8".
    private static func utf8Label(for bytes: [UInt8]) -> String? {
        isReadAsUTF8ByLibXML2(bytes) ? nil : "UTF-8"
    }

    /// Whether libxml2, left to itself, reads `bytes` as UTF-8: no byte-order mark, a `<` (after ASCII white
    /// space) to start with, and an XML declaration that names UTF-8 or no encoding at all, or none (and no
    /// `<?xml` later in the first 512 bytes either). Telling libxml2 "UTF-8" then changes nothing but costs a
    /// pass of its UTF-8 to UTF-8 converter over the whole document, so ``choose(for:contentType:)`` does not.
    static func isReadAsUTF8ByLibXML2(_ bytes: [UInt8]) -> Bool {
        guard byteOrderMarkEncoding(bytes) == nil,
            bytes.first(where: { !$0.isXMLWhitespace }) == UInt8(ascii: "<")
        else { return false }
        let prefix = bytes.prefix(512)
        let xmlDeclarationStart = Array("<?xml".utf8)
        guard prefix.starts(with: xmlDeclarationStart) else {
            return firstIndex(of: xmlDeclarationStart, in: prefix) == nil
        }
        guard let end = firstIndex(of: Array("?>".utf8), in: prefix) else { return false }
        if firstIndex(of: Array("encoding".utf8), in: prefix[..<end]) == nil { return true }
        guard let declared = declaredEncoding(in: bytes)?.uppercased() else { return false }
        return declared == "UTF-8" || declared == "UTF8"
    }

    /// Whether ``choose(for:contentType:)`` can only conclude "UTF-8, nothing to report" for `bytes` once they
    /// turn out to be valid UTF-8: libxml2 reads them as UTF-8 on its own (``isReadAsUTF8ByLibXML2(_:)``) and
    /// the Content-Type names no charset, or UTF-8.
    static func isPlainUTF8Candidate(_ bytes: [UInt8], contentType: String?) -> Bool {
        if let charset = contentType.flatMap(charset(inContentType:)),
            !isUTF8Name(charset) || !isKnownToLibXML2(charset)
        {
            return false
        }
        return isReadAsUTF8ByLibXML2(bytes)
    }

    /// Where `needle` first occurs in `haystack` (a short byte search, without the generic collection algorithms).
    private static func firstIndex(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while index <= last {
            if haystack[index] == first, haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    /// The encoding a byte-order mark announces (UTF-8, UTF-16 or UTF-32), nil without one.
    static func byteOrderMarkEncoding(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return "UTF-8" }
        if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return "UTF-32BE" }
        if bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return "UTF-32LE" }
        if bytes.starts(with: [0xFE, 0xFF]) { return "UTF-16BE" }
        if bytes.starts(with: [0xFF, 0xFE]) { return "UTF-16LE" }
        return nil
    }

    /// UTF-16 recognised from its first character `<` without a byte-order mark (XML 1.0 appendix F).
    private static func unmarkedWideEncoding(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0x3C, 0x00, 0x00, 0x00]) { return "UTF-32LE" }
        if bytes.starts(with: [0x00, 0x00, 0x00, 0x3C]) { return "UTF-32BE" }
        if bytes.starts(with: [0x3C, 0x00]) { return "UTF-16LE" }
        if bytes.starts(with: [0x00, 0x3C]) { return "UTF-16BE" }
        return nil
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

/// One pass over the bytes: is there a NUL, a byte ≥ 0x80, and is it all valid UTF-8?
struct ByteScan {
    private(set) var hasNUL = false
    private(set) var hasNonASCII = false
    private(set) var isValidUTF8 = true

    init(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            let count = buffer.count
            var index = 0
            let raw = UnsafeRawBufferPointer(buffer)
            while index < count {
                // Eight ASCII bytes without a NUL at a time (the bulk of any feed).
                if index + 8 <= count {
                    let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                    let hasHighBit = word & 0x8080_8080_8080_8080 != 0
                    let hasZeroByte = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080 != 0
                    if !hasHighBit, !hasZeroByte {
                        index += 8
                        continue
                    }
                }
                let byte = buffer[index]
                if byte < 0x80 {
                    if byte == 0 { hasNUL = true }
                    index += 1
                    continue
                }
                hasNonASCII = true
                guard isValidUTF8 else {
                    index += 1
                    continue
                }
                // Two-byte characters (Arabic, accented Latin) inline; longer ones in the full check.
                if byte >= 0xC2, byte <= 0xDF, index + 1 < count, buffer[index + 1] & 0xC0 == 0x80 {
                    index += 2
                    // Arabic text: two-byte characters and the spaces between them, without the eight-byte test.
                    while index + 1 < count {
                        let lead = buffer[index]
                        if lead >= 0xC2, lead <= 0xDF, buffer[index + 1] & 0xC0 == 0x80 {
                            index += 2
                        } else if lead == 0x20 {
                            index += 1
                        } else {
                            break
                        }
                    }
                    continue
                }
                let length = Self.sequenceLength(buffer, at: index)
                if length == 0 {
                    isValidUTF8 = false
                    index += 1
                } else {
                    index += length
                }
            }
        }
    }

    /// The length of the valid UTF-8 sequence starting at `index` (a lead byte ≥ 0xC2), 0 when invalid
    /// (overlong forms, surrogates and code points above U+10FFFF included).
    private static func sequenceLength(_ buffer: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let lead = buffer[index]
        let count = buffer.count
        func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            index + offset < count && range.contains(buffer[index + offset])
        }
        switch lead {
        case 0xC2...0xDF:
            return continuation(1) ? 2 : 0
        case 0xE0:
            return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF:
            return continuation(1) && continuation(2) ? 3 : 0
        case 0xED:
            return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : 0
        case 0xF0:
            return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF1...0xF3:
            return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF4:
            return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : 0
        default:
            return 0
        }
    }
}

extension Substring {
    fileprivate func trimmingWhitespaceCharacters() -> String {
        String(self).trimmingWhitespace()
    }
}
