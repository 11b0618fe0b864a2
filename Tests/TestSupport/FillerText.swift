/// Deterministic filler sentences, different for every seed, for tests that need many distinct articles:
/// reports that share only a template would (rightly) be clustered into one story.
public enum FillerText {
    private static let words = [
        "market", "river", "council", "harvest", "station", "bridge", "school", "festival", "museum", "library",
        "garden", "airport", "hospital", "stadium", "factory", "harbour", "village", "orchard", "theatre", "bakery",
        "tunnel", "highway", "clinic", "mosque", "church", "square", "tower", "palace", "forest", "desert",
        "valley", "island", "canal", "railway", "bazaar", "workshop", "archive", "college", "studio", "gallery",
        "farm", "mill", "quarry", "pier", "lighthouse", "fountain", "plaza", "arcade", "depot", "warehouse",
        "cinema", "campus", "estate", "meadow", "lagoon", "summit", "ridge", "delta", "oasis", "dunes",
        "citadel", "garrison", "outpost", "terminal",
    ]

    /// A sentence of `count` words picked by a generator seeded with `seed`, ending with a period.
    public static func sentence(_ seed: Int, count: Int = 14) -> String {
        var state = UInt64(truncatingIfNeeded: seed) &* 0x9E37_79B9_7F4A_7C15 &+ 0x2545_F491_4F6C_DD1D
        var picked: [String] = []
        for _ in 0..<count {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            picked.append(words[Int(state % UInt64(words.count))])
        }
        return "Nearby: " + picked.joined(separator: " ") + "."
    }
}
