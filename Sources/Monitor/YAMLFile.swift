import Foundation
import Yams

/// Decodes a YAML file into a `Decodable` value and turns every failure into a ``ConfigError``
/// with the line it is on: syntax errors from libyaml's mark, decoding errors by walking the
/// coding path back through the composed node tree.
enum YAMLFile {
    /// Resolves only merge keys (`<<: *defaults`), as Yams' own decoder does; every other plain scalar is a
    /// string. The decoder reads values from their text (numbers, `true`, `~`) whatever their tag, but compares
    /// and hashes keys by their resolved tags, and the default resolver ran seven regular expressions on each
    /// key it looked up: most of the time a 1,000-feed config took to load.
    private static let resolver = Resolver.basic.appending(.merge)

    static func decode<T: Decodable>(_ type: T.Type, at path: String, shownAs name: String) throws(ConfigError) -> T {
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
        let node: Node
        do {
            guard let composed = try Yams.compose(yaml: text, Self.resolver) else {
                throw ConfigError(file: name, line: 1, message: "the file is empty")
            }
            node = composed
        } catch let error as ConfigError {
            throw error
        } catch let error as YamlError {
            let (line, problem) = Self.problem(error)
            throw ConfigError(file: name, line: line, message: "invalid YAML: \(problem)")
        } catch {
            throw ConfigError(file: name, line: nil, message: "invalid YAML: \(error)")
        }
        do {
            return try YAMLDecoder().decode(type, from: node)
        } catch let error as DecodingError {
            throw Self.configError(error, root: node, file: name)
        } catch {
            throw ConfigError(file: name, line: nil, message: "\(error)")
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
        let known = Set(Keys.allCases.map(\.stringValue))
        let container = try container(keyedBy: AnyCodingKey.self)
        for key in container.allKeys where !known.contains(key.stringValue) {
            let allowed = known.sorted().joined(separator: ", ")
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: codingPath + [key],
                    debugDescription: "unknown key '\(key.stringValue)' in \(section) (known keys: \(allowed))"))
        }
    }
}
