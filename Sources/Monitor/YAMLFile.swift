import Foundation
import Yams

/// Decodes a YAML file into a `Decodable` value (or reads its composed nodes, see ``YAMLMapping``) and turns
/// every failure into a ``ConfigError`` with the line it is on: syntax errors from libyaml's mark, decoding
/// errors by walking the coding path back through the composed node tree.
enum YAMLFile {
    /// Resolves only merge keys (`<<: *defaults`), as Yams' own decoder does; every other plain scalar is a
    /// string. The decoder reads values from their text (numbers, `true`, `~`) whatever their tag, but compares
    /// and hashes keys by their resolved tags, and the default resolver ran seven regular expressions on each
    /// key it looked up: most of the time a 1,000-feed config took to load.
    private static let resolver = Resolver.basic.appending(.merge)

    /// Decodes the file at `path`, named `name` in errors.
    static func decode<T: Decodable>(_ type: T.Type, at path: String, shownAs name: String) throws(ConfigError) -> T {
        try read(compose(at: path, shownAs: name), file: name) { try YAMLDecoder().decode(type, from: $0) }
    }

    /// The file's node tree, merge keys resolved (see ``resolver``).
    static func compose(at path: String, shownAs name: String) throws(ConfigError) -> Node {
        let text: String
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            guard let decoded = String(data: data, encoding: .utf8) else {
                throw ConfigError(file: name, line: nil, message: "not valid UTF-8")
            }
            text = decoded
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(file: name, line: nil, message: "cannot read the file: \(Self.reason(error))")
        }
        do {
            guard let composed = try Yams.compose(yaml: text, Self.resolver) else {
                throw ConfigError(file: name, line: 1, message: "the file is empty")
            }
            return composed
        } catch let error as ConfigError {
            throw error
        } catch let error as YamlError {
            let (line, problem) = Self.problem(error)
            throw ConfigError(file: name, line: line, message: "invalid YAML: \(problem)")
        } catch {
            throw ConfigError(file: name, line: nil, message: "invalid YAML: \(error)")
        }
    }

    /// Runs `body` on `root`, composed from `file`, turning the `DecodingError` it throws into a ``ConfigError``
    /// on the line of the key or item its coding path leads to.
    static func read<T>(_ root: Node, file: String, _ body: (Node) throws -> T) throws(ConfigError) -> T {
        do {
            return try body(root)
        } catch let error as DecodingError {
            throw Self.configError(error, root: root, file: file)
        } catch {
            throw ConfigError(file: file, line: nil, message: "\(error)")
        }
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? CocoaError, let underlying = error.underlying as? POSIXError {
            return underlying.localizedDescription
        }
        if (error as NSError).code == NSFileReadNoSuchFileError || (error as NSError).code == 260 {
            return "no such file"
        }
        return (error as NSError).localizedDescription
    }

    private static func problem(_ error: YamlError) -> (line: Int?, problem: String) {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let while_ = context.map { " (\($0.text) on line \($0.mark.line))" } ?? ""
            return (mark.line, problem + while_)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return (context.mark.line, "duplicate keys: \(duplicates.joined(separator: ", "))")
        default:
            return (nil, "\(error)")
        }
    }

    private static func configError(_ error: DecodingError, root: Node, file: String) -> ConfigError {
        switch error {
        case .keyNotFound(let key, let context):
            let line = line(of: context.codingPath, in: root)
            return ConfigError(
                file: file, line: line, message: "missing key '\(key.stringValue)'\(where: context.codingPath)")
        case .typeMismatch(let type, let context):
            return ConfigError(
                file: file, line: line(of: context.codingPath, in: root),
                message: "\(label(context.codingPath)): expected \(describe(type))")
        case .valueNotFound(let type, let context):
            return ConfigError(
                file: file, line: line(of: context.codingPath, in: root),
                message: "\(label(context.codingPath)): expected \(describe(type)), found nothing")
        case .dataCorrupted(let context):
            let line = line(of: context.codingPath, in: root)
            if context.debugDescription.hasPrefix("unknown key") {
                return ConfigError(file: file, line: line, message: context.debugDescription)
            }
            return ConfigError(
                file: file, line: line, message: "\(label(context.codingPath)): \(context.debugDescription)")
        @unknown default:
            return ConfigError(file: file, line: nil, message: "\(error)")
        }
    }

    private static func label(_ path: [any CodingKey]) -> String {
        path.isEmpty ? "document" : path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Double.Type: return "a number"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "a mapping" }
            return "a \(name)"
        }
    }

    /// The line of the node at `path`; for a mapping key, the line of the key itself.
    private static func line(of path: [any CodingKey], in root: Node) -> Int? {
        var node = root
        var line = root.mark?.line
        for key in path {
            if let index = key.intValue, let sequence = node.sequence, index < sequence.count {
                node = sequence[index]
                line = node.mark?.line ?? line
            } else if let mapping = node.mapping,
                let pair = mapping.first(where: { $0.key.string == key.stringValue })
            {
                line = pair.key.mark?.line ?? line
                node = pair.value
            } else {
                break
            }
        }
        return line
    }
}

extension String.StringInterpolation {
    fileprivate mutating func appendInterpolation(where path: [any CodingKey]) {
        guard !path.isEmpty else { return }
        appendLiteral(" in " + path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: "."))
    }
}

/// A coding key for any string, to list the keys a mapping really has.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        self.stringValue = "\(intValue)"
        self.intValue = intValue
    }
}

extension Decoder {
    /// Throws `dataCorrupted` at the first key of this mapping that `Keys` does not name.
    func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type, in section: String) throws {
        let container = try container(keyedBy: AnyCodingKey.self)
        for key in container.allKeys where Keys(stringValue: key.stringValue) == nil {
            throw YAMLFile.unknownKey(key.stringValue, of: Keys.self, in: section, at: codingPath)
        }
    }
}

extension YAMLFile {
    /// The error for `key`, which `Keys` does not name, in a mapping (`section`, at `codingPath`), for both
    /// readers: the one through Yams' decoder and ``YAMLMapping``.
    static func unknownKey<Keys: CodingKey & CaseIterable>(
        _ key: String, of keys: Keys.Type, in section: String, at codingPath: [any CodingKey]
    ) -> DecodingError {
        let allowed = Keys.allCases.map(\.stringValue).sorted().joined(separator: ", ")
        return DecodingError.dataCorrupted(
            .init(
                codingPath: codingPath + [AnyCodingKey(stringValue: key)],
                debugDescription: "unknown key '\(key)' in \(section) (known keys: \(allowed))"))
    }
}

/// A mapping node read as Yams' `Decoder` reads one, throwing the `DecodingError`s it throws at the same coding
/// paths, for long lists (the config's feeds) read without the `Decodable` machinery: it builds a tag and runs
/// the resolver's regular expression for every key it looks up, ~70 µs a feed.
///
/// Merge keys (`<<: *defaults`, or a list of them) are flattened in as Yams does: the mapping's own keys win over
/// merged ones, and an earlier merged mapping over a later one.
struct YAMLMapping {
    /// Where the mapping is, for errors.
    let codingPath: [any CodingKey]
    /// The pairs, merged ones first.
    private let pairs: [(key: Node, value: Node)]

    /// Reads `node`, at `codingPath`; throws `typeMismatch` when it is not a mapping.
    init(_ node: Node, at codingPath: [any CodingKey]) throws {
        guard case .mapping(let mapping) = node else {
            throw Self.typeMismatch(Node.Mapping.self, at: codingPath)
        }
        self.codingPath = codingPath
        self.pairs = Self.flatten(mapping)
    }

    /// Throws `dataCorrupted` at the first key that `Keys` does not name.
    func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type, in section: String) throws {
        for (key, _) in pairs {
            if let name = key.scalar?.string, Keys(stringValue: name) == nil {
                throw YAMLFile.unknownKey(name, of: Keys.self, in: section, at: codingPath)
            }
        }
    }

    /// The value of `key`, or nil when the mapping does not have it.
    private func node(forKey key: some CodingKey) -> Node? {
        // Yams compares keys by text and resolved tag; composing the file resolved them.
        pairs.last { $0.key.scalar?.string == key.stringValue && $0.key.tag.rawValue == Tag.Name.str.rawValue }?.value
    }

    /// The value of `key`, or nil when it is missing or null (`~`, or nothing).
    func nodeIfPresent(forKey key: some CodingKey) -> Node? {
        node(forKey: key).flatMap { $0.scalar.flatMap(NSNull.construct) == nil ? $0 : nil }
    }

    /// The scalar at `key`; throws `keyNotFound` when it is missing, `typeMismatch` when it does not read as `T`.
    func decode<T: ScalarConstructible>(_ type: T.Type, forKey key: some CodingKey) throws -> T {
        guard let node = node(forKey: key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no value"))
        }
        return try Self.scalar(node, as: T.self, at: codingPath + [key])
    }

    /// The scalar at `key`, or nil when it is missing or null; throws `typeMismatch` when it does not read as `T`.
    func decodeIfPresent<T: ScalarConstructible>(_ type: T.Type, forKey key: some CodingKey) throws -> T? {
        try nodeIfPresent(forKey: key).map { try Self.scalar($0, as: T.self, at: codingPath + [key]) }
    }

    /// A `dataCorrupted` error at `key`.
    func corrupted(_ key: some CodingKey, _ description: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: codingPath + [key], debugDescription: description))
    }

    /// `node` read as a `T`, as Yams' decoder reads it.
    static func scalar<T: ScalarConstructible>(
        _ node: Node, as type: T.Type, at codingPath: [any CodingKey]
    ) throws -> T {
        guard case .scalar(let scalar) = node else { throw typeMismatch(Node.Scalar.self, at: codingPath) }
        guard let value = T.construct(from: scalar) else { throw typeMismatch(T.self, at: codingPath) }
        return value
    }

    /// The `typeMismatch` error Yams' decoder throws when it finds something other than a `type`.
    static func typeMismatch(_ type: Any.Type, at codingPath: [any CodingKey]) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected \(type)"))
    }

    private static func isMerge(_ key: Node) -> Bool {
        key.tag.rawValue == Tag.Name.merge.rawValue
    }

    /// Merged pairs first (a later merged mapping's before an earlier one's), then the mapping's own.
    private static func flatten(_ mapping: Node.Mapping) -> [(key: Node, value: Node)] {
        var own = Array(mapping)
        guard own.contains(where: { isMerge($0.key) }) else { return own }
        var merged: [(key: Node, value: Node)] = []
        for (key, value) in own where isMerge(key) {
            switch value {
            case .mapping(let source): merged += flatten(source)
            case .sequence(let sources):
                for case .mapping(let source) in sources.reversed() { merged += flatten(source) }
            default: break
            }
        }
        own.removeAll { isMerge($0.key) }
        return merged + own
    }
}
