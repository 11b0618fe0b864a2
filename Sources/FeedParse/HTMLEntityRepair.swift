import CLibXML2

/// Repairs a common feed error: HTML entities (`&nbsp;`, `&eacute;`, `&rsquo;`) used in XML that never declares them.
///
/// libxml2 rejects such a document, and its recovery mode silently drops the references (`Caf&eacute;` → `Caf`).
/// Replacing each with a numeric character reference (`&#233;`) keeps the text; the names come from libxml2's
/// HTML entity table. Only applied after a parse reported an undeclared entity.
enum HTMLEntityRepair {
    /// The document with HTML entity references turned into character references, and the names replaced;
    /// nil when nothing was replaced (or the bytes look like UTF-16/32, where this byte scan would be wrong).
    static func replacingHTMLEntities(in bytes: [UInt8]) -> (bytes: [UInt8], names: [String])? {
        guard !bytes.contains(0) else { return nil }
        var output: [UInt8] = []
        var names: [String] = []
        var copied = 0
        var index = 0
        while let ampersand = bytes[index...].firstIndex(of: UInt8(ascii: "&")) {
            var end = ampersand + 1
            while end < bytes.count, end - ampersand <= 32, bytes[end].isASCIILetter || bytes[end].isASCIIDigit {
                end += 1
            }
            index = ampersand + 1
            guard end > ampersand + 1, end < bytes.count, bytes[end] == UInt8(ascii: ";"),
                bytes[ampersand + 1].isASCIILetter
            else { continue }
            let name = String(decoding: bytes[(ampersand + 1)..<end], as: UTF8.self)
            guard !xmlPredefinedEntities.contains(name), let codePoint = htmlCodePoint(of: name) else { continue }
            if output.isEmpty { output.reserveCapacity(bytes.count) }
            output.append(contentsOf: bytes[copied..<ampersand])
            output.append(contentsOf: Array("&#\(codePoint);".utf8))
            copied = end + 1
            index = end + 1
            if names.count < 10, !names.contains(name) { names.append(name) }
        }
        guard !names.isEmpty else { return nil }
        output.append(contentsOf: bytes[copied...])
        return (output, names)
    }

    private static let xmlPredefinedEntities: Set<String> = ["amp", "lt", "gt", "quot", "apos"]

    private static func htmlCodePoint(of name: String) -> UInt32? {
        guard let entity = htmlEntityLookup(name) else { return nil }
        return entity.pointee.value
    }
}
