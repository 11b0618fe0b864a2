/// Text in the analyzer's matching form, for comparing texts the way the rules do (the store's story
/// headlines): diacritics and tatweel dropped, alef, ya and ta marbuta folded, every digit ASCII, Latin
/// lowercased, as ``Analyzer`` normalizes articles and rule terms.
public func matchingForm(of text: String) -> String {
    let values = Normalizer.key(text)
    // Encoded into bytes, then made a String once: appending to a `String.UnicodeScalarView` cost about
    // twice as many instructions per scalar.
    var utf8: [UInt8] = []
    utf8.reserveCapacity(values.count * 2)
    for value in values {
        if let scalar = Unicode.Scalar(value) { utf8.append(contentsOf: scalar.utf8) }
    }
    return String(decoding: utf8, as: UTF8.self)
}
