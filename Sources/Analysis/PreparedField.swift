/// Which part of an article a piece of text came from.
enum FieldName: String, Sendable {
    case title, text
}

/// The vocabulary ids of one token, looked up once and shared by every matcher.
struct TokenKeys: Sendable {
    /// The folded token (`Vocabulary.Namespace.surface`).
    var surface: Int32
    /// The token without prefixes (`.bare`).
    var bare: Int32
    /// The light stem (`.stem`).
    var stem: Int32
    /// This token's alternative readings in `PreparedField.variants`.
    var variants: Range<Int32>
}

/// An alternative reading of a token with leading clitics removed.
struct TokenVariant: Sendable {
    var kind: Stemmer.VariantKind
    /// The remainder as folded: `.surface`, or `.articleless` for `afterArticle` readings.
    var surface: Int32
    var bare: Int32
    var stem: Int32
    /// Folded index where the remainder starts.
    var start: Int32
}

/// One field of an article, normalized, tokenized, split into sentences and keyed: the single pass over
/// the text that every matcher then reads.
struct PreparedField: Sendable {
    let name: FieldName
    let text: NormalizedText
    let tokens: [Token]
    let sentences: [Sentence]
    let keys: [TokenKeys]
    let variants: [TokenVariant]

    init(_ string: String, name: FieldName, vocabulary: Vocabulary) {
        self.name = name
        let text = Normalizer.normalize(string)
        let tokens = Tokenizer.tokenize(text)
        self.text = text
        self.tokens = tokens
        sentences = SentenceSplitter.split(text, tokens: tokens)
        var keys: [TokenKeys] = []
        var variants: [TokenVariant] = []
        keys.reserveCapacity(tokens.count)
        let scalars = text.scalars
        for token in tokens {
            let first = Int32(variants.count)
            if token.kind == .arabic {
                Stemmer.forEachVariant(scalars, token.range) { range, kind in
                    let remainder = Token(start: Int32(range.lowerBound), end: Int32(range.upperBound), kind: .arabic)
                    variants.append(
                        TokenVariant(
                            kind: kind,
                            surface: vocabulary.id(
                                of: scalars,
                                range,
                                in: kind == .afterArticle ? .articleless : .surface
                            ),
                            bare: vocabulary.id(of: scalars, Stemmer.bare(scalars, remainder), in: .bare),
                            stem: vocabulary.id(of: scalars, Stemmer.stem(scalars, remainder), in: .stem),
                            start: Int32(range.lowerBound)
                        )
                    )
                }
            }
            keys.append(
                TokenKeys(
                    surface: vocabulary.id(of: scalars, token.range, in: .surface),
                    bare: vocabulary.id(of: scalars, Stemmer.bare(scalars, token), in: .bare),
                    stem: vocabulary.id(of: scalars, Stemmer.stem(scalars, token), in: .stem),
                    variants: first..<Int32(variants.count)
                )
            )
        }
        self.keys = keys
        self.variants = variants
    }

    /// Original scalar offset where token `index` starts.
    func originalStart(ofToken index: Int) -> Int {
        Int(text.originStart[Int(tokens[index].start)])
    }

    /// Original scalar offset one past the end of token `index`.
    func originalEnd(ofToken index: Int) -> Int {
        Int(text.originEnd[Int(tokens[index].end) - 1])
    }

    /// The original text of tokens `range` (with whatever lies between them).
    func originalText(ofTokens range: Range<Int>) -> String {
        text.originalText(originalStart(ofToken: range.lowerBound), originalEnd(ofToken: range.upperBound - 1))
    }

    /// Where a sentence sits, for rules restricted with `where:`.
    func location(ofSentence index: Int) -> RuleLocation {
        switch name {
        case .title: .title
        case .text: index < 2 ? .lead : .body
        }
    }

    /// The ids a term word can match: the stem and the bare form of the token and of each reading,
    /// with whether the reading dropped a future س.
    @inline(__always)
    func forEachTermKey(_ index: Int, _ body: (Int32, Bool) -> Void) {
        let key = keys[index]
        if key.stem != Vocabulary.absent { body(key.stem, false) }
        if key.bare != Vocabulary.absent { body(key.bare, false) }
        for variant in variants[Int(key.variants.lowerBound)..<Int(key.variants.upperBound)] {
            if variant.stem != Vocabulary.absent { body(variant.stem, variant.kind == .future) }
            if variant.bare != Vocabulary.absent { body(variant.bare, variant.kind == .future) }
        }
    }

    /// Whether the token (or one of its readings) has stem or bare id `id`.
    @inline(__always)
    func hasTermKey(_ index: Int, _ id: Int32) -> Bool {
        let key = keys[index]
        if key.stem == id || key.bare == id { return true }
        return variants[Int(key.variants.lowerBound)..<Int(key.variants.upperBound)].contains {
            $0.stem == id || $0.bare == id
        }
    }

    /// The token's bare id and its variants' bare ids.
    @inline(__always)
    func forEachBareKey(_ index: Int, _ body: (Int32) -> Void) {
        let key = keys[index]
        if key.bare != Vocabulary.absent { body(key.bare) }
        for variant in variants[Int(key.variants.lowerBound)..<Int(key.variants.upperBound)]
        where variant.bare != Vocabulary.absent && variant.kind == .clitic {
            body(variant.bare)
        }
    }

    /// The surface id of the token and, for the first word of a name, of its clitic-stripped readings.
    @inline(__always)
    func forEachNameKey(_ index: Int, _ body: (Int32) -> Void) {
        let key = keys[index]
        if key.surface != Vocabulary.absent { body(key.surface) }
        for variant in variants[Int(key.variants.lowerBound)..<Int(key.variants.upperBound)]
        where variant.surface != Vocabulary.absent && variant.kind != .future {
            body(variant.surface)
        }
    }
}
