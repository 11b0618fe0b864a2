/// When a feed is due next, from how its last poll went. Pure arithmetic: the caller supplies the random
/// number for jitter, so every rule can be checked exactly.
///
/// - After a success (200 or 304): the feed's interval (never below ``SchedulingSettings/minimumInterval``),
///   pushed later by what the server declared: `<ttl>`, `Cache-Control: max-age`, `Expires`, each capped at
///   ``SchedulingSettings/maximumInterval``. A server hint never makes a feed polled *more* often.
/// - After a failure: exponential backoff from one minute (or the interval, if shorter), doubling per failure
///   in a row up to ``SchedulingSettings/maximumBackoff``. A feed is never given up on.
/// - 429 and 503 with `Retry-After`: not before the server asked (capped at the maximum interval).
/// - 410 Gone: once every ``SchedulingSettings/goneInterval``.
///
/// Jitter of ±10% spreads feeds with equal intervals apart; it only ever delays a server's hint, never advances it.
struct PollPolicy: Sendable {
    /// The bounds in use.
    var settings: SchedulingSettings

    /// The first retry comes this soon after a failure (or after the feed's interval, if that is shorter).
    static let firstRetry: Double = 60

    init(settings: SchedulingSettings = SchedulingSettings()) {
        self.settings = settings
    }

    /// The delay after a successful poll.
    /// - Parameters:
    ///   - interval: the feed's configured interval, in seconds.
    ///   - serverHint: the longest of `<ttl>` and the response's freshness, in seconds, if the server gave any.
    ///   - random: a number in 0..<1 for jitter.
    func delayAfterSuccess(interval: Double, serverHint: Double?, random: Double) -> Double {
        let base = max(settings.minimumInterval, interval * (0.9 + 0.2 * random))
        guard let serverHint, serverHint > 0 else { return base }
        return max(base, min(serverHint, settings.maximumInterval) * (1 + 0.1 * random))
    }

    /// The delay after a failed poll.
    /// - Parameters:
    ///   - interval: the feed's configured interval, in seconds.
    ///   - failures: failures in a row, this one included (at least 1).
    ///   - retryAfter: the server's `Retry-After`, in seconds, if any.
    ///   - random: a number in 0..<1 for jitter.
    func delayAfterFailure(interval: Double, failures: Int, retryAfter: Double?, random: Double) -> Double {
        let first = min(interval, Self.firstRetry)
        let exponential = first * pow2(max(0, failures - 1))
        let backoff = min(settings.maximumBackoff, exponential * (0.9 + 0.2 * random))
        let delay = max(settings.minimumInterval, backoff)
        guard let retryAfter else { return delay }
        return max(delay, min(retryAfter, settings.maximumInterval))
    }

    /// The delay after a 410 Gone: retried, but rarely.
    func delayWhenGone(random: Double) -> Double {
        max(settings.minimumInterval, settings.goneInterval * (0.9 + 0.2 * random))
    }

    /// 2^exponent as a Double, saturating (2^40 s is far beyond any cap).
    private func pow2(_ exponent: Int) -> Double {
        Double(1 << min(exponent, 40))
    }
}
