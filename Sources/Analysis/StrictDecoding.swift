/// A coding key that accepts any string, used to list every key a decoder holds.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(_ string: String) {
        stringValue = string
        intValue = nil
    }

    init?(stringValue: String) {
        self.init(stringValue)
    }

    init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

extension Decoder {
    /// Throws `DecodingError.dataCorrupted` at the first key (in sorted order) that is not in `allowed`,
    /// with a coding path ending at that key and the description "unknown key 'name'".
    func rejectUnknownKeys(allowed: Set<String>) throws {
        let container = try container(keyedBy: AnyCodingKey.self)
        let unknown = container.allKeys
            .filter { !allowed.contains($0.stringValue) }
            .sorted { $0.stringValue < $1.stringValue }
        if let key = unknown.first {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: container.codingPath + [key],
                    debugDescription: "unknown key '\(key.stringValue)'"
                )
            )
        }
    }
}

extension KeyedDecodingContainer {
    /// Decodes an optional list, treating an absent key or `null` as empty.
    func decodeList<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> [T] {
        try decodeIfPresent([T].self, forKey: key) ?? []
    }

    /// Decodes a string that must be one of `allowed`; anything else is `dataCorrupted` at that key.
    func decodeChoice(forKey key: Key, allowed: [String]) throws -> String {
        let value = try decode(String.self, forKey: key)
        guard allowed.contains(value) else {
            throw DecodingError.dataCorruptedError(
                forKey: key,
                in: self,
                debugDescription: "'\(value)' is not one of \(allowed.joined(separator: ", "))"
            )
        }
        return value
    }
}
