/// Names indexed by their one-deletion neighbourhood, for finding names within one edit of a token.
///
/// A name is stored under the hash of itself and of each string obtained by deleting one letter; a token
/// is looked up the same way, so a shared hash means a deletion, an insertion or a substitution apart
/// (then confirmed by an exact check). Hashes are polynomial, so all deletions of a word cost O(length),
/// and a bitmap in front of the table rejects almost every ordinary word without a dictionary lookup.
struct DeletionIndex: Sendable {
    private static let bitmapBits = 1 << 18
    private static let base: UInt64 = 0x0000_0100_0000_01B3

    private var bitmap = [UInt64](repeating: 0, count: DeletionIndex.bitmapBits / 64)
    private var entries: [UInt64: [Int32]] = [:]

    /// Stores `id` under the hashes of `word` and of its one-letter deletions.
    mutating func insert(_ word: ArraySlice<UInt32>, id: Int32) {
        Self.forEachHash(word) { hash in
            bitmap[Int(hash & UInt64(Self.bitmapBits - 1)) >> 6] |= 1 << (hash & 63)
            if entries[hash]?.contains(id) != true { entries[hash, default: []].append(id) }
            return false
        }
    }

    /// Calls `accept` with each stored id that shares a hash with `word` until it returns true.
    func search(_ word: ArraySlice<UInt32>, _ accept: (Int32) -> Bool) {
        Self.forEachHash(word) { hash in
            let bit = hash & UInt64(Self.bitmapBits - 1)
            guard bitmap[Int(bit) >> 6] & (1 << (bit & 63)) != 0, let ids = entries[hash] else { return false }
            return ids.contains(where: accept)
        }
    }

    /// The hash of `word` and of each one-deletion of it, until `body` returns true. (Inlined, so `search`
    /// tests its bitmap without a call per hash.)
    @inline(__always)
    private static func forEachHash(_ word: ArraySlice<UInt32>, _ body: (UInt64) -> Bool) {
        let count = word.count
        guard count > 0 else { return }
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 3 * (count + 1)) { buffer in
            // prefix[k]: hash of word[..<k]; suffix[k]: hash of word[k...] with its own powers; power[k] = base^k.
            let prefix = UnsafeMutableBufferPointer(rebasing: buffer[0...count])
            let suffix = UnsafeMutableBufferPointer(rebasing: buffer[(count + 1)...(2 * count + 1)])
            let power = UnsafeMutableBufferPointer(rebasing: buffer[(2 * count + 2)...])
            prefix[0] = 0
            power[0] = 1
            var index = 0
            for value in word {
                prefix[index + 1] = prefix[index] &* base &+ UInt64(value)
                power[index + 1] = power[index] &* base
                index += 1
            }
            suffix[count] = 0
            var position = count - 1
            var letter = word.endIndex - 1
            while position >= 0 {
                suffix[position] = UInt64(word[letter]) &* power[count - 1 - position] &+ suffix[position + 1]
                position -= 1
                letter -= 1
            }
            if body(finish(prefix[count], length: count)) { return }
            for deleted in 0..<count {
                let hash = prefix[deleted] &* power[count - 1 - deleted] &+ suffix[deleted + 1]
                if body(finish(hash, length: count - 1)) { return }
            }
        }
    }

    private static func finish(_ hash: UInt64, length: Int) -> UInt64 {
        var z = hash ^ (UInt64(length) << 56)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
