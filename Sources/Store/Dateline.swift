/// The dateline that opens many wire reports ("BAGHDAD (Reuters) -", "أربيل - خاص -", "Breaking:"): where
/// the report was filed, not where the event happened, so story matching ignores the places named in it.
public enum Dateline {
    /// The dateline's length in Unicode scalars, separator included; 0 when `text` does not open with one.
    ///
    /// A dateline is at most three words (not counting a parenthesis such as "(Reuters)") within the first
    /// 60 scalars, each Latin word capitalized, without sentence punctuation, ended by a dash with a space
    /// before it, a vertical bar or a colon. "Gunmen attacked Kirkuk police station - police said" is not one.
    public static func length(of text: String) -> Int {
        var scalars = 0
        var words = 0
        var inWord = false
        var depth = 0
        var previous: Unicode.Scalar = " "
        for scalar in text.unicodeScalars.prefix(60) {
            scalars += 1
            switch scalar {
            case "(": depth += 1
            case ")": depth = max(depth - 1, 0)
            case "-", "–", "—":
                if previous == " ", words > 0, depth == 0 { return scalars }
            case "|", ":":
                if words > 0, depth == 0 { return scalars }
            case ".", "!", "?", "،", "؟", "\n":
                return 0
            default:
                break
            }
            let traits = ScalarTraits(of: scalar)
            let isSpace = traits.contains(.whitespace) || scalar == "(" || scalar == ")" || scalar == ","
            if !isSpace, !inWord, depth == 0, traits.contains(.alphabetic) {
                words += 1
                // Latin words of a dateline are capitalized: a lowercase one means a sentence has begun.
                if (0x61...0x7A).contains(scalar.value) { return 0 }
                if words > 3 { return 0 }
            }
            inWord = !isSpace
            previous = scalar
        }
        return 0
    }
}
