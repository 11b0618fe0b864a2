/// Writes an `Analysis` as one compact JSON object, the same document `JSONEncoder` with `.sortedKeys`
/// and `.withoutEscapingSlashes` produces (keys sorted, UTF-8 unescaped, integral numbers without a
/// fraction), several times faster: for tools that print an analysis per article, like `analyze --jsonl`.
///
/// `AnalysisTests` check that both encoders give equal JSON values for the same analyses, so a field
/// added to the result types without being added here is caught.
public enum AnalysisJSON {
    /// The analysis as a JSON object; with `id`, an `"id"` member is added (sorted in with the others).
    public static func encode(_ analysis: Analysis, id: String? = nil) -> [UInt8] {
        write(analysis, id: id).json
    }

    /// The analysis as ``encode(_:id:)`` writes it, with where its `entities` and `quantities` arrays and
    /// each topic's `evidence` array (in `analysis.topics` order) lie: each slice is what
    /// ``encode(entities:)``, ``encode(quantities:)`` and ``encode(evidence:)`` give, for callers that store
    /// the arrays alone too (an alert row) without writing them twice.
    public static func encodeWithArrays(_ analysis: Analysis) -> (
        json: [UInt8], entities: Range<Int>, quantities: Range<Int>, evidence: [Range<Int>]
    ) {
        write(analysis, id: nil)
    }

    private static func write(_ analysis: Analysis, id: String?) -> (
        json: [UInt8], entities: Range<Int>, quantities: Range<Int>, evidence: [Range<Int>]
    ) {
        var writer = Writer(capacity: 4096)
        writer.raw("{\"entities\":")
        let entitiesStart = writer.count
        writer.array(analysis.entities) { writer, entity in writer.entity(entity) }
        let entities = entitiesStart..<writer.count
        writer.raw(",\"fingerprint\":")
        writer.fingerprint(analysis.fingerprint)
        if let id {
            writer.member(",\"id\":", id)
        }
        writer.member(",\"language\":", analysis.language)
        writer.raw(",\"quantities\":")
        let quantitiesStart = writer.count
        writer.array(analysis.quantities) { writer, quantity in writer.quantity(quantity) }
        let quantities = quantitiesStart..<writer.count
        writer.raw(",\"topics\":")
        var evidence: [Range<Int>] = []
        evidence.reserveCapacity(analysis.topics.count)
        writer.array(analysis.topics) { writer, topic in evidence.append(writer.topic(topic)) }
        writer.raw("}")
        return (writer.bytes, entities, quantities, evidence)
    }

    /// Evidence sentences as a JSON array, as in an alert line.
    public static func encode(evidence: [Evidence]) -> [UInt8] {
        var writer = Writer()
        writer.array(evidence) { writer, evidence in writer.evidence(evidence) }
        return writer.bytes
    }

    /// Entities as a JSON array, as in an alert line.
    public static func encode(entities: [EntityMatch]) -> [UInt8] {
        var writer = Writer()
        writer.array(entities) { writer, entity in writer.entity(entity) }
        return writer.bytes
    }

    /// Quantities as a JSON array, as in an alert line.
    public static func encode(quantities: [Quantity]) -> [UInt8] {
        var writer = Writer()
        writer.array(quantities) { writer, quantity in writer.quantity(quantity) }
        return writer.bytes
    }

    /// Writes JSON into a buffer of its own, for the encoders here and for the alert log's lines.
    ///
    /// Objects are written member by member with their keys (sorted) as literal pieces: `,"end":` costs
    /// one copy, not a key lookup and a comma flag.
    ///
    /// The buffer is copied into an array at the end: `Array.append(contentsOf:)` cost over a hundred
    /// instructions a piece, most of the writer's time, for pieces of a few bytes.
    package struct Writer: ~Copyable {
        /// Allocated by the writer, freed in `deinit`; bytes `0..<count` are written.
        private var buffer: UnsafeMutableRawBufferPointer
        /// How many bytes are written.
        package private(set) var count = 0

        package init(capacity: Int = 256) {
            buffer = .allocate(byteCount: capacity, alignment: 1)
        }

        deinit {
            buffer.deallocate()
        }

        /// The bytes written.
        package var bytes: [UInt8] {
            [UInt8](UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }

        /// Makes room for `extra` more bytes.
        @inline(__always)
        private mutating func reserve(_ extra: Int) {
            if count + extra > buffer.count { grow(to: count + extra) }
        }

        private mutating func grow(to minimum: Int) {
            let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: max(minimum, 2 * buffer.count), alignment: 1)
            larger.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            buffer.deallocate()
            buffer = larger
        }

        /// Appends one byte as is.
        @inline(__always)
        package mutating func append(_ byte: UInt8) {
            reserve(1)
            buffer[count] = byte
            count += 1
        }

        /// Appends bytes as they are (JSON already).
        @inline(__always)
        package mutating func append(_ bytes: ArraySlice<UInt8>) {
            bytes.withUnsafeBufferPointer { append($0) }
        }

        /// Appends bytes as they are (JSON already).
        @inline(__always)
        package mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
            reserve(bytes.count)
            UnsafeMutableRawBufferPointer(rebasing: buffer[count...]).copyMemory(from: UnsafeRawBufferPointer(bytes))
            count += bytes.count
        }

        /// Appends literal JSON (punctuation and keys) as is.
        @inline(__always)
        package mutating func raw(_ text: StaticString) {
            text.withUTF8Buffer { append($0) }
        }

        /// Writes `key` (literal JSON: the comma or brace before it, its quoted name and the colon), then `value`.
        @inline(__always)
        package mutating func member(_ key: StaticString, _ value: String) {
            raw(key)
            string(value)
        }

        /// Writes `key` as ``member(_:_:)-(_,String)`` does, then the number `value`.
        @inline(__always)
        package mutating func member(_ key: StaticString, _ value: Int) {
            raw(key)
            number(value)
        }

        /// Writes `key` as ``member(_:_:)-(_,String)`` does, then the number `value`.
        @inline(__always)
        package mutating func member(_ key: StaticString, _ value: Double) {
            raw(key)
            number(value)
        }

        /// Writes `items` as a JSON array, each by `body`.
        package mutating func array<T>(_ items: [T], _ body: (inout Writer, T) -> Void) {
            append(UInt8(ascii: "["))
            var first = true
            for item in items {
                if !first { append(UInt8(ascii: ",")) }
                first = false
                body(&self, item)
            }
            append(UInt8(ascii: "]"))
        }

        /// Writes `value` as a JSON string literal, escaped as `JSONEncoder` escapes it (slashes unescaped).
        package mutating func string(_ value: String) {
            append(UInt8(ascii: "\""))
            var text = value
            text.withUTF8 { utf8 in
                // Copy runs that need no escaping in one go; escape the rest byte by byte.
                var runStart = 0
                var index = Self.firstEscape(in: utf8, from: 0)
                while index < utf8.count {
                    append(UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                    escape(utf8[index])
                    runStart = index + 1
                    index = Self.firstEscape(in: utf8, from: runStart)
                }
                append(UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
            }
            append(UInt8(ascii: "\""))
        }

        /// The index of the first byte from `start` on that JSON escapes (below 0x20, `"` or `\`), or the count.
        private static func firstEscape(in utf8: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
            var index = start
            // Eight bytes at a time while none of them can need escaping (the usual text), then byte by byte.
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            func hasByteBelow(_ word: UInt64, _ limit: UInt64) -> Bool { (word &- ones &* limit) & ~word & highs != 0 }
            let raw = UnsafeRawBufferPointer(utf8)
            while index + 8 <= utf8.count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if hasByteBelow(word, 0x20) || hasByteBelow(word ^ (ones &* 0x22), 1)
                    || hasByteBelow(word ^ (ones &* 0x5C), 1)
                {
                    break
                }
                index += 8
            }
            while index < utf8.count {
                let byte = utf8[index]
                if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return index }
                index += 1
            }
            return index
        }

        private mutating func escape(_ byte: UInt8) {
            append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): append(byte)
            case 0x0A: append(UInt8(ascii: "n"))
            case 0x0D: append(UInt8(ascii: "r"))
            case 0x09: append(UInt8(ascii: "t"))
            case 0x08: append(UInt8(ascii: "b"))
            case 0x0C: append(UInt8(ascii: "f"))
            default:
                raw("u00")
                append(Fingerprint.hexDigit(UInt64(byte), at: 14))
                append(Fingerprint.hexDigit(UInt64(byte), at: 15))
            }
        }

        /// Decimal digits, written in place (no `String` per number).
        package mutating func number(_ value: Int) {
            if value < 0 { append(UInt8(ascii: "-")) }
            let magnitude = value.magnitude
            var divisor: UInt = 1
            while divisor <= magnitude / 10 { divisor *= 10 }
            repeat {
                append(UInt8(truncatingIfNeeded: magnitude / divisor % 10) + UInt8(ascii: "0"))
                divisor /= 10
            } while divisor > 0
        }

        /// Integral values print without a fraction ("5000"), others in Swift's shortest form ("0.5").
        package mutating func number(_ value: Double) {
            if !value.isFinite {
                // JSON has no infinity or NaN (JSONEncoder refuses them); a line must stay valid JSON.
                raw("null")
            } else if value == 0, value.sign == .minus {
                raw("-0")
            } else if value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
                number(Int(value))
            } else {
                var text = value.description
                if text.hasSuffix(".0") { text.removeLast(2) }
                text.withUTF8 { append($0) }
            }
        }

        mutating func bool(_ value: Bool) {
            if value { raw("true") } else { raw("false") }
        }

        /// Writes an entity as the analysis JSON holds it.
        package mutating func entity(_ entity: EntityMatch) {
            member("{\"id\":", entity.id)
            raw(",\"mentions\":")
            array(entity.mentions) { writer, mention in
                writer.member("{\"confidence\":", mention.confidence)
                writer.member(",\"end\":", mention.end)
                writer.member(",\"field\":", mention.field)
                writer.member(",\"start\":", mention.start)
                writer.member(",\"text\":", mention.text)
                writer.raw("}")
            }
            member(",\"name\":", entity.name)
            member(",\"type\":", entity.type)
            raw("}")
        }

        /// Writes a quantity as the analysis JSON holds it.
        package mutating func quantity(_ quantity: Quantity) {
            raw("{\"approximate\":")
            bool(quantity.approximate)
            member(",\"end\":", quantity.end)
            member(",\"field\":", quantity.field)
            member(",\"start\":", quantity.start)
            member(",\"text\":", quantity.text)
            member(",\"unit\":", quantity.unit)
            member(",\"value\":", quantity.value)
            raw("}")
        }

        /// Writes the topic; returns where its evidence array lies in the bytes written.
        mutating func topic(_ topic: TopicMatch) -> Range<Int> {
            raw("{\"evidence\":")
            let evidenceStart = count
            array(topic.evidence) { writer, evidence in writer.evidence(evidence) }
            let evidence = evidenceStart..<count
            member(",\"id\":", topic.id)
            member(",\"modality\":", topic.modality.rawValue)
            member(",\"score\":", topic.score)
            member(",\"severity\":", topic.severity)
            raw("}")
            return evidence
        }

        /// Writes an evidence sentence as the analysis JSON holds it.
        package mutating func evidence(_ evidence: Evidence) {
            member("{\"end\":", evidence.end)
            member(",\"field\":", evidence.field)
            member(",\"modality\":", evidence.modality.rawValue)
            member(",\"rule\":", evidence.rule)
            member(",\"start\":", evidence.start)
            raw(",\"terms\":")
            array(evidence.terms) { writer, term in writer.string(term) }
            member(",\"text\":", evidence.text)
            raw("}")
        }

        mutating func fingerprint(_ fingerprint: Fingerprint) {
            raw("{\"entities\":")
            array(fingerprint.entities) { writer, id in writer.string(id) }
            raw(",\"quantities\":")
            array(fingerprint.quantities) { writer, key in
                writer.member("{\"unit\":", key.unit)
                writer.member(",\"value\":", key.value)
                writer.raw("}")
            }
            raw(",\"simhash\":\"")
            for index in 0..<16 { append(Fingerprint.hexDigit(fingerprint.simhash, at: index)) }
            raw("\"}")
        }
    }
}
