/// Interns folded scalar sequences as dense integer ids, so lookups hash a slice of the text in place
/// instead of building a `String` per token.
///
/// Each sequence lives in a namespace: the same letters mean different things as a stem, a surface
/// form, a consonant skeleton, and so on.
struct Vocabulary: Sendable {
    /// What a stored sequence is.
    enum Namespace: UInt32, Sendable {
        /// A light stem (topic terms, modality cues, units).
        case stem
        /// A token with prefixes removed but suffixes kept (number words, dual forms).
        case bare
        /// A token exactly as folded (entity names).
        case surface
        /// A name's first word without its article (for text written with لل).
        case articleless
        /// A consonant skeleton (fuzzy Arabic names).
        case skeleton
        /// A name, or a name with one letter deleted (one-edit fuzzy names).
        case deletion
    }

    /// The id returned for a sequence that is not stored.
    static let absent: Int32 = -1

    private var firstIDByHash: [UInt64: Int32] = [:]
    private var nextIDWithSameHash: [Int32] = []
    private var starts: [Int] = [0]
    private var storage: [UInt32] = []

    /// Number of stored sequences.
    var count: Int { nextIDWithSameHash.count }

    /// Stores `sequence` (if new) and returns its id.
    @discardableResult
    mutating func insert<S: Sequence<UInt32>>(_ sequence: S, in namespace: Namespace) -> Int32 {
        let hash = Self.hash(sequence, namespace)
        if let existing = find(sequence, namespace, hash: hash) { return existing }
        let id = Int32(count)
        nextIDWithSameHash.append(firstIDByHash[hash] ?? Self.absent)
        firstIDByHash[hash] = id
        storage.append(namespace.rawValue)
        storage.append(contentsOf: sequence)
        starts.append(storage.count)
        return id
    }

    /// The id of `sequence`, or `Vocabulary.absent`.
    func id<S: Sequence<UInt32>>(of sequence: S, in namespace: Namespace) -> Int32 {
        find(sequence, namespace, hash: Self.hash(sequence, namespace)) ?? Self.absent
    }

    /// The id of `text[range]`, or `Vocabulary.absent`.
    func id(of text: [UInt32], _ range: Range<Int>, in namespace: Namespace) -> Int32 {
        id(of: text[range], in: namespace)
    }

    private func find<S: Sequence<UInt32>>(_ sequence: S, _ namespace: Namespace, hash: UInt64) -> Int32? {
        var candidate = firstIDByHash[hash] ?? Self.absent
        while candidate != Self.absent {
            let start = starts[Int(candidate)]
            let end = starts[Int(candidate) + 1]
            if storage[start] == namespace.rawValue, storage[(start + 1)..<end].elementsEqual(sequence) {
                return candidate
            }
            candidate = nextIDWithSameHash[Int(candidate)]
        }
        return nil
    }

    /// FNV-1a over the namespace and the scalars.
    private static func hash<S: Sequence<UInt32>>(_ sequence: S, _ namespace: Namespace) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        hash = (hash ^ UInt64(namespace.rawValue)) &* 0x0000_0100_0000_01B3
        for value in sequence {
            hash = (hash ^ UInt64(value)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}

/// A slice with one position left out, for one-deletion lookups without copying.
struct SliceSkippingOne: Sequence {
    let base: ArraySlice<UInt32>
    /// Absolute index (in the base array) of the element to skip.
    let skipped: Int

    func makeIterator() -> Iterator {
        Iterator(base: base, index: base.startIndex, skipped: skipped)
    }

    struct Iterator: IteratorProtocol {
        let base: ArraySlice<UInt32>
        var index: Int
        let skipped: Int

        mutating func next() -> UInt32? {
            if index == skipped { index += 1 }
            guard index < base.endIndex else { return nil }
            defer { index += 1 }
            return base[index]
        }
    }
}
