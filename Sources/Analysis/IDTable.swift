/// A map from vocabulary ids (small dense integers) to values, stored as a flat array: a lookup is an
/// index, not a hash, which matters on the per-token paths.
struct IDTable<Value: Sendable>: Sendable {
    private var values: [Value?] = []

    /// The value stored for `id`, or nil (also for `Vocabulary.absent` and ids never stored).
    @inline(__always)
    subscript(id: Int32) -> Value? {
        get {
            let index = Int(id)
            return index >= 0 && index < values.count ? values[index] : nil
        }
        set {
            let index = Int(id)
            precondition(index >= 0, "IDTable keys are vocabulary ids")
            if index >= values.count { values += Array(repeating: nil, count: index + 1 - values.count) }
            values[index] = newValue
        }
    }

    /// The value for `id`, or `defaultValue` (for in-place updates: `table[id, default: []].append(x)`).
    subscript(id: Int32, default defaultValue: @autoclosure () -> Value) -> Value {
        get { self[id] ?? defaultValue() }
        set { self[id] = newValue }
    }
}

/// A set of vocabulary ids (small dense integers) as a bit array: a lookup is a shift and a mask, not a hash,
/// which matters on the per-token paths.
struct IDSet: Sendable {
    private var bits: [UInt64] = []

    /// Adds `id` (a vocabulary id, not `Vocabulary.absent`).
    mutating func insert(_ id: Int32) {
        let index = Int(id)
        precondition(index >= 0, "IDSet members are vocabulary ids")
        if index >> 6 >= bits.count { bits += Array(repeating: 0, count: index >> 6 + 1 - bits.count) }
        bits[index >> 6] |= 1 << UInt64(index & 63)
    }

    /// Whether `id` was inserted (false for `Vocabulary.absent`).
    @inline(__always)
    func contains(_ id: Int32) -> Bool {
        let index = Int(id)
        return index >= 0 && index >> 6 < bits.count && bits[index >> 6] & (1 << UInt64(index & 63)) != 0
    }
}
