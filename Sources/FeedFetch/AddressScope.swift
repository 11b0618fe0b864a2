#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The kind of network an IP address belongs to, as far as the fetch address guard is concerned.
///
/// Only `.global` addresses are fetched by default; the rest can reach the machine itself, the local
/// network or a cloud metadata service (169.254.169.254), so a feed URL must not lead there.
enum AddressScope: Equatable, Sendable {
    /// Publicly routable (or at least not one of the ranges below).
    case global
    /// 127.0.0.0/8 and ::1.
    case loopback
    /// 10/8, 172.16/12, 192.168/16, the carrier-grade NAT range 100.64/10, and IPv6 fc00::/7 and fec0::/10.
    case privateNetwork
    /// 169.254/16 (which holds the metadata address) and fe80::/10.
    case linkLocal
    /// 0.0.0.0/8 and ::, which Linux connects to the local host.
    case unspecified

    /// Classifies a textual IPv4 or IPv6 address (an IPv6 zone suffix such as `%eth0` is ignored);
    /// nil when the text is not an IP address.
    ///
    /// IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`) and NAT64 (`64:ff9b::a.b.c.d`)
    /// IPv6 addresses are classified by the IPv4 address they carry.
    init?(address: String) {
        let literal = address.split(separator: "%", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        if let bytes = Self.parse(literal, family: AF_INET, count: 4) {
            self = Self.classifyIPv4(bytes[0], bytes[1])
        } else if let bytes = Self.parse(literal, family: AF_INET6, count: 16) {
            self = Self.classifyIPv6(bytes)
        } else {
            return nil
        }
    }

    /// Whether the guard lets a connection to this scope through by default.
    var isPublic: Bool { self == .global }

    /// A short phrase for error messages, e.g. "loopback".
    var label: String {
        switch self {
        case .global: "public"
        case .loopback: "loopback"
        case .privateNetwork: "private-network"
        case .linkLocal: "link-local"
        case .unspecified: "unspecified"
        }
    }

    /// The network-order bytes of `text` parsed as an address of `family`, or nil.
    private static func parse(_ text: String, family: Int32, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        let parsed = bytes.withUnsafeMutableBytes { buffer in
            inet_pton(family, text, buffer.baseAddress)
        }
        return parsed == 1 ? bytes : nil
    }

    /// Classifies an IPv4 address by its first two octets.
    private static func classifyIPv4(_ first: UInt8, _ second: UInt8) -> AddressScope {
        switch (first, second) {
        case (0, _): .unspecified
        case (127, _): .loopback
        case (10, _): .privateNetwork
        case (172, _) where second & 0xF0 == 16: .privateNetwork
        case (192, 168): .privateNetwork
        case (100, _) where second & 0xC0 == 64: .privateNetwork
        case (169, 254): .linkLocal
        default: .global
        }
    }

    /// Classifies 16 network-order IPv6 bytes.
    private static func classifyIPv6(_ bytes: [UInt8]) -> AddressScope {
        let firstTwelveAreZero = bytes[0..<12].allSatisfy { $0 == 0 }
        if firstTwelveAreZero {
            // ::, ::1, and the deprecated IPv4-compatible form ::a.b.c.d.
            if bytes[12..<16].allSatisfy({ $0 == 0 }) { return .unspecified }
            if bytes[12..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return .loopback }
            return classifyIPv4(bytes[12], bytes[13])
        }
        let isMapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
        let isNAT64 = bytes[0..<12].elementsEqual([0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0])
        if isMapped || isNAT64 { return classifyIPv4(bytes[12], bytes[13]) }
        if bytes[0] & 0xFE == 0xFC { return .privateNetwork }
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return .linkLocal }
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0xC0 { return .privateNetwork }
        return .global
    }
}
