/// A mention of a gazetteer entity: tokens `tokenStart..<tokenEnd` of a field.
struct EntityMentionSpan: Sendable {
    var entity: Int32
    var tokenStart: Int32
    var tokenEnd: Int32
    /// An exact name match (high confidence) rather than a fuzzy one.
    var exact: Bool
    /// Matched through an adjective or people form (التركي, الأتراك, Turkish), not a name.
    var adjective: Bool = false
}

/// The entity gazetteer, compiled once.
///
/// Tiers, per position: (1) the longest exact name on folded, unstemmed tokens, with Arabic proclitics
/// allowed on the first word (بالعراق, والكاظمي, للولايات → الولايات); (2) for single-word Arabic names
/// whose consonant skeleton has 4+ letters, an equal skeleton (ترمب, واشنطون); (3) for single-word names
/// of 6+ letters, one edit (واشنكن, Kadhemi). Tiers 2 and 3 are low confidence and skip tokens that are
/// lexicon words or listed as exceptions. Latin-script mentions must start with a capital letter.
struct Gazetteer: Sendable {
    struct Entry: Sendable {
        var id: String
        var type: String
        var name: String
        var exceptions: Set<Int32>
    }

    private static let skeletonMinimum = 4
    private static let editMinimum = 6

    private(set) var entries: [Entry] = []
    private var names = PhraseTable(mode: .name)
    /// For each name phrase, the entities it names and whether it is their adjective form.
    private var entitiesByPhrase: [[(entity: Int32, adjective: Bool)]] = []
    private var entitiesBySkeleton = IDTable<[Int32]>()
    private var fuzzyNames: [(entity: Int32, scalars: [UInt32])] = []
    private var fuzzyNamesByDeletion = DeletionIndex()
    /// Which first letters (folded scalars below 0x700) and lengths one-edit names have: a cheap pre-check.
    private var fuzzyLengths = 0..<0
    /// Letter pairs that open a one-edit name (its 1st and 2nd, and 1st and 3rd letters): a token one edit
    /// away with the same first letter opens with one of them at positions (1, 2) or (1, 3).
    private var editPairs = LetterPairFilter()
    /// The first three letters of every name skeleton: most words are rejected after three letters.
    private var skeletonOpenings = LetterTripleFilter()

    init(entities: [EntityDefinition], vocabulary: inout Vocabulary) throws(AnalyzerConfigError) {
        var seen: Set<String> = []
        for definition in entities {
            guard !definition.id.isEmpty else {
                throw AnalyzerConfigError(topic: nil, message: "an entity has an empty id")
            }
            guard seen.insert(definition.id).inserted else {
                throw AnalyzerConfigError(topic: definition.id, message: "duplicate entity id")
            }
            guard EntityDefinition.types.contains(definition.type) else {
                throw AnalyzerConfigError(topic: definition.id, message: "unknown entity type '\(definition.type)'")
            }
            let allNames = definition.arabicNames + definition.englishNames
            guard !allNames.isEmpty else {
                throw AnalyzerConfigError(topic: definition.id, message: "an entity needs names")
            }
            let entity = Int32(entries.count)
            var exceptions: Set<Int32> = []
            for word in definition.fuzzyExceptions {
                let text = Normalizer.normalize(word)
                for token in Tokenizer.tokenize(text) {
                    exceptions.insert(vocabulary.insert(text.scalars[token.range], in: .surface))
                }
            }
            entries.append(
                Entry(id: definition.id, type: definition.type, name: definition.name, exceptions: exceptions)
            )
            for name in allNames {
                for spelling in SpellingVariants.expand(name) {
                    try addName(spelling, entity: entity, fuzzy: definition.fuzzy, id: definition.id, &vocabulary)
                }
            }
            for adjective in definition.adjectives {
                for form in Self.adjectiveForms(adjective) {
                    for spelling in SpellingVariants.expand(form) {
                        try addName(spelling, entity: entity, adjective: true, id: definition.id, &vocabulary)
                    }
                }
            }
        }
    }

    /// The forms an adjective entry stands for: an Arabic nisba in ي gets the feminine, plural and dual
    /// endings, each with and without ال; anything else is taken as written.
    static func adjectiveForms(_ adjective: String) -> [String] {
        let folded = Normalizer.key(adjective)
        guard folded.count >= 3, folded.allSatisfy(ScalarClass.isArabicLetter), folded.last == 0x064A else {
            return [adjective]
        }
        var forms: [String] = []
        for ending in ["", "ة", "ين", "ون", "ان", "تين", "تان"] {
            forms.append(adjective + ending)
            if !folded.starts(with: [0x0627, 0x0644]) { forms.append("ال" + adjective + ending) }
        }
        return forms
    }

    private mutating func addName(
        _ name: String,
        entity: Int32,
        fuzzy: Bool = false,
        adjective: Bool = false,
        id: String,
        _ vocabulary: inout Vocabulary
    ) throws(AnalyzerConfigError) {
        let text = Normalizer.normalize(name)
        let tokens = Tokenizer.tokenize(text)
        guard let first = tokens.first else {
            throw AnalyzerConfigError(topic: id, message: "name '\(name)' has no words")
        }
        let scalars = text.scalars
        var keys = tokens.map { vocabulary.insert(scalars[$0.range], in: .surface) }
        register(keys, entity, adjective: adjective)
        let article: [UInt32] = [0x0627, 0x0644]
        if first.kind == .arabic, first.length >= 5, scalars[first.range].starts(with: article) {
            keys[0] = vocabulary.insert(
                scalars[(first.range.lowerBound + 2)..<first.range.upperBound],
                in: .articleless
            )
            register(keys, entity, adjective: adjective)
        }
        guard fuzzy, tokens.count == 1 else { return }
        if first.kind == .arabic {
            var skeleton: [UInt32] = []
            Self.skeleton(scalars[first.range], into: &skeleton)
            if skeleton.count >= Self.skeletonMinimum {
                skeletonOpenings.insert(skeleton[0], skeleton[1], skeleton[2])
                let key = vocabulary.insert(skeleton, in: .skeleton)
                if entitiesBySkeleton[key]?.contains(entity) != true {
                    entitiesBySkeleton[key, default: []].append(entity)
                }
            }
        }
        if first.kind == .arabic || first.kind == .latin, first.length >= Self.editMinimum {
            let slice = scalars[first.range]
            let head = Self.afterArticle(slice)
            if head.count >= 3 {
                editPairs.insert(head[head.startIndex], head[head.startIndex + 1])
                editPairs.insert(head[head.startIndex], head[head.startIndex + 2])
            }
            let lengths = (slice.count - 1)..<(slice.count + 2)
            fuzzyLengths =
                fuzzyLengths.isEmpty
                ? lengths : min(fuzzyLengths.lowerBound, lengths.lowerBound)..<max(fuzzyLengths.upperBound, lengths.upperBound)
            fuzzyNamesByDeletion.insert(slice, id: Int32(fuzzyNames.count))
            fuzzyNames.append((entity, Array(slice)))
        }
    }

    private mutating func register(_ keys: [Int32], _ entity: Int32, adjective: Bool) {
        let phrase = Int(names.add(keys))
        if phrase == entitiesByPhrase.count { entitiesByPhrase.append([]) }
        // A name wins over an adjective form of the same words.
        if let index = entitiesByPhrase[phrase].firstIndex(where: { $0.entity == entity }) {
            entitiesByPhrase[phrase][index].adjective = entitiesByPhrase[phrase][index].adjective && adjective
        } else {
            entitiesByPhrase[phrase].append((entity, adjective))
        }
    }

    // MARK: Matching

    /// Appends every mention in `field` to `found`, in text order; names never cross a sentence boundary.
    func mentions(in field: PreparedField, vocabulary: Vocabulary, into found: inout [EntityMentionSpan]) {
        var scratch: [UInt32] = []
        // The fuzzy match of each distinct word (by its first token), once tried: a temporary allocation, on
        // the stack unless the field is long.
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: field.tokens.count) { fuzzyResults in
        fuzzyResults.initialize(repeating: Self.notTried)
        for sentence in field.sentences {
            var position = sentence.tokenStart
            while position < sentence.tokenEnd {
                var longest: (phrase: Int32, end: Int)?
                names.forEachMatch(in: field, at: position, limit: sentence.tokenEnd) { phrase, end, _ in
                    if end > longest?.end ?? 0 { longest = (phrase, end) }
                }
                if let match = longest, capitalizedIfLatin(field, position) {
                    for (entity, adjective) in entitiesByPhrase[Int(match.phrase)] {
                        found.append(
                            EntityMentionSpan(
                                entity: entity,
                                tokenStart: Int32(position),
                                tokenEnd: Int32(match.end),
                                exact: true,
                                adjective: adjective
                            )
                        )
                    }
                    position = match.end
                    continue
                }
                if fuzzyCandidate(field, position) {
                    // The rest depends only on the word's letters: worked out once per distinct word.
                    let first = Int(field.keys[position].first)
                    if fuzzyResults[first] == Self.notTried {
                        fuzzyResults[first] = fuzzyMatch(field, position, vocabulary, &scratch) ?? Self.noEntity
                    }
                    let entity = fuzzyResults[first]
                    if entity >= 0 {
                        found.append(
                            EntityMentionSpan(
                                entity: entity,
                                tokenStart: Int32(position),
                                tokenEnd: Int32(position + 1),
                                exact: false
                            )
                        )
                    }
                }
                position += 1
            }
        }
        }
    }

    private func capitalizedIfLatin(_ field: PreparedField, _ token: Int) -> Bool {
        guard field.tokens[token].kind == .latin else { return true }
        let first = field.text.originalScalar(field.originalStart(ofToken: token))
        if first.value < 0x80 { return (0x41...0x5A).contains(first.value) }
        return first.properties.isUppercase
    }

    private static let notTried: Int32 = -2
    private static let noEntity: Int32 = -1

    /// Whether token `position` may be a fuzzy mention at all: a long enough word that is no rule term,
    /// capitalized if Latin (the one test that depends on the occurrence, not only on the letters).
    private func fuzzyCandidate(_ field: PreparedField, _ position: Int) -> Bool {
        let token = field.tokens[position]
        return (token.kind == .arabic || token.kind == .latin) && token.length >= Self.skeletonMinimum
            && field.keys[position].stem == Vocabulary.absent && capitalizedIfLatin(field, position)
    }

    /// The entity a `fuzzyCandidate` token names within a skeleton or one edit, or nil; depends only on
    /// the token's letters.
    private func fuzzyMatch(
        _ field: PreparedField,
        _ position: Int,
        _ vocabulary: Vocabulary,
        _ scratch: inout [UInt32]
    ) -> Int32? {
        let token = field.tokens[position]
        let keys = field.keys[position]
        func allowed(_ entity: Int32) -> Bool {
            !entries[Int(entity)].exceptions.contains(keys.surface)
        }
        let scalars = field.text.scalars
        let bare = token.kind == .arabic ? Stemmer.bare(scalars, token) : nil
        // The opening filter already said whether the skeleton's first three letters can name anything.
        if let bare, scalars.withUnsafeBufferPointer({ skeletonOpenings.contains(opening: $0, bare) }) {
            let length = Self.skeleton(scalars[bare], into: &scratch, trim: false)
            if length >= Self.skeletonMinimum,
                let entity = entitiesBySkeleton[vocabulary.id(of: scratch[..<length], in: .skeleton)]?.first(where: allowed)
            {
                return entity
            }
        }
        guard token.length >= Self.editMinimum - 1, fuzzyLengths.contains(token.length) else { return nil }
        let slice = scalars[token.range]
        let head = Self.afterArticle(slice)
        guard head.count >= 3 else { return nil }
        let first = head[head.startIndex]
        guard editPairs.contains(first, head[head.startIndex + 1]) || editPairs.contains(first, head[head.startIndex + 2])
        else { return nil }
        var found: Int32?
        fuzzyNamesByDeletion.search(slice) { candidate in
            let name = fuzzyNames[Int(candidate)]
            guard name.scalars.first == slice.first, Self.withinOneEdit(slice, name.scalars), allowed(name.entity)
            else { return false }
            found = name.entity
            return true
        }
        return found
    }

    /// Consonant skeleton of an Arabic word: fold look-alike consonants (ط→ت ض→د ظ→ز ص ث→س ذ→ز ق غ ج→ك
    /// ح خ→ه ع ء→ا), drop a leading ال, drop inner ا و ي, collapse doubled letters.
    /// Returns the skeleton's length: `buffer[..<length]`; letters past it are stale (the buffer is reused).
    @discardableResult
    static func skeleton(
        _ word: ArraySlice<UInt32>,
        into buffer: inout [UInt32],
        trim: Bool = true
    ) -> Int {
        // Reuse the buffer's storage: overwrite, then trim (removeAll(keepingCapacity:) is slow per token).
        var count = 0
        func emit(_ letter: UInt32) {
            if count < buffer.count { buffer[count] = letter } else { buffer.append(letter) }
            count += 1
        }
        var start = word.startIndex
        let end = word.endIndex
        if end - start > 4, word[start] == 0x0627, word[start + 1] == 0x0644 { start += 2 }
        var previous: UInt32 = 0
        var index = start
        while index < end {
            let letter = word[index]
            let folded = foldConsonant(letter)
            let inner = index > start && index < end - 1
            index += 1
            if inner, folded == 0x0627 || folded == 0x0648 || folded == 0x064A { continue }
            if count > 0, previous == folded { continue }
            emit(folded)
            previous = folded
        }
        if trim, buffer.count > count { buffer.removeLast(buffer.count - count) }
        return count
    }

    /// The skeleton class of a letter (look-alike consonants share one).
    @inline(__always)
    static func foldConsonant(_ letter: UInt32) -> UInt32 {
        switch letter {
        case 0x0637: 0x062A
        case 0x0636: 0x062F
        case 0x0638, 0x0630: 0x0632
        case 0x0635, 0x062B: 0x0633
        case 0x0642, 0x063A, 0x062C: 0x0643
        case 0x062D, 0x062E: 0x0647
        case 0x0639, 0x0621: 0x0627
        default: letter
        }
    }

    /// The word without a leading ال (when more than two letters remain), for the letter-pair pre-check:
    /// a name and a token one edit apart both have the article or both lack it.
    static func afterArticle(_ word: ArraySlice<UInt32>) -> ArraySlice<UInt32> {
        let start = word.startIndex
        if word.count > 4, word[start] == 0x0627, word[start + 1] == 0x0644 { return word[(start + 2)...] }
        return word
    }

    /// Levenshtein distance at most one.
    static func withinOneEdit(_ a: ArraySlice<UInt32>, _ b: [UInt32]) -> Bool {
        let lengthA = a.count
        let lengthB = b.count
        guard abs(lengthA - lengthB) <= 1 else { return false }
        var i = a.startIndex
        var j = 0
        var edits = 0
        while i < a.endIndex, j < lengthB {
            if a[i] == b[j] {
                i += 1
                j += 1
                continue
            }
            edits += 1
            if edits > 1 { return false }
            if lengthA > lengthB {
                i += 1
            } else if lengthA < lengthB {
                j += 1
            } else {
                i += 1
                j += 1
            }
        }
        edits += (a.endIndex - i) + (lengthB - j)
        return edits <= 1
    }
}

/// A 4096-bit set of letter pairs (each letter reduced to its low six bits): a cheap, conservative
/// pre-check before a fuzzy lookup.
struct LetterPairFilter: Sendable {
    private var bits = [UInt64](repeating: 0, count: 64)

    private static func index(_ first: UInt32, _ second: UInt32) -> Int {
        Int((first & 63) << 6 | (second & 63))
    }

    mutating func insert(_ first: UInt32, _ second: UInt32) {
        let index = Self.index(first, second)
        bits[index >> 6] |= 1 << UInt64(index & 63)
    }

    func contains(_ first: UInt32, _ second: UInt32) -> Bool {
        let index = Self.index(first, second)
        return bits[index >> 6] & (1 << UInt64(index & 63)) != 0
    }
}

/// A 2^18-bit set of letter triples (each letter reduced to its low six bits): the opening of every name
/// skeleton, checked before the rest of a word's skeleton is built.
struct LetterTripleFilter: Sendable {
    private var bits = [UInt64](repeating: 0, count: 1 << 12)

    private static func index(_ first: UInt32, _ second: UInt32, _ third: UInt32) -> Int {
        Int((first & 63) << 12 | (second & 63) << 6 | (third & 63))
    }

    mutating func insert(_ first: UInt32, _ second: UInt32, _ third: UInt32) {
        let index = Self.index(first, second, third)
        bits[index >> 6] |= 1 << UInt64(index & 63)
    }

    func contains(_ first: UInt32, _ second: UInt32, _ third: UInt32) -> Bool {
        let index = Self.index(first, second, third)
        return bits[index >> 6] & (1 << UInt64(index & 63)) != 0
    }

    /// Whether the first three letters of the skeleton of `text[range]` (as `Gazetteer.skeleton` builds it)
    /// are in the set; true when the skeleton is shorter. No scratch array: the cheap test before the real one.
    /// (It runs for most long words: the text comes as a buffer pointer, read with no bounds check per letter.)
    func contains(opening text: UnsafeBufferPointer<UInt32>, _ range: Range<Int>) -> Bool {
        var start = range.lowerBound
        let end = range.upperBound
        if end - start > 4, text[start] == 0x0627, text[start + 1] == 0x0644 { start += 2 }
        var first: UInt32 = 0
        var second: UInt32 = 0
        var count = 0
        var previous: UInt32 = 0
        var index = start
        while index < end {
            let folded = Gazetteer.foldConsonant(text[index])
            let inner = index > start && index < end - 1
            index += 1
            if inner, folded == 0x0627 || folded == 0x0648 || folded == 0x064A { continue }
            if count > 0, previous == folded { continue }
            switch count {
            case 0: first = folded
            case 1: second = folded
            default: return contains(first, second, folded)
            }
            count += 1
            previous = folded
        }
        return true
    }
}

