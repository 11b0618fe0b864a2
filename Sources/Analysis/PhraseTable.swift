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
    private var phraseIndex: [[Int32]: Int32] = [:]
    /// Every phrase's keys, back to back; phrase `p` is `keys[offsets[p]..<offsets[p + 1]]`.
    private var keys: [Int32] = []
    private var offsets: [Int32] = [0]
    /// Per first key (a vocabulary id), the first phrase starting with it, and per phrase the next one with
    /// the same first key: flat arrays, so a lookup on the per-token path copies (and retains) nothing.
    private var firstByKey: [Int32] = []
    private var lastByKey: [Int32] = []
    private var nextWithSameKey: [Int32] = []

    /// Number of phrases stored.
    var count: Int { offsets.count - 1 }

    init(mode: KeyMode) {
        self.mode = mode
    }

    /// Stores a phrase (once) and returns its index.
    mutating func add(_ keys: [Int32]) -> Int32 {
        precondition(!keys.isEmpty, "a phrase has at least one key")
        if let existing = phraseIndex[keys] { return existing }
        let index = Int32(count)
        phraseIndex[keys] = index
        self.keys.append(contentsOf: keys)
        offsets.append(Int32(self.keys.count))
        nextWithSameKey.append(-1)
        let first = Int(keys[0])
        precondition(first >= 0, "phrase keys are vocabulary ids")
        if first >= firstByKey.count {
            firstByKey += Array(repeating: -1, count: first + 1 - firstByKey.count)
            lastByKey += Array(repeating: -1, count: first + 1 - lastByKey.count)
        }
        if lastByKey[first] >= 0 {
            nextWithSameKey[Int(lastByKey[first])] = index
        } else {
            firstByKey[first] = index
        }
        lastByKey[first] = index
        return index
    }

    /// Calls `body(phrase, end, future)` for every phrase starting at token `start` and ending by `limit`.
    /// `future` is true when the first token matched through a reading without the future prefix س.
    /// (Inlined: it runs for every token, and most tokens start no phrase.)
    @inline(__always)
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
        let slot = Int(key)
        guard slot >= 0, slot < firstByKey.count else { return }
        var phrase = firstByKey[slot]
        while phrase >= 0 {
            defer { phrase = nextWithSameKey[Int(phrase)] }
            let first = Int(offsets[Int(phrase)])
            let length = Int(offsets[Int(phrase) + 1]) - first
            let end = start + length
            guard end <= limit else { continue }
            var matched = true
            var offset = 1
            while matched, offset < length {
                let wanted = keys[first + offset]
                switch mode {
                case .stem: matched = field.hasTermKey(start + offset, wanted)
                case .name: matched = field.keys[start + offset].surface == wanted
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
