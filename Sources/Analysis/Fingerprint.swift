/// A compact signature of an article for grouping reports of one story across sources and languages.
///
/// `simhash` is a 64-bit SimHash over shingles of three consecutive normalized word stems (title and
/// text), so two copies of a wire story that differ by a few words are a few bits apart. `entities` and
/// `quantities` carry what survives translation: an Arabic and an English report of one event share
/// entity ids and (value, unit) pairs even though their SimHashes are unrelated.
public struct Fingerprint: Sendable, Codable, Equatable {
    /// A counted amount reduced to what identifies it: its value and canonical unit.
    public struct QuantityKey: Sendable, Codable, Equatable, Hashable, Comparable {
        /// The numeric value.
        public var value: Double
        /// The canonical unit ("soldiers", "years" ...).
        public var unit: String

        /// Creates a key.
        public init(value: Double, unit: String) {
            self.value = value
            self.unit = unit
        }

        /// Orders by unit, then value.
        public static func < (lhs: QuantityKey, rhs: QuantityKey) -> Bool {
            // Byte order of UTF-8 is code point order: the same as `String <` for the (NFC) unit names,
            // without the cost of a general Unicode comparison on every step of a sort.
            lhs.unit != rhs.unit ? Fingerprint.utf8Less(lhs.unit, rhs.unit) : lhs.value < rhs.value
        }
    }

    /// SimHash of the word-stem shingles; 0 for a text with no words.
    public var simhash: UInt64
    /// The ids of the entities mentioned, sorted, each once.
    public var entities: [String]
    /// The distinct (value, unit) pairs of the quantities, sorted.
    public var quantities: [QuantityKey]

    /// Creates a fingerprint; `entities` and `quantities` are sorted and deduplicated.
    public init(simhash: UInt64, entities: [String], quantities: [QuantityKey]) {
        self.simhash = simhash
        self.entities = Self.sortedUnique(entities, by: Self.utf8Less)
        self.quantities = Self.sortedUnique(quantities)
    }

    /// `a < b` in UTF-8 byte order (code point order), on contiguous bytes.
    static func utf8Less(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { left in b.withUTF8 { right in left.lexicographicallyPrecedes(right) } }
    }

    /// The keys sorted (by unit, then value), each once. Units are few: rank them once, then sort numbers.
    private static func sortedUnique(_ keys: [QuantityKey]) -> [QuantityKey] {
        guard keys.count > 1 else { return keys }
        var units: [String] = []
        for key in keys where !units.contains(key.unit) { units.append(key.unit) }
        units.sort(by: utf8Less)
        let ranked = keys.map { key in (rank: units.firstIndex(of: key.unit)!, value: key.value) }
            .sorted { $0.rank != $1.rank ? $0.rank < $1.rank : $0.value < $1.value }
        var result: [QuantityKey] = []
        result.reserveCapacity(ranked.count)
        for item in ranked where result.last.map({ $0.unit != units[item.rank] || $0.value != item.value }) ?? true {
            result.append(QuantityKey(value: item.value, unit: units[item.rank]))
        }
        return result
    }

    /// Sorted, each element once; cheaper than a `Set` round trip for the few dozen items of an article.
    private static func sortedUnique<T: Equatable>(_ items: [T], by less: (T, T) -> Bool) -> [T] {
        guard items.count > 1 else { return items }
        var result: [T] = []
        result.reserveCapacity(items.count)
        for item in items.sorted(by: less) where result.last != item {
            result.append(item)
        }
        return result
    }

    /// The fingerprint of nothing (what an analysis stored before fingerprints decodes to).
    public static let empty = Fingerprint(simhash: 0, entities: [], quantities: [])

    /// Number of differing SimHash bits (0 = same shingles, about 32 = unrelated texts).
    public func hammingDistance(to other: Fingerprint) -> Int {
        (simhash ^ other.simhash).nonzeroBitCount
    }

    /// Jaccard overlap of the entity sets, 0 when both are empty.
    public func entityOverlap(with other: Fingerprint) -> Double {
        Self.jaccard(Set(entities), Set(other.entities))
    }

    /// Jaccard overlap of the quantity sets, 0 when both are empty.
    public func quantityOverlap(with other: Fingerprint) -> Double {
        Self.jaccard(Set(quantities), Set(other.quantities))
    }

    private static func jaccard<T: Hashable>(_ a: Set<T>, _ b: Set<T>) -> Double {
        let union = a.union(b).count
        return union == 0 ? 0 : Double(a.intersection(b).count) / Double(union)
    }

    private enum CodingKeys: String, CodingKey { case simhash, entities, quantities }

    /// `simhash` as 16 lowercase hexadecimal digits.
    public var simhashHex: String { Self.hex(simhash) }

    /// A SimHash as 16 lowercase hexadecimal digits, zero-padded: its form in the JSON and in the store.
    public static func hex(_ simhash: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { digits in
            for index in 0..<16 { digits[index] = hexDigit(simhash, at: index) }
            return 16
        }
    }

    /// Digit `index` (0 is the most significant of 16) of `value` in lowercase hexadecimal, as a UTF-8 byte.
    static func hexDigit(_ value: UInt64, at index: Int) -> UInt8 {
        let digit = UInt8(truncatingIfNeeded: value >> UInt64(60 - 4 * index)) & 0xF
        return digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
    }

    /// Encodes `simhash` as 16 hexadecimal digits (a JSON number would lose bits in many readers).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(simhashHex, forKey: .simhash)
        try container.encode(entities, forKey: .entities)
        try container.encode(quantities, forKey: .quantities)
    }

    /// Decodes what `encode(to:)` writes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let hex = try container.decode(String.self, forKey: .simhash)
        guard hex.count == 16, let value = UInt64(hex, radix: 16) else {
            throw DecodingError.dataCorruptedError(
                forKey: .simhash,
                in: container,
                debugDescription: "simhash must be 16 hexadecimal digits, not '\(hex)'"
            )
        }
        self.init(
            simhash: value,
            entities: try container.decode([String].self, forKey: .entities),
            quantities: try container.decode([QuantityKey].self, forKey: .quantities)
        )
    }
}

/// Computes SimHash over the stems of prepared fields.
enum SimHasher {
    /// Words per shingle.
    static let shingleSize = 3

    /// SimHash over the shingles of every field's word stems, taken in field order.
    static func simhash(_ fields: [PreparedField]) -> UInt64 {
        var tokenHashes: [UInt64] = []
        for field in fields {
            // The stems' FNV-1a hashes were taken once, while keying the tokens.
            tokenHashes.reserveCapacity(tokenHashes.count + field.tokens.count)
            field.tokens.withUnsafeBufferPointer { tokens in
                field.keys.withUnsafeBufferPointer { keys in
                    for index in tokens.indices where tokens[index].kind != .other {
                        tokenHashes.append(keys[index].stemHash)
                    }
                }
            }
        }
        guard !tokenHashes.isEmpty else { return 0 }
        // Count the set bits of every shingle hash per position. Eight 64-bit lanes hold eight 8-bit
        // counters each (lane j counts bits j, j+8, j+16 ...), flushed before a counter can overflow.
        var counts = Array(repeatElement(0, count: 64))  // (see `PreparedField.init` on `repeatElement`)
        var lanes = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        var pending = 0
        func flush() {
            for byte in 0..<8 {
                let shift = UInt64(byte * 8)
                counts[byte * 8] += Int((lanes.0 >> shift) & 0xFF)
                counts[byte * 8 + 1] += Int((lanes.1 >> shift) & 0xFF)
                counts[byte * 8 + 2] += Int((lanes.2 >> shift) & 0xFF)
                counts[byte * 8 + 3] += Int((lanes.3 >> shift) & 0xFF)
                counts[byte * 8 + 4] += Int((lanes.4 >> shift) & 0xFF)
                counts[byte * 8 + 5] += Int((lanes.5 >> shift) & 0xFF)
                counts[byte * 8 + 6] += Int((lanes.6 >> shift) & 0xFF)
                counts[byte * 8 + 7] += Int((lanes.7 >> shift) & 0xFF)
            }
            lanes = (0, 0, 0, 0, 0, 0, 0, 0)
            pending = 0
        }
        let mask: UInt64 = 0x0101_0101_0101_0101
        let size = min(shingleSize, tokenHashes.count)
        let shingles = tokenHashes.count - size + 1
        for start in 0..<shingles {
            // Order matters in a shingle: rotate each word's hash by its position, then mix once.
            var hash: UInt64 = 0
            for offset in 0..<size {
                let word = tokenHashes[start + offset]
                let shift = UInt64(offset * 21)
                hash ^= shift == 0 ? word : (word << shift) | (word >> (64 - shift))
            }
            hash = mix(hash)
            lanes.0 &+= hash & mask
            lanes.1 &+= (hash >> 1) & mask
            lanes.2 &+= (hash >> 2) & mask
            lanes.3 &+= (hash >> 3) & mask
            lanes.4 &+= (hash >> 4) & mask
            lanes.5 &+= (hash >> 5) & mask
            lanes.6 &+= (hash >> 6) & mask
            lanes.7 &+= (hash >> 7) & mask
            pending += 1
            if pending == 255 { flush() }
        }
        flush()
        var result: UInt64 = 0
        for bit in 0..<64 where counts[bit] * 2 > shingles {
            result |= 1 << UInt64(bit)
        }
        return result
    }

    /// SplitMix64 finalizer: spreads every input bit over the output.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
