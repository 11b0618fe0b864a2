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
    }

    /// The id returned for a sequence that is not stored.
    static let absent: Int32 = -1

    /// Open-addressing table of ids (or `absent`), indexed by hash; its size is a power of two, at most half full.
    private var slots: [Int32] = Array(repeating: Vocabulary.absent, count: 1024)
    /// Each stored sequence's hash, by id.
    private var hashes: [UInt64] = []
    /// Two bits per stored hash (from two runs of its high bits), 32 KB: most tokens are in no rule or name,
    /// and this answers "absent" for nearly all of them without touching the table.
    private var filter = [UInt64](repeating: 0, count: Vocabulary.filterBits / 64)
    private static let filterBits = 1 << 18
    private var starts: [Int] = [0]
    private var storage: [UInt32] = []

    /// Number of stored sequences.
    var count: Int { hashes.count }

    /// Stores `sequence` (if new) and returns its id.
    @discardableResult
    mutating func insert<S: Sequence<UInt32>>(_ sequence: S, in namespace: Namespace) -> Int32 {
        let hash = Self.hash(sequence, namespace)
        if let existing = find(sequence, namespace, hash: hash) { return existing }
        if (count + 1) * 2 > slots.count { grow() }
        let id = Int32(count)
        hashes.append(hash)
        storage.append(namespace.rawValue)
        storage.append(contentsOf: sequence)
        starts.append(storage.count)
        place(id, hash: hash)
        let bit = Self.filterBit(hash)
        filter[bit >> 6] |= 1 << UInt64(bit & 63)
        let second = Self.secondFilterBit(hash)
        filter[second >> 6] |= 1 << UInt64(second & 63)
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

    /// The id of `text[range]`, or `Vocabulary.absent`: the per-token fast path.
    @inline(__always)
    func id(in text: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, _ namespace: Namespace) -> Int32 {
        id(in: text, range, namespace, sequenceHash: Self.sequenceHash(text, range))
    }

    /// FNV-1a over `text[range]`, before the namespace is mixed in: the sequence's part of every key hash,
    /// so one pass serves the surface, bare and stem lookups of a token when their ranges coincide.
    @inline(__always)
    static func sequenceHash(_ text: UnsafeBufferPointer<UInt32>, _ range: Range<Int>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for index in range {
            hash = (hash ^ UInt64(text[index])) &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// The id of `text[range]` whose `sequenceHash` is already known.
    @inline(__always)
    func id(
        in text: UnsafeBufferPointer<UInt32>,
        _ range: Range<Int>,
        _ namespace: Namespace,
        sequenceHash: UInt64
    ) -> Int32 {
        withLookup { $0.id(in: text, range, namespace, sequenceHash: sequenceHash) }
    }

    /// Runs `body` with a view of the tables through raw buffers, for loops that look up every token:
    /// array accesses through `self` would retain and release the storage on each lookup.
    func withLookup<Result>(_ body: (Lookup) throws -> Result) rethrows -> Result {
        try slots.withUnsafeBufferPointer { slots in
            try hashes.withUnsafeBufferPointer { hashes in
                try starts.withUnsafeBufferPointer { starts in
                    try storage.withUnsafeBufferPointer { storage in
                        try filter.withUnsafeBufferPointer { filter in
                            try body(Lookup(slots: slots, hashes: hashes, starts: starts, storage: storage, filter: filter))
                        }
                    }
                }
            }
        }
    }

    /// A read-only view of the vocabulary, valid only inside `withLookup`.
    struct Lookup {
        fileprivate let slots: UnsafeBufferPointer<Int32>
        fileprivate let hashes: UnsafeBufferPointer<UInt64>
        fileprivate let starts: UnsafeBufferPointer<Int>
        fileprivate let storage: UnsafeBufferPointer<UInt32>
        fileprivate let filter: UnsafeBufferPointer<UInt64>

        /// The id of `text[range]`, or `Vocabulary.absent`.
        @inline(__always)
        func id(in text: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, _ namespace: Namespace) -> Int32 {
            id(in: text, range, namespace, sequenceHash: Vocabulary.sequenceHash(text, range))
        }

        /// The id of `text[range]` whose `Vocabulary.sequenceHash` is `sequenceHash`.
        @inline(__always)
        func id(
            in text: UnsafeBufferPointer<UInt32>,
            _ range: Range<Int>,
            _ namespace: Namespace,
            sequenceHash: UInt64
        ) -> Int32 {
            let hash = Vocabulary.finish(sequenceHash, namespace)
            let bit = Vocabulary.filterBit(hash)
            if filter[bit >> 6] & (1 << UInt64(bit & 63)) == 0 { return Vocabulary.absent }
            let second = Vocabulary.secondFilterBit(hash)
            if filter[second >> 6] & (1 << UInt64(second & 63)) == 0 { return Vocabulary.absent }
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let candidate = slots[slot]
                if candidate == Vocabulary.absent { return Vocabulary.absent }
                if hashes[Int(candidate)] == hash {
                    let start = starts[Int(candidate)]
                    let end = starts[Int(candidate) + 1]
                    if storage[start] == namespace.rawValue, end - start - 1 == range.count,
                        UnsafeBufferPointer(rebasing: storage[(start + 1)..<end])
                            .elementsEqual(UnsafeBufferPointer(rebasing: text[range]))
                    {
                        return candidate
                    }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    private func find<S: Sequence<UInt32>>(_ sequence: S, _ namespace: Namespace, hash: UInt64) -> Int32? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let candidate = slots[slot]
            if candidate == Self.absent { return nil }
            if hashes[Int(candidate)] == hash {
                let start = starts[Int(candidate)]
                let end = starts[Int(candidate) + 1]
                if storage[start] == namespace.rawValue, storage[(start + 1)..<end].elementsEqual(sequence) {
                    return candidate
                }
            }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always)
    fileprivate static func filterBit(_ hash: UInt64) -> Int {
        Int(truncatingIfNeeded: (hash >> 40) & UInt64(filterBits - 1))
    }

    @inline(__always)
    fileprivate static func secondFilterBit(_ hash: UInt64) -> Int {
        Int(truncatingIfNeeded: (hash >> 20) & UInt64(filterBits - 1))
    }

    private mutating func place(_ id: Int32, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != Self.absent { slot = (slot + 1) & mask }
        slots[slot] = id
    }

    private mutating func grow() {
        slots = Array(repeating: Self.absent, count: slots.count * 2)
        for id in hashes.indices { place(Int32(id), hash: hashes[id]) }
    }

    /// FNV-1a over the scalars, then the namespace mixed in, so the low bits index the table well.
    private static func hash<S: Sequence<UInt32>>(_ sequence: S, _ namespace: Namespace) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for value in sequence {
            hash = (hash ^ UInt64(value)) &* 0x0000_0100_0000_01B3
        }
        return finish(hash, namespace)
    }

    @inline(__always)
    fileprivate static func finish(_ sequenceHash: UInt64, _ namespace: Namespace) -> UInt64 {
        let hash = (sequenceHash ^ (UInt64(namespace.rawValue) &+ 1) &* 0x9E37_79B9_7F4A_7C15) &* 0xBF58_476D_1CE4_E5B9
        return hash ^ (hash >> 31)
    }
}
