/// Resolves relative references against a base URL as RFC 3986 §5.2 describes.
///
/// Works on the strings as written: non-ASCII characters and spaces pass through untouched
/// (libxml2's `xmlBuildURI` and Foundation's `URL` reject many such real-world links).
enum URLResolution {
    /// `reference` made absolute against `base`; the reference unchanged when it is already absolute
    /// or when there is no usable (absolute) base.
    static func resolve(_ reference: String, against base: String?) -> String {
        let reference = reference.trimmingWhitespace()
        let parsedReference = URIParts(reference)
        if parsedReference.scheme != nil { return parsedReference.removingDotSegments().string }
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
        return target.string
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
