/// One news item to analyze: an optional title and the body text.
public struct Article: Sendable {
    /// Caller's identifier, echoed nowhere by the analyzer but kept for the caller's bookkeeping.
    public var id: String
    /// The headline, analyzed as its own field ("title").
    public var title: String?
    /// The body text, analyzed as the field "text".
    public var text: String
    /// "ar" or "en" when known; `nil` lets the analyzer detect it from the script.
    public var language: String?

    /// Creates an article from its parts.
    public init(id: String, title: String? = nil, text: String, language: String? = nil) {
        self.id = id
        self.title = title
        self.text = text
        self.language = language
    }
}
