/// Text in the analyzer's matching form, for comparing texts the way the rules do (the store's story
/// headlines): diacritics and tatweel dropped, alef, ya and ta marbuta folded, every digit ASCII, Latin
/// lowercased, as ``Analyzer`` normalizes articles and rule terms.
public func matchingForm(of text: String) -> String {
    var scalars = String.UnicodeScalarView()
    for value in Normalizer.key(text) {
        if let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
    }
    return String(scalars)
}
