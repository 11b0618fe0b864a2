/// A rule file that decodes but cannot be compiled: unknown parent, empty group, a term with no words...
public struct AnalyzerConfigError: Error, Sendable, CustomStringConvertible {
    /// The topic id, or the entity id for a gazetteer problem; `nil` when the problem is not tied to one.
    public var topic: String?
    /// The rule id within the topic, when the problem is in a rule.
    public var rule: String?
    /// What is wrong, in words.
    public var message: String

    /// Creates an error.
    public init(topic: String?, rule: String? = nil, message: String) {
        self.topic = topic
        self.rule = rule
        self.message = message
    }

    /// "topic 'x', rule 'y': message".
    public var description: String {
        var place: [String] = []
        if let topic { place.append("'\(topic)'") }
        if let rule { place.append("rule '\(rule)'") }
        return place.isEmpty ? message : place.joined(separator: ", ") + ": " + message
    }
}
