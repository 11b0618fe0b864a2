import Testing
@testable import FeedFetch

@Suite struct AddressScopeTests {
    @Test(arguments: [
        ("127.0.0.1", AddressScope.loopback),
        ("127.255.1.2", .loopback),
        ("::1", .loopback),
        ("10.0.0.1", .privateNetwork),
        ("172.16.0.1", .privateNetwork),
        ("172.31.255.254", .privateNetwork),
        ("192.168.1.10", .privateNetwork),
        ("100.64.0.1", .privateNetwork),
        ("fc00::1", .privateNetwork),
        ("fd12:3456:789a::1", .privateNetwork),
        ("169.254.169.254", .linkLocal),
        ("fe80::1", .linkLocal),
        ("fe80::1%eth0", .linkLocal),
        ("0.0.0.0", .unspecified),
        ("::", .unspecified),
    ])
    func nonPublicAddressesAreRecognised(address: String, expected: AddressScope) {
        #expect(AddressScope(address: address) == expected)
        #expect(AddressScope(address: address)?.isPublic == false)
    }

    @Test(arguments: ["::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:169.254.169.254", "::ffff:0.0.0.0", "64:ff9b::192.168.0.1", "::10.0.0.1"])
    func ipv6FormsOfIPv4AddressesAreClassifiedByTheIPv4Address(address: String) {
        #expect(AddressScope(address: address)?.isPublic == false)
    }

    @Test(arguments: [
        "93.184.215.14", "8.8.8.8", "172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1",
        "192.167.1.1", "169.253.1.1", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8", "2001:db8::1",
    ])
    func publicAddressesAreAllowed(address: String) {
        #expect(AddressScope(address: address) == .global)
    }

    @Test(arguments: ["", "localhost", "256.1.1.1", "1.2.3", "::ffff:1.2.3.4.5", "example.com"])
    func nonAddressesAreNotClassified(text: String) {
        #expect(AddressScope(address: text) == nil)
    }
}
