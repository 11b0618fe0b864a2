/// The dateline that opens many wire reports ("BAGHDAD (Reuters) -", "أربيل - خاص -", "Breaking:"): where
/// the report was filed, not where the event happened, so story matching ignores the places named in it.
public enum Dateline {
    /// The dateline's length in Unicode scalars, separator included; 0 when `text` does not open with one.
    ///
    /// A dateline is at most six words and 60 scalars, without sentence punctuation, ended by a dash
    /// with a space before it, a vertical bar or a colon.
    public static func length(of text: String) -> Int {
        var scalars = 0
        var words = 0
        var inWord = false
        var previous: Unicode.Scalar = " "
        for scalar in text.unicodeScalars.prefix(60) {
            scalars += 1
            switch scalar {
            case "-", "–", "—":
                if previous == " ", words > 0 { return scalars }
            case "|", ":":
                if words > 0 { return scalars }
            case ".", "!", "?", "،", "؟", "\n":
                return 0
            default:
                break
            }
            let isSpace = scalar.properties.isWhitespace
            if !isSpace, !inWord {
                words += 1
                if words > 6 { return 0 }
            }
            inWord = !isSpace
            previous = scalar
        }
        return 0
    }
}
