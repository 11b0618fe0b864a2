import Foundation

/// A field's text folded to the matching key, with a map from every folded scalar back to the original.
struct NormalizedText: Sendable {
    /// The original field (contiguous UTF-8). Offsets in results count its Unicode scalars.
    var source: String
    /// Where each original scalar starts in `source.utf8`, then where the last one ends: original scalar `i`
    /// is bytes `utf8Offsets[i]..<utf8Offsets[i + 1]`, so a stretch of the original is copied, not re-encoded.
    var utf8Offsets: [Int32]
    /// The folded scalar values.
    var scalars: [UInt32]
    /// For each folded scalar, the first original scalar it came from.
    var originStart: [Int32]

    /// Number of Unicode scalars in the original field.
    var originalCount: Int { utf8Offsets.count - 1 }

    /// One past the last original scalar that folded scalar `index` covers: everything up to the next
    /// folded scalar's origin, so dropped marks and tatweel after a letter belong to it.
    @inline(__always)
    func originEnd(_ index: Int) -> Int {
        let next = index + 1 < originStart.count ? Int(originStart[index + 1]) : originalCount
        return max(next, Int(originStart[index]) + 1)
    }

    /// Original scalar `index`.
    func originalScalar(_ index: Int) -> Unicode.Scalar {
        let position = sourceIndex(index)
        let lead = source.utf8[position]
        return lead < 0x80 ? Unicode.Scalar(lead) : source.unicodeScalars[position]
    }

    /// The original text of the scalar range `start..<end` (original offsets).
    func originalText(_ start: Int, _ end: Int) -> String {
        let bytes = Int(utf8Offsets[start])..<Int(utf8Offsets[end])
        // Copied from the bytes: slicing the string would check both ends for scalar alignment first.
        return source.utf8.withContiguousStorageIfAvailable {
            String(decoding: UnsafeBufferPointer(rebasing: $0[bytes]), as: UTF8.self)
        } ?? String(source[sourceIndex(start)..<sourceIndex(end)])
    }

    /// The index in `source` where original scalar `index` starts (O(1) in contiguous UTF-8).
    private func sourceIndex(_ index: Int) -> String.Index {
        source.utf8.index(source.utf8.startIndex, offsetBy: Int(utf8Offsets[index]))
    }
}

/// Folds Arabic and English text to one matching key, the same for text and for rules.
///
/// Steps, per scalar: compatibility decomposition (NFKD, so presentation forms and ligatures split),
/// drop combining marks (harakat, U+0670, Latin accents) and tatweel, drop format controls,
/// fold alef variants to ا, ى/ی/ے to ي, ة/ۀ/ہ to ه, ؤ to و, ئ to ي, ک/گ to ك, پ to ب, چ to ج, ڤ to ف,
/// every decimal digit to 0-9, ٫ to ".", ٬ to ",", ٪ to "%", and lowercase letters.
/// Decomposing first and dropping marks gives the same key as NFKC followed by mark removal.
enum Normalizer {
    /// Folds `text`, keeping the map back to original scalar offsets.
    static func normalize(_ text: String) -> NormalizedText {
        fastNormalize(text) ?? generalNormalize(text)
    }

    /// Per-scalar results of the general fold for U+0080..<U+0700 and U+2000..<U+2070, computed once:
    /// the folded scalar, `dropped`, or `general` when the scalar folds to several (or needs the general path).
    private static let dropped: UInt32 = 0xFFFF_FFFE
    private static let general: UInt32 = 0xFFFF_FFFF
    private static let lowTable: [UInt32] = foldTable(0x80..<0x700)
    private static let punctuationTable: [UInt32] = foldTable(0x2000..<0x2070)

    private static func foldTable(_ range: Range<UInt32>) -> [UInt32] {
        range.map { value in
            guard let scalar = Unicode.Scalar(value) else { return general }
            var result = NormalizedText(source: "", utf8Offsets: [0], scalars: [], originStart: [])
            fold(scalar, at: 0, into: &result, decompose: true)
            switch result.scalars.count {
            case 0: return dropped
            case 1: return result.scalars[0]
            default: return general
            }
        }
    }

    /// The common case, table-driven with no per-scalar branching on Unicode properties; nil when the
    /// text holds a scalar the tables do not cover (then `generalNormalize` folds it).
    private static func fastNormalize(_ input: String) -> NormalizedText? {
        var text = input
        text.makeContiguousUTF8()
        let source = text
        // The three arrays are filled in place, then trimmed (a scalar takes at least one byte, so the byte count
        // bounds them). Zero-filled first rather than `Array(unsafeUninitializedCapacity:)`, which allocates
        // through an unspecialized runtime path that looks up the array type's metadata each time (more
        // instructions than the zero fill, for all but long texts; see `PreparedField.init`).
        let capacity = text.utf8.count
        var offsets = Array(repeatElement(Int32(0), count: capacity + 1))
        var folded = Array(repeatElement(UInt32(0), count: capacity))
        var origins = Array(repeatElement(Int32(0), count: capacity))
        let counts = offsets.withUnsafeMutableBufferPointer { offsets in
            folded.withUnsafeMutableBufferPointer { folded in
                origins.withUnsafeMutableBufferPointer { origins in
                    text.withUTF8 { bytes in fold(bytes, offsets: offsets, folded: folded, origins: origins) }
                }
            }
        }
        guard let counts else { return nil }
        offsets.removeLast(capacity - counts.scalars)
        folded.removeLast(capacity - counts.folded)
        origins.removeLast(capacity - counts.folded)
        return NormalizedText(source: source, utf8Offsets: offsets, scalars: folded, originStart: origins)
    }

    /// The table-driven fold of UTF-8 `bytes`: writes each scalar's byte offset (and the end) to `offsets`,
    /// the folded scalars to `folded` and their origins to `origins`; returns how many scalars were read and
    /// how many folded, or nil at the first scalar the tables do not cover.
    private static func fold(
        _ bytes: UnsafeBufferPointer<UInt8>,
        offsets: UnsafeMutableBufferPointer<Int32>,
        folded: UnsafeMutableBufferPointer<UInt32>,
        origins: UnsafeMutableBufferPointer<Int32>
    ) -> (scalars: Int, folded: Int)? {
        // Offsets are stored as Int32: checked once here, so the loop can truncate without a check per scalar.
        precondition(bytes.count < Int(Int32.max), "a field of 2 GB or more")
        return lowTable.withUnsafeBufferPointer { low in
            punctuationTable.withUnsafeBufferPointer { punctuation in
                let capacity = bytes.count
                // The counters stay below the byte count (checked above): `&+` spares an overflow check each.
                var scalarCount = 0
                var foldedCount = 0
                var index = 0
                while index < capacity {
                    offsets[scalarCount] = Int32(truncatingIfNeeded: index)
                    // Decode one scalar (Swift strings hold valid UTF-8).
                    let lead = UInt32(bytes[index])
                    var value: UInt32
                    if lead < 0x80 {
                        value = lead
                        index &+= 1
                    } else if lead < 0xE0 {
                        value = (lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
                        index &+= 2
                    } else if lead < 0xF0 {
                        value = (lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6
                            | UInt32(bytes[index + 2] & 0x3F)
                        index += 3
                    } else {
                        value = (lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12
                            | UInt32(bytes[index + 2] & 0x3F) << 6 | UInt32(bytes[index + 3] & 0x3F)
                        index += 4
                    }
                    let result: UInt32
                    if value < 0x80 {
                        result = value &- 0x41 < 26 ? value + 0x20 : value
                    } else if value < 0x700 {
                        result = low[Int(value) - 0x80]
                    } else if value >= 0x2000, value < 0x2070 {
                        result = punctuation[Int(value) - 0x2000]
                    } else {
                        return nil
                    }
                    if result == general { return nil }
                    if result != dropped {
                        folded[foldedCount] = result
                        origins[foldedCount] = Int32(truncatingIfNeeded: scalarCount)
                        foldedCount &+= 1
                    }
                    scalarCount &+= 1
                }
                offsets[scalarCount] = Int32(truncatingIfNeeded: capacity)
                return (scalarCount, foldedCount)
            }
        }
    }

    /// Any text: folds scalar by scalar through Unicode properties and compatibility decomposition.
    private static func generalNormalize(_ input: String) -> NormalizedText {
        var text = input
        text.makeContiguousUTF8()
        let capacity = text.utf8.count
        var offsets: [Int32] = [0]
        var result = NormalizedText(source: text, utf8Offsets: [], scalars: [], originStart: [])
        result.scalars.reserveCapacity(capacity)
        result.originStart.reserveCapacity(capacity)
        var offset = 0
        for (index, scalar) in text.unicodeScalars.enumerated() {
            offset += UTF8.width(scalar)
            offsets.append(Int32(offset))
            fold(scalar, at: Int32(index), into: &result, decompose: true)
        }
        result.utf8Offsets = offsets
        return result
    }

    /// The folded key of a rule term or name (no offsets needed).
    static func key(_ text: String) -> [UInt32] {
        normalize(text).scalars
    }

    @inline(__always)
    private static func emit(_ value: UInt32, at offset: Int32, into result: inout NormalizedText) {
        result.scalars.append(value)
        result.originStart.append(offset)
    }

    private static func fold(
        _ scalar: Unicode.Scalar,
        at offset: Int32,
        into result: inout NormalizedText,
        decompose: Bool
    ) {
        let value = scalar.value
        if value < 0x80 {
            let lowered = (0x41...0x5A).contains(value) ? value + 0x20 : value
            emit(lowered, at: offset, into: &result)
            return
        }
        if let arabic = fastFold(value) {
            switch arabic {
            case .drop: break
            case .letter(let folded): emit(folded, at: offset, into: &result)
            }
            return
        }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .spacingMark:
            return
        case .format:
            return
        case .decimalNumber:
            if let digit = properties.numericValue {
                emit(0x30 + UInt32(digit), at: offset, into: &result)
                return
            }
        default:
            break
        }
        if decompose {
            let parts = String(Character(scalar)).decomposedStringWithCompatibilityMapping.unicodeScalars
            if parts.count != 1 || parts.first != scalar {
                for part in parts {
                    fold(part, at: offset, into: &result, decompose: false)
                }
                return
            }
        }
        if properties.changesWhenLowercased {
            for lower in properties.lowercaseMapping.unicodeScalars {
                emit(lower.value, at: offset, into: &result)
            }
            return
        }
        emit(value, at: offset, into: &result)
    }

    private enum FastFold {
        case drop
        case letter(UInt32)
    }

    /// Folding for the Arabic block and common punctuation; `nil` for scalars that need the general path.
    private static func fastFold(_ value: UInt32) -> FastFold? {
        switch value {
        case 0x0622, 0x0623, 0x0625, 0x0671, 0x0672, 0x0673: return .letter(0x0627)  // آ أ إ ٱ ٲ ٳ → ا
        case 0x0624: return .letter(0x0648)  // ؤ → و
        case 0x0626, 0x0649, 0x06CC, 0x06D2, 0x06D0: return .letter(0x064A)  // ئ ى ی ے ې → ي
        case 0x0629, 0x06C0, 0x06C1, 0x06D5: return .letter(0x0647)  // ة ۀ ہ ە → ه
        case 0x06A9, 0x06AF: return .letter(0x0643)  // ک گ → ك
        case 0x067E: return .letter(0x0628)  // پ → ب
        case 0x0686: return .letter(0x062C)  // چ → ج
        case 0x06A4: return .letter(0x0641)  // ڤ → ف
        case 0x0640: return .drop  // tatweel
        case 0x0610...0x061A, 0x064B...0x065F, 0x0670, 0x06D6...0x06DC, 0x06DF...0x06E4, 0x06E7, 0x06E8,
            0x06EA...0x06ED:
            return .drop  // harakat, Quranic marks, superscript alef
        case 0x0660...0x0669: return .letter(0x30 + value - 0x0660)  // Arabic-Indic digits
        case 0x06F0...0x06F9: return .letter(0x30 + value - 0x06F0)  // Persian digits
        case 0x066B: return .letter(0x2E)  // ٫ decimal separator → "."
        case 0x066C: return .letter(0x2C)  // ٬ thousands separator → ","
        case 0x066A: return .letter(0x25)  // ٪ → "%"
        case 0x0621...0x063A, 0x0641...0x064A: return .letter(value)
        case 0x060C, 0x061B, 0x061F, 0x06D4: return .letter(value)  // ، ؛ ؟ ۔ need no decomposition
        case 0x00AB, 0x00BB, 0x2010...0x2023, 0x2027...0x2032: return .letter(value)  // quotes, dashes
        default: return nil
        }
    }
}

/// Character classes of folded scalars.
enum ScalarClass {
    /// Arabic letter (after folding).
    static func isArabicLetter(_ value: UInt32) -> Bool {
        (0x0621...0x064A).contains(value) || (0x0671...0x06D3).contains(value)
    }

    /// Basic Latin lowercase letter.
    static func isLatinLetter(_ value: UInt32) -> Bool {
        (0x61...0x7A).contains(value)
    }

    /// ASCII digit (every script's digits are folded to these).
    static func isDigit(_ value: UInt32) -> Bool {
        (0x30...0x39).contains(value)
    }

    /// Any letter of any script.
    @inline(__always)
    static func isLetter(_ value: UInt32) -> Bool {
        if isLatinLetter(value) || isArabicLetter(value) { return true }
        if value < 0x80 { return false }
        if value < alphabeticTableEnd {
            return alphabeticTable[Int(value) >> 6] & (1 << UInt64(value & 63)) != 0
        }
        return Unicode.Scalar(value)?.properties.isAlphabetic ?? false
    }

    /// `isAlphabetic` for U+0000..<U+3000 as a bit set, computed once: punctuation, quotes and spaces
    /// between words would otherwise each cost a Unicode property lookup.
    private static let alphabeticTableEnd: UInt32 = 0x3000
    private static let alphabeticTable: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: Int(alphabeticTableEnd) / 64)
        for value in 0..<alphabeticTableEnd where Unicode.Scalar(value)?.properties.isAlphabetic == true {
            bits[Int(value) >> 6] |= 1 << UInt64(value & 63)
        }
        return bits
    }()

    /// Whitespace, including line breaks.
    static func isSpace(_ value: UInt32) -> Bool {
        value == 0x20 || value == 0x09 || value == 0x0A || value == 0x0D || value == 0x0B || value == 0x0C
            || value == 0x85 || value == 0xA0 || value == 0x2028 || value == 0x2029
            || (value >= 0x2000 && value <= 0x200A) || value == 0x3000
    }
}
