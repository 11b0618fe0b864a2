/// A mention of a gazetteer entity: tokens `tokenStart..<tokenEnd` of a field.
struct EntityMentionSpan: Sendable {
    var entity: Int32
    var tokenStart: Int32
    var tokenEnd: Int32
    /// An exact name match (high confidence) rather than a fuzzy one.
    var exact: Bool
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
    private var entitiesByPhrase: [[Int32]] = []
    private var entitiesBySkeleton: [Int32: [Int32]] = [:]
    private var fuzzyNames: [(entity: Int32, scalars: [UInt32])] = []
    private var fuzzyNamesByDeletion: [Int32: [Int32]] = [:]

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
        }
    }

    private mutating func addName(
        _ name: String,
        entity: Int32,
        fuzzy: Bool,
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
        register(keys, entity)
        let article: [UInt32] = [0x0627, 0x0644]
        if first.kind == .arabic, first.length >= 5, scalars[first.range].starts(with: article) {
            keys[0] = vocabulary.insert(
                scalars[(first.range.lowerBound + 2)..<first.range.upperBound],
                in: .articleless
            )
            register(keys, entity)
        }
        guard fuzzy, tokens.count == 1 else { return }
        if first.kind == .arabic {
            var skeleton: [UInt32] = []
            Self.skeleton(scalars[first.range], into: &skeleton)
            if skeleton.count >= Self.skeletonMinimum {
                let key = vocabulary.insert(skeleton, in: .skeleton)
                if entitiesBySkeleton[key]?.contains(entity) != true {
                    entitiesBySkeleton[key, default: []].append(entity)
                }
            }
        }
        if first.kind == .arabic || first.kind == .latin, first.length >= Self.editMinimum {
            let slice = scalars[first.range]
            let index = Int32(fuzzyNames.count)
            fuzzyNames.append((entity, Array(slice)))
            fuzzyNamesByDeletion[vocabulary.insert(slice, in: .deletion), default: []].append(index)
            for skipped in slice.indices {
                let key = vocabulary.insert(SliceSkippingOne(base: slice, skipped: skipped), in: .deletion)
                if fuzzyNamesByDeletion[key]?.last != index { fuzzyNamesByDeletion[key, default: []].append(index) }
            }
        }
    }

    private mutating func register(_ keys: [Int32], _ entity: Int32) {
        let phrase = Int(names.add(keys))
        if phrase == entitiesByPhrase.count { entitiesByPhrase.append([]) }
        if !entitiesByPhrase[phrase].contains(entity) { entitiesByPhrase[phrase].append(entity) }
    }

    // MARK: Matching

    /// Every mention in `field`, in text order; names never cross a sentence boundary.
    func mentions(in field: PreparedField, vocabulary: Vocabulary) -> [EntityMentionSpan] {
        var found: [EntityMentionSpan] = []
        var scratch: [UInt32] = []
        for sentence in field.sentences {
            var position = sentence.tokenStart
            while position < sentence.tokenEnd {
                var longest: (phrase: Int32, end: Int)?
                names.forEachMatch(in: field, at: position, limit: sentence.tokenEnd) { phrase, end, _ in
                    if end > longest?.end ?? 0 { longest = (phrase, end) }
                }
                if let match = longest, capitalizedIfLatin(field, position) {
                    for entity in entitiesByPhrase[Int(match.phrase)] {
                        found.append(
                            EntityMentionSpan(
                                entity: entity,
                                tokenStart: Int32(position),
                                tokenEnd: Int32(match.end),
                                exact: true
                            )
                        )
                    }
                    position = match.end
                    continue
                }
                if let entity = fuzzyMatch(field, position, vocabulary, &scratch) {
                    found.append(
                        EntityMentionSpan(
                            entity: entity,
                            tokenStart: Int32(position),
                            tokenEnd: Int32(position + 1),
                            exact: false
                        )
                    )
                }
                position += 1
            }
        }
        return found
    }

    private func capitalizedIfLatin(_ field: PreparedField, _ token: Int) -> Bool {
        guard field.tokens[token].kind == .latin else { return true }
        return field.text.original[field.originalStart(ofToken: token)].properties.isUppercase
    }

    private func fuzzyMatch(
        _ field: PreparedField,
        _ position: Int,
        _ vocabulary: Vocabulary,
        _ scratch: inout [UInt32]
    ) -> Int32? {
        let token = field.tokens[position]
        let keys = field.keys[position]
        guard token.kind == .arabic || token.kind == .latin, token.length >= Self.skeletonMinimum,
            keys.stem == Vocabulary.absent, capitalizedIfLatin(field, position)
        else { return nil }
        func allowed(_ entity: Int32) -> Bool {
            !entries[Int(entity)].exceptions.contains(keys.surface)
        }
        let scalars = field.text.scalars
        if token.kind == .arabic {
            Self.skeleton(scalars[Stemmer.bare(scalars, token)], into: &scratch)
            if scratch.count >= Self.skeletonMinimum {
                let key = vocabulary.id(of: scratch, in: .skeleton)
                if let entity = entitiesBySkeleton[key]?.first(where: allowed) { return entity }
            }
        }
        guard token.length >= Self.editMinimum - 1 else { return nil }
        let slice = scalars[token.range]
        func check(_ key: Int32) -> Int32? {
            guard key != Vocabulary.absent, let candidates = fuzzyNamesByDeletion[key] else { return nil }
            for candidate in candidates {
                let name = fuzzyNames[Int(candidate)]
                if name.scalars.first == slice.first, Self.withinOneEdit(slice, name.scalars), allowed(name.entity) {
                    return name.entity
                }
            }
            return nil
        }
        if let entity = check(vocabulary.id(of: slice, in: .deletion)) { return entity }
        for skipped in slice.indices {
            if let entity = check(vocabulary.id(of: SliceSkippingOne(base: slice, skipped: skipped), in: .deletion)) {
                return entity
            }
        }
        return nil
    }

    /// Consonant skeleton of an Arabic word: fold look-alike consonants (ط→ت ض→د ظ→ز ص ث→س ذ→ز ق غ ج→ك
    /// ح خ→ه ع ء→ا), drop a leading ال, drop inner ا و ي, collapse doubled letters.
    static func skeleton(_ word: ArraySlice<UInt32>, into buffer: inout [UInt32]) {
        buffer.removeAll(keepingCapacity: true)
        var letters = word[...]
        if letters.count > 4, letters.starts(with: [0x0627, 0x0644]) { letters = letters.dropFirst(2) }
        let last = letters.count - 1
        for (offset, letter) in letters.enumerated() {
            let folded: UInt32 =
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
            if offset > 0, offset < last, folded == 0x0627 || folded == 0x0648 || folded == 0x064A { continue }
            if buffer.last == folded { continue }
            buffer.append(folded)
        }
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
