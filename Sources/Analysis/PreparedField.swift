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
    /// FNV-1a of the light stem's scalars (`Vocabulary.sequenceHash`), for fingerprints.
    var stemHash: UInt64
    /// The first token of the field with the same folded letters (this token itself when none came before):
    /// whatever depends only on the letters can be worked out once per distinct word.
    var first: Int32
}

/// An alternative reading of a token with leading clitics removed.
struct TokenVariant: Sendable {
    var kind: Stemmer.VariantKind
    /// The remainder as folded: `.surface`, or `.articleless` for `afterArticle` readings.
    var surface: Int32
    var bare: Int32
    var stem: Int32
}

/// One field of an article, normalized, tokenized, split into sentences and keyed: the single pass over
/// the text that every matcher then reads.
///
/// A class (immutable, so `Sendable`): the matchers pass it around a lot, and a struct of eight arrays and
/// a string costs as many retains and releases per copy.
final class PreparedField: Sendable {
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
        var variants: [TokenVariant] = []
        // About one distinct Arabic word in four has a reading, a few have two or three: room for them all
        // without regrowing, short titles included.
        variants.reserveCapacity(tokens.count / 2 + 4)
        // Words repeat within a field (particles, names, the story's own words): a repeat takes the keys of
        // the first token with its letters (sharing its readings in `variants`) instead of stemming and
        // looking up again. Open addressing on the folded form's hash, at most half full.
        var tableSize = 16
        while tableSize < tokens.count * 2 { tableSize *= 2 }
        let scalars = text.scalars
        // Token `index`'s keys are written in place, the table through a buffer: an array's `append` and
        // subscript setter check its uniqueness (and capacity) on every token.
        // The table lives only while the keys are made: a temporary allocation, on the stack unless it is large.
        // (Where an array is needed, `Array(repeatElement(_:count:))` rather than `Array(repeating:count:)`: the
        // latter allocates through an unspecialized runtime path that looks up the array type's metadata on
        // every call, hundreds of instructions per article.)
        keys = [TokenKeys](unsafeUninitializedCapacity: tokens.count) { keys, initialized in
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: tableSize) { firstWithText in
        firstWithText.initialize(repeating: -1)
        vocabulary.withLookup { vocabulary in scalars.withUnsafeBufferPointer { buffer in
            for (index, token) in tokens.enumerated() {
                let surfaceHash = Vocabulary.sequenceHash(buffer, token.range)
                var slot = Int(truncatingIfNeeded: surfaceHash ^ (surfaceHash >> 32)) & (tableSize - 1)
                var earlier = -1
                while firstWithText[slot] >= 0 {
                    let candidate = Int(firstWithText[slot])
                    if tokens[candidate].length == token.length,
                        UnsafeBufferPointer(rebasing: buffer[tokens[candidate].range])
                            .elementsEqual(UnsafeBufferPointer(rebasing: buffer[token.range]))
                    {
                        earlier = candidate
                        break
                    }
                    slot = (slot + 1) & (tableSize - 1)
                }
                if earlier >= 0 {
                    keys.initializeElement(at: index, to: keys[earlier])
                    continue
                }
                firstWithText[slot] = Int32(index)

                let firstVariant = Int32(variants.count)
                let bare: Range<Int>
                let stem: Range<Int>
                switch token.kind {
                case .arabic:
                    bare = Stemmer.arabicPrefixStripped(buffer, token.range)
                    stem = Stemmer.arabicSuffixStripped(buffer, bare)
                case .latin:
                    bare = token.range
                    stem = Stemmer.englishStem(scalars, token.range)
                case .number, .other:
                    bare = token.range
                    stem = token.range
                }
                // The stem is a prefix of the bare form, which is a suffix of the token: without a prefix the
                // bare hash is the surface hash, and a stem as long as the bare form shares its hash.
                let bareHash =
                    bare.lowerBound == token.range.lowerBound ? surfaceHash : Vocabulary.sequenceHash(buffer, bare)
                let stemHash = stem == bare ? bareHash : Vocabulary.sequenceHash(buffer, stem)
                let bareID = vocabulary.id(in: buffer, bare, .bare, sequenceHash: bareHash)
                let stemID = vocabulary.id(in: buffer, stem, .stem, sequenceHash: stemHash)
                if token.kind == .arabic {
                    // The buffer, not the array: a closure capturing the array retains and releases it per word.
                    Stemmer.forEachVariant(buffer, token.range) { range, kind in
                        let variantBare = Stemmer.arabicPrefixStripped(buffer, range)
                        // و + word: light10 already dropped the و from the token's own bare form.
                        let same = variantBare == bare
                        let variantStem = same ? stem : Stemmer.arabicSuffixStripped(buffer, variantBare)
                        variants.append(
                            TokenVariant(
                                kind: kind,
                                // Names never start with a future verb: no surface lookup for that reading.
                                surface: kind == .future
                                    ? Vocabulary.absent
                                    : vocabulary.id(in: buffer, range, kind == .afterArticle ? .articleless : .surface),
                                bare: same ? bareID : vocabulary.id(in: buffer, variantBare, .bare),
                                stem: same ? stemID : vocabulary.id(in: buffer, variantStem, .stem)
                            )
                        )
                    }
                }
                keys.initializeElement(
                    at: index,
                    to: TokenKeys(
                        surface: vocabulary.id(in: buffer, token.range, .surface, sequenceHash: surfaceHash),
                        bare: bareID,
                        stem: stemID,
                        variants: firstVariant..<Int32(variants.count),
                        stemHash: stemHash,
                        first: Int32(index)
                    )
                )
            }
            initialized = tokens.count
        } } } }
        self.variants = variants
    }

    /// Original scalar offset where token `index` starts.
    func originalStart(ofToken index: Int) -> Int {
        Int(text.originStart[Int(tokens[index].start)])
    }

    /// Original scalar offset one past the end of token `index`.
    func originalEnd(ofToken index: Int) -> Int {
        text.originEnd(Int(tokens[index].end) - 1)
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
    /// with whether the reading dropped a future س. (Index loops, not slices: no retain per token.)
    @inline(__always)
    func forEachTermKey(_ index: Int, _ body: (Int32, Bool) -> Void) {
        let key = keys[index]
        if key.stem != Vocabulary.absent { body(key.stem, false) }
        if key.bare != Vocabulary.absent { body(key.bare, false) }
        var position = Int(key.variants.lowerBound)
        let end = Int(key.variants.upperBound)
        while position < end {
            let variant = variants[position]
            position += 1
            let future = variant.kind == .future
            // A reading with the same keys as the token itself (و + word) adds nothing.
            if variant.stem != Vocabulary.absent, variant.stem != key.stem || future { body(variant.stem, future) }
            if variant.bare != Vocabulary.absent, variant.bare != key.bare || future { body(variant.bare, future) }
        }
    }

    /// Whether the token (or one of its readings) has stem or bare id `id`.
    @inline(__always)
    func hasTermKey(_ index: Int, _ id: Int32) -> Bool {
        let key = keys[index]
        if key.stem == id || key.bare == id { return true }
        var position = Int(key.variants.lowerBound)
        let end = Int(key.variants.upperBound)
        while position < end {
            if variants[position].stem == id || variants[position].bare == id { return true }
            position += 1
        }
        return false
    }

    /// Whether ``forEachBareKey(_:_:)`` may call its body for the token: false for a word with no bare id and
    /// no readings, as most words are.
    @inline(__always)
    func mayHaveBareKeys(_ index: Int) -> Bool {
        keys[index].bare != Vocabulary.absent || !keys[index].variants.isEmpty
    }

    /// The token's bare id and its variants' bare ids.
    @inline(__always)
    func forEachBareKey(_ index: Int, _ body: (Int32) -> Void) {
        let key = keys[index]
        if key.bare != Vocabulary.absent { body(key.bare) }
        var position = Int(key.variants.lowerBound)
        let end = Int(key.variants.upperBound)
        while position < end {
            let variant = variants[position]
            position += 1
            if variant.bare != Vocabulary.absent, variant.kind == .clitic { body(variant.bare) }
        }
    }

    /// The surface id of the token and, for the first word of a name, of its clitic-stripped readings.
    @inline(__always)
    func forEachNameKey(_ index: Int, _ body: (Int32) -> Void) {
        let key = keys[index]
        if key.surface != Vocabulary.absent { body(key.surface) }
        var position = Int(key.variants.lowerBound)
        let end = Int(key.variants.upperBound)
        while position < end {
            let variant = variants[position]
            position += 1
            if variant.surface != Vocabulary.absent, variant.kind != .future { body(variant.surface) }
        }
    }
}
