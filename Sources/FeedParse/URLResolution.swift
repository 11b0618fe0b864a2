/// Resolves relative references against a base URL as RFC 3986 §5.2 describes, and normalises the result.
///
/// Works on the strings as written: non-ASCII characters and spaces pass through untouched
/// (libxml2's `xmlBuildURI` and Foundation's `URL` reject many such real-world links). Absolute results get
/// RFC 3986 §6.2.2–6.2.3 normalisation: scheme and host in lower case, dot segments removed, and an empty
/// http(s) path written as `/`, so that one page has one spelling (links serve as item keys).
enum URLResolution {
    /// `reference` made absolute against `base` and normalised; the reference unchanged when it is relative
    /// and there is no usable (absolute) base.
    static func resolve(_ reference: String, against base: String?) -> String {
        if isNormalizedWebURL(reference) { return reference }
        let reference = reference.trimmingWhitespace()
        let parsedReference = URIParts(reference)
        if parsedReference.scheme != nil { return parsedReference.removingDotSegments().normalized().string }
        guard let base else { return reference }
        let parsedBase = URIParts(base.trimmingWhitespace())
        guard parsedBase.scheme != nil else { return reference }

        var target = URIParts()
        target.scheme = parsedBase.scheme
        if parsedReference.authority != nil {
            target.authority = parsedReference.authority
            target.path = removeDotSegments(parsedReference.path)
            target.query = parsedReference.query
        } else {
            target.authority = parsedBase.authority
            if parsedReference.path.isEmpty {
                target.path = parsedBase.path
                target.query = parsedReference.query ?? parsedBase.query
            } else {
                if parsedReference.path.hasPrefix("/") {
                    target.path = removeDotSegments(parsedReference.path)
                } else {
                    target.path = removeDotSegments(merge(base: parsedBase, relativePath: parsedReference.path))
                }
                target.query = parsedReference.query
            }
        }
        target.fragment = parsedReference.fragment
        return target.normalized().string
    }

    /// Whether `text` is an absolute http(s) URL already in the form ``resolve(_:against:)`` produces (the usual
    /// case, checked without parsing): lower-case scheme and host, a path that starts with `/` and holds no dot
    /// segment, no surrounding whitespace.
    private static let webSchemePrefixes = (https: Array("https://".utf8), http: Array("http://".utf8))

    static func isNormalizedWebURL(_ text: String) -> Bool {
        text.withUTF8Bytes { bytes in
            let https = webSchemePrefixes.https
            let http = webSchemePrefixes.http
            var index: Int
            if bytes.starts(with: https) {
                index = https.count
            } else if bytes.starts(with: http) {
                index = http.count
            } else {
                return false
            }
            let count = bytes.count
            guard let last = bytes.last, last > 0x20, last < 0x80 else { return false }
            // Authority: no upper case, no percent-encoding, ended by the path's "/".
            while index < count, bytes[index] != UInt8(ascii: "/") {
                let byte = bytes[index]
                if (0x41...0x5A).contains(byte) || byte == UInt8(ascii: "%") || byte == UInt8(ascii: "?")
                    || byte == UInt8(ascii: "#") || byte <= 0x20
                {
                    return false
                }
                index += 1
            }
            guard index < count else { return false }
            // Path: no "/." (a dot segment, or a rare dot-file name, left to the full resolution). Eight bytes
            // without ".", "?" or "#" hold neither, and the path goes on.
            while index + 8 <= count, !WordScan.containsDotQuestionOrHash(in: bytes, at: index) { index += 8 }
            while index < count, bytes[index] != UInt8(ascii: "?"), bytes[index] != UInt8(ascii: "#") {
                if bytes[index] == UInt8(ascii: "."), bytes[index - 1] == UInt8(ascii: "/") { return false }
                index += 1
            }
            return true
        }
    }

    /// RFC 3986 §5.2.3.
    private static func merge(base: URIParts, relativePath: String) -> String {
        if base.authority != nil, base.path.isEmpty { return "/" + relativePath }
        guard let slash = base.path.lastIndex(of: "/") else { return relativePath }
        return base.path[...slash] + relativePath
    }

    /// RFC 3986 §5.2.4: interprets `.` and `..` segments.
    static func removeDotSegments(_ path: String) -> String {
        guard path.contains(".") else { return path }
        var input = Substring(path)
        var output: [Substring] = []
        while !input.isEmpty {
            if input.hasPrefix("../") {
                input = input.dropFirst(3)
            } else if input.hasPrefix("./") {
                input = input.dropFirst(2)
            } else if input.hasPrefix("/./") {
                input = input.dropFirst(2)
            } else if input == "/." {
                input = "/"
            } else if input.hasPrefix("/../") {
                input = input.dropFirst(3)
                if !output.isEmpty { output.removeLast() }
            } else if input == "/.." {
                input = "/"
                if !output.isEmpty { output.removeLast() }
            } else if input == "." || input == ".." {
                input = ""
            } else {
                // Move the first segment (with its leading "/", if any) to the output.
                let searchStart = input.hasPrefix("/") ? input.index(after: input.startIndex) : input.startIndex
                let end = input[searchStart...].firstIndex(of: "/") ?? input.endIndex
                output.append(input[..<end])
                input = input[end...]
            }
        }
        return output.joined()
    }
}

/// The five components of a URI reference (RFC 3986 appendix B).
private struct URIParts {
    var scheme: String?
    var authority: String?
    var path = ""
    var query: String?
    var fragment: String?

    init() {}

    init(_ text: String) {
        var rest = Substring(text)
        if let colon = rest.firstIndex(of: ":"), Self.isScheme(rest[..<colon]) {
            scheme = String(rest[..<colon])
            rest = rest[rest.index(after: colon)...]
        }
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        if let question = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: question)...])
            rest = rest[..<question]
        }
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            authority = String(rest[..<end])
            rest = rest[end...]
        }
        path = String(rest)
    }

    /// The reference with its path's dot segments removed (for already-absolute references).
    func removingDotSegments() -> URIParts {
        var copy = self
        copy.path = URLResolution.removeDotSegments(path)
        return copy
    }

    /// RFC 3986 §6.2.2.1 and §6.2.3: scheme and host lower-cased, an empty http(s) path made `/`.
    func normalized() -> URIParts {
        var copy = self
        copy.scheme = scheme?.lowercased()
        if let authority, !authority.contains("%") {
            // Only the host is case-insensitive: user information keeps its case.
            if let at = authority.lastIndex(of: "@") {
                copy.authority = authority[...at] + authority[authority.index(after: at)...].lowercased()
            } else {
                copy.authority = authority.lowercased()
            }
        }
        if authority != nil, path.isEmpty, copy.scheme == "http" || copy.scheme == "https" {
            copy.path = "/"
        }
        return copy
    }

    /// RFC 3986 §5.3 recomposition.
    var string: String {
        var result = ""
        if let scheme { result += scheme + ":" }
        if let authority { result += "//" + authority }
        result += path
        if let query { result += "?" + query }
        if let fragment { result += "#" + fragment }
        return result
    }

    /// `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`.
    private static func isScheme(_ candidate: Substring) -> Bool {
        guard let first = candidate.utf8.first, first.isASCIILetter else { return false }
        return candidate.utf8.allSatisfy {
            $0.isASCIILetter || $0.isASCIIDigit || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-")
                || $0 == UInt8(ascii: ".")
        }
    }
}
