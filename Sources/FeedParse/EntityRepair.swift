import CLibXML2

/// Repairs two common feed errors that make a document ill-formed, before falling back to recovery mode:
///
/// - HTML entities (`&nbsp;`, `&eacute;`, `&rsquo;`) used in XML that never declares them. libxml2 rejects such a
///   document, and its recovery mode silently drops the references (`Caf&eacute;` → `Caf`). Each becomes a
///   numeric character reference (`&#233;`); the names come from libxml2's HTML entity table.
/// - A bare `&` that starts no reference (`Fish & Chips`, `?a=1&b=2`), which recovery mode drops along with the
///   text after it. It becomes `&amp;`.
///
/// CDATA sections, comments and processing instructions are copied untouched: a bare `&` is legal there.
/// Only applied after a strict parse reported an entity error.
enum EntityRepair {
    /// The repaired document, the HTML entity names replaced and the number of bare ampersands escaped;
    /// nil when nothing was changed (or the bytes look like UTF-16/32, where this byte scan would be wrong).
    static func repair(_ bytes: [UInt8]) -> (bytes: [UInt8], entityNames: [String], bareAmpersands: Int)? {
        guard !bytes.contains(0) else { return nil }
        var output: [UInt8] = []
        var names: [String] = []
        var bareAmpersands = 0
        var copied = 0
        var index = 0
        let count = bytes.count

        func skip(past terminator: [UInt8], from start: Int) -> Int {
            guard let range = bytes[start...].firstRange(of: terminator) else { return count }
            return range.upperBound
        }
        func flush(upTo end: Int, then replacement: [UInt8], resumingAt resume: Int) {
            if output.isEmpty { output.reserveCapacity(count + 64) }
            output.append(contentsOf: bytes[copied..<end])
            output.append(contentsOf: replacement)
            copied = resume
        }

        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "<"), index + 1 < count {
                if bytes[index...].starts(with: cdataStart) {
                    index = skip(past: cdataEnd, from: index + cdataStart.count)
                    continue
                }
                if bytes[index...].starts(with: commentStart) {
                    index = skip(past: commentEnd, from: index + commentStart.count)
                    continue
                }
                if bytes[index + 1] == UInt8(ascii: "?") {
                    index = skip(past: processingInstructionEnd, from: index + 2)
                    continue
                }
                index += 1
                continue
            }
            guard byte == UInt8(ascii: "&") else {
                index += 1
                continue
            }
            switch reference(in: bytes, at: index) {
            case .valid(let end):
                index = end
            case .htmlEntity(let name, let codePoint, let end):
                flush(upTo: index, then: Array("&#\(codePoint);".utf8), resumingAt: end)
                if names.count < 10, !names.contains(name) { names.append(name) }
                index = end
            case .bare:
                flush(upTo: index, then: Array("&amp;".utf8), resumingAt: index + 1)
                bareAmpersands += 1
                index += 1
            }
        }
        guard !names.isEmpty || bareAmpersands > 0 else { return nil }
        output.append(contentsOf: bytes[copied...])
        return (output, names, bareAmpersands)
    }

    private enum Reference {
        /// A character reference or a named reference to keep; `end` is just past the `;`.
        case valid(end: Int)
        /// A named reference to an HTML entity that XML does not predefine.
        case htmlEntity(name: String, codePoint: UInt32, end: Int)
        /// An `&` that starts no reference.
        case bare
    }

    /// Classifies the `&` at `start`.
    private static func reference(in bytes: [UInt8], at start: Int) -> Reference {
        let count = bytes.count
        var end = start + 1
        if end < count, bytes[end] == UInt8(ascii: "#") {
            end += 1
            let hex = end < count && (bytes[end] == UInt8(ascii: "x") || bytes[end] == UInt8(ascii: "X"))
            if hex { end += 1 }
            let digitsStart = end
            while end < count, end - digitsStart < 10,
                hex ? bytes[end].isASCIIHexDigit : bytes[end].isASCIIDigit
            {
                end += 1
            }
            guard end > digitsStart, end < count, bytes[end] == UInt8(ascii: ";") else { return .bare }
            return .valid(end: end + 1)
        }
        guard end < count, bytes[end].isNameStart else { return .bare }
        while end < count, end - start <= 64, bytes[end].isNameCharacter { end += 1 }
        guard end < count, bytes[end] == UInt8(ascii: ";") else { return .bare }
        let name = String(decoding: bytes[(start + 1)..<end], as: UTF8.self)
        if !xmlPredefinedEntities.contains(name), let entity = htmlEntityLookup(name) {
            return .htmlEntity(name: name, codePoint: entity.pointee.value, end: end + 1)
        }
        // A predefined or a (possibly) declared entity: libxml2 decides.
        return .valid(end: end + 1)
    }

    private static let xmlPredefinedEntities: Set<String> = ["amp", "lt", "gt", "quot", "apos"]
    private static let cdataStart = Array("<![CDATA[".utf8)
    private static let cdataEnd = Array("]]>".utf8)
    private static let commentStart = Array("<!--".utf8)
    private static let commentEnd = Array("-->".utf8)
    private static let processingInstructionEnd = Array("?>".utf8)
}

extension UInt8 {
    fileprivate var isASCIIHexDigit: Bool {
        isASCIIDigit || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }

    /// An ASCII name-start character, or any byte of a non-ASCII character (XML allows most of them).
    fileprivate var isNameStart: Bool { isASCIILetter || self == UInt8(ascii: "_") || self == UInt8(ascii: ":") || self >= 0x80 }

    fileprivate var isNameCharacter: Bool {
        isNameStart || isASCIIDigit || self == UInt8(ascii: "-") || self == UInt8(ascii: ".")
    }
}
