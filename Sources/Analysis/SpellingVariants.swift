/// Orthographic variants that normalization cannot fold because both spellings are standard
/// (ميليشيا / مليشيا, أمريكية / أميركية). Rule terms and entity names are expanded to every variant
/// when compiled, so a rule file needs to list only one spelling and matching costs nothing extra.
enum SpellingVariants {
    /// Pairs of folded spellings that are interchangeable inside a word.
    private static let pairs: [([UInt32], [UInt32])] = [
        ("ميليش", "مليش"),
        ("امريك", "اميرك"),
    ].map { (Normalizer.key($0.0), Normalizer.key($0.1)) }

    /// `text` and each of its variants (at most one substitution per pair), `text` first.
    static func expand(_ text: String) -> [String] {
        let folded = Normalizer.key(text)
        var results: [[UInt32]] = [folded]
        for (first, second) in pairs {
            for existing in results {
                for (from, to) in [(first, second), (second, first)] {
                    let replaced = replacing(from, with: to, in: existing)
                    if replaced != existing, !results.contains(replaced) { results.append(replaced) }
                }
            }
        }
        return [text] + results.dropFirst().map { String(String.UnicodeScalarView($0.compactMap(Unicode.Scalar.init))) }
    }

    private static func replacing(_ pattern: [UInt32], with replacement: [UInt32], in text: [UInt32]) -> [UInt32] {
        guard text.count >= pattern.count else { return text }
        var result: [UInt32] = []
        result.reserveCapacity(text.count + 2)
        var index = 0
        while index < text.count {
            if index + pattern.count <= text.count, text[index..<(index + pattern.count)].elementsEqual(pattern) {
                result.append(contentsOf: replacement)
                index += pattern.count
            } else {
                result.append(text[index])
                index += 1
            }
        }
        return result
    }
}
