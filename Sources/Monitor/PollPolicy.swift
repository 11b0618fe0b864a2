import Foundation

/// When a feed is due next: its interval after a success, exponential backoff with jitter after failures,
/// `Retry-After` when the server asks for it. A feed is never given up on; backoff is capped.
struct PollPolicy: Sendable {
    /// Longest wait after failures (6 h).
    var maximumBackoff: Double = 6 * 3600
    /// Shortest wait between two polls of one feed.
    var minimumInterval: Double = 1

    /// The delay before the next poll.
    /// - Parameters:
    ///   - interval: the feed's configured interval.
    ///   - failures: failures in a row, the latest included; 0 after a success.
    ///   - retryAfter: the server's `Retry-After`, in seconds, if any.
    ///   - random: a number in 0..<1 for jitter.
    func delay(interval: Double, failures: Int, retryAfter: Double?, random: Double) -> Double {
        let jitter = 0.9 + 0.2 * random  // ±10% so many feeds do not fire in one burst
        guard failures > 0 else { return max(minimumInterval, interval * jitter) }
        let base = min(maximumBackoff, min(interval, 60) * pow(2, Double(min(failures - 1, 20))))
        let backoff = min(maximumBackoff, base * jitter)
        if let retryAfter { return min(maximumBackoff, max(backoff, retryAfter)) }
        return max(minimumInterval, backoff)
    }
}
