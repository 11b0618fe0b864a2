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

    /// The analysis as ``encode(_:id:)`` writes it, with where its `entities` and `quantities` arrays lie:
    /// each slice is what ``encode(entities:)`` and ``encode(quantities:)`` give, for callers that store the
    /// arrays alone too (an alert row) without writing them twice.
    public static func encodeWithArrays(_ analysis: Analysis) -> (
        json: [UInt8], entities: Range<Int>, quantities: Range<Int>
    ) {
        write(analysis, id: nil)
    }

    private static func write(_ analysis: Analysis, id: String?) -> (
        json: [UInt8], entities: Range<Int>, quantities: Range<Int>
    ) {
        var writer = Writer()
        writer.bytes.reserveCapacity(4096)
        var entities = 0..<0
        var quantities = 0..<0
        writer.object {
            $0.key("entities")
            let entitiesStart = $0.bytes.count
            $0.array(analysis.entities) { writer, entity in writer.entity(entity) }
            entities = entitiesStart..<$0.bytes.count
            $0.key("fingerprint")
            $0.fingerprint(analysis.fingerprint)
            if let id {
                $0.key("id")
                $0.string(id)
            }
            $0.key("language")
            $0.string(analysis.language)
            $0.key("quantities")
            let quantitiesStart = $0.bytes.count
            $0.array(analysis.quantities) { writer, quantity in writer.quantity(quantity) }
            quantities = quantitiesStart..<$0.bytes.count
            $0.key("topics")
            $0.array(analysis.topics) { writer, topic in writer.topic(topic) }
        }
        return (writer.bytes, entities, quantities)
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

    /// A JSON string literal, escaped as `JSONEncoder` escapes it (slashes unescaped).
    public static func encode(string: String) -> [UInt8] {
        var writer = Writer()
        writer.string(string)
        return writer.bytes
    }

    /// A JSON number, written as `JSONEncoder` writes it (integral values without a fraction); `null` for
    /// infinity and NaN, which JSON cannot hold.
    public static func encode(number: Double) -> [UInt8] {
        var writer = Writer()
        writer.number(number)
        return writer.bytes
    }

    private struct Writer {
        var bytes: [UInt8] = []
        private var needsComma = false

        mutating func object(_ body: (inout Writer) -> Void) {
            bytes.append(UInt8(ascii: "{"))
            needsComma = false
            body(&self)
            bytes.append(UInt8(ascii: "}"))
            needsComma = true
        }

        mutating func array<T>(_ items: [T], _ body: (inout Writer, T) -> Void) {
            bytes.append(UInt8(ascii: "["))
            needsComma = false
            for item in items {
                separate()
                body(&self, item)
                needsComma = true
            }
            bytes.append(UInt8(ascii: "]"))
            needsComma = true
        }

        mutating func key(_ name: StaticString) {
            separate()
            bytes.append(UInt8(ascii: "\""))
            name.withUTF8Buffer { bytes.append(contentsOf: $0) }
            bytes.append(UInt8(ascii: "\""))
            bytes.append(UInt8(ascii: ":"))
            needsComma = false
        }

        private mutating func separate() {
            if needsComma { bytes.append(UInt8(ascii: ",")) }
            needsComma = false
        }

        mutating func string(_ value: String) {
            separate()
            bytes.append(UInt8(ascii: "\""))
            var text = value
            text.withUTF8 { utf8 in
                // Copy runs that need no escaping in one go; escape the rest byte by byte.
                var runStart = 0
                for index in 0..<utf8.count {
                    let byte = utf8[index]
                    guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                    runStart = index + 1
                    escape(byte)
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
            }
            bytes.append(UInt8(ascii: "\""))
            needsComma = true
        }

        private mutating func escape(_ byte: UInt8) {
            let backslash = UInt8(ascii: "\\")
            switch byte {
            case UInt8(ascii: "\""), backslash: bytes.append(contentsOf: [backslash, byte])
            case 0x0A: bytes.append(contentsOf: [backslash, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [backslash, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [backslash, UInt8(ascii: "t")])
            case 0x08: bytes.append(contentsOf: [backslash, UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [backslash, UInt8(ascii: "f")])
            default:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [backslash, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            }
        }

        mutating func number(_ value: Int) {
            separate()
            bytes.append(contentsOf: String(value).utf8)
            needsComma = true
        }

        /// Integral values print without a fraction ("5000"), others in Swift's shortest form ("0.5").
        mutating func number(_ value: Double) {
            separate()
            if !value.isFinite {
                // JSON has no infinity or NaN (JSONEncoder refuses them); a line must stay valid JSON.
                bytes.append(contentsOf: "null".utf8)
            } else if value == 0, value.sign == .minus {
                bytes.append(contentsOf: "-0".utf8)
            } else if value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
                bytes.append(contentsOf: String(Int64(value)).utf8)
            } else {
                var text = value.description
                if text.hasSuffix(".0") { text.removeLast(2) }
                bytes.append(contentsOf: text.utf8)
            }
            needsComma = true
        }

        mutating func bool(_ value: Bool) {
            separate()
            bytes.append(contentsOf: (value ? "true" : "false").utf8)
            needsComma = true
        }

        mutating func entity(_ entity: EntityMatch) {
            object {
                $0.key("id")
                $0.string(entity.id)
                $0.key("mentions")
                $0.array(entity.mentions) { writer, mention in
                    writer.object {
                        $0.key("confidence")
                        $0.string(mention.confidence)
                        $0.key("end")
                        $0.number(mention.end)
                        $0.key("field")
                        $0.string(mention.field)
                        $0.key("start")
                        $0.number(mention.start)
                        $0.key("text")
                        $0.string(mention.text)
                    }
                }
                $0.key("name")
                $0.string(entity.name)
                $0.key("type")
                $0.string(entity.type)
            }
        }

        mutating func quantity(_ quantity: Quantity) {
            object {
                $0.key("approximate")
                $0.bool(quantity.approximate)
                $0.key("end")
                $0.number(quantity.end)
                $0.key("field")
                $0.string(quantity.field)
                $0.key("start")
                $0.number(quantity.start)
                $0.key("text")
                $0.string(quantity.text)
                $0.key("unit")
                $0.string(quantity.unit)
                $0.key("value")
                $0.number(quantity.value)
            }
        }

        mutating func topic(_ topic: TopicMatch) {
            object {
                $0.key("evidence")
                $0.array(topic.evidence) { writer, evidence in writer.evidence(evidence) }
                $0.key("id")
                $0.string(topic.id)
                $0.key("modality")
                $0.string(topic.modality.rawValue)
                $0.key("score")
                $0.number(topic.score)
                $0.key("severity")
                $0.string(topic.severity)
            }
        }

        mutating func evidence(_ evidence: Evidence) {
            object {
                $0.key("end")
                $0.number(evidence.end)
                $0.key("field")
                $0.string(evidence.field)
                $0.key("modality")
                $0.string(evidence.modality.rawValue)
                $0.key("rule")
                $0.string(evidence.rule)
                $0.key("start")
                $0.number(evidence.start)
                $0.key("terms")
                $0.array(evidence.terms) { writer, term in writer.string(term) }
                $0.key("text")
                $0.string(evidence.text)
            }
        }

        mutating func fingerprint(_ fingerprint: Fingerprint) {
            object {
                $0.key("entities")
                $0.array(fingerprint.entities) { writer, id in writer.string(id) }
                $0.key("quantities")
                $0.array(fingerprint.quantities) { writer, key in
                    writer.object {
                        $0.key("unit")
                        $0.string(key.unit)
                        $0.key("value")
                        $0.number(key.value)
                    }
                }
                $0.key("simhash")
                $0.string(fingerprint.simhashHex)
            }
        }
    }
}
