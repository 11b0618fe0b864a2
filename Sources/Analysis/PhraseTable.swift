/// Phrases (sequences of token keys) indexed by their first key, so matching costs one dictionary
/// lookup per reading of a token however many phrases there are.
struct PhraseTable: Sendable {
    /// Which token ids a phrase is compared with.
    enum KeyMode: Sendable {
        /// Light stems (or bare forms, for exact terms), with clitic-stripped readings on every token
        /// (topic terms, cues, units).
        case stem
        /// Folded surface forms; clitic-stripped readings only on the first token (entity names).
        case name
    }

    let mode: KeyMode
    private(set) var phrases: [[Int32]] = []
    private var phraseIndex: [[Int32]: Int32] = [:]
    private var phrasesByFirstKey: [Int32: [Int32]] = [:]

    init(mode: KeyMode) {
        self.mode = mode
    }

    /// Stores a phrase (once) and returns its index.
    mutating func add(_ keys: [Int32]) -> Int32 {
        precondition(!keys.isEmpty, "a phrase has at least one key")
        if let existing = phraseIndex[keys] { return existing }
        let index = Int32(phrases.count)
        phrases.append(keys)
        phraseIndex[keys] = index
        phrasesByFirstKey[keys[0], default: []].append(index)
        return index
    }

    /// Calls `body(phrase, end, future)` for every phrase starting at token `start` and ending by `limit`.
    /// `future` is true when the first token matched through a reading without the future prefix س.
    func forEachMatch(
        in field: PreparedField,
        at start: Int,
        limit: Int,
        _ body: (_ phrase: Int32, _ end: Int, _ future: Bool) -> Void
    ) {
        switch mode {
        case .stem:
            field.forEachTermKey(start) { key, future in
                visit(key, field, start, limit, future, body)
            }
        case .name:
            field.forEachNameKey(start) { key in
                visit(key, field, start, limit, false, body)
            }
        }
    }

    private func visit(
        _ key: Int32,
        _ field: PreparedField,
        _ start: Int,
        _ limit: Int,
        _ future: Bool,
        _ body: (Int32, Int, Bool) -> Void
    ) {
        guard let candidates = phrasesByFirstKey[key] else { return }
        for phrase in candidates {
            let keys = phrases[Int(phrase)]
            let end = start + keys.count
            guard end <= limit else { continue }
            var matched = true
            var offset = 1
            while matched, offset < keys.count {
                switch mode {
                case .stem: matched = field.hasTermKey(start + offset, keys[offset])
                case .name: matched = field.keys[start + offset].surface == keys[offset]
                }
                offset += 1
            }
            if matched { body(phrase, end, future) }
        }
    }
}

extension Vocabulary {
    /// The keys of a rule term: stems, or bare forms when the term starts with "=" (exact form,
    /// suffixes significant: "=مظاهرات" does not match مظاهر); `nil` when it has no words.
    mutating func termKeys(of term: String) -> [Int32]? {
        term.hasPrefix("=") ? bareKeys(of: String(term.dropFirst())) : stemKeys(of: term)
    }

    /// Normalizes, tokenizes and stems `term`, storing each token's stem; `nil` when it has no words.
    mutating func stemKeys(of term: String) -> [Int32]? {
        let text = Normalizer.normalize(term)
        let tokens = Tokenizer.tokenize(text)
        guard !tokens.isEmpty else { return nil }
        return tokens.map { insert(text.scalars[Stemmer.stem(text.scalars, $0)], in: .stem) }
    }

    /// Normalizes and tokenizes `term`, storing each token's bare form (prefixes removed, suffixes kept).
    mutating func bareKeys(of term: String) -> [Int32]? {
        let text = Normalizer.normalize(term)
        let tokens = Tokenizer.tokenize(text)
        guard !tokens.isEmpty else { return nil }
        return tokens.map { insert(text.scalars[Stemmer.bare(text.scalars, $0)], in: .bare) }
    }
}
