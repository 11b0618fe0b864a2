import Foundation

/// How feeds are scheduled and how politely and tightly each fetch runs; everything not already in
/// ``PollSettings`` (interval, concurrency, total timeout).
///
/// The defaults suit a daemon polling public news feeds; tests and benchmarks on one loopback host lower
/// ``hostGap`` and ``minimumInterval``.
public struct SchedulingSettings: Sendable, Equatable {
    /// No feed is polled more often than this, whatever its interval, in seconds (default 60).
    public var minimumInterval: Double
    /// Server hints (`<ttl>`, `Cache-Control: max-age`, `Expires`, `Retry-After`) are capped at this, in seconds
    /// (default 1 day), so a far-future `Expires` cannot silence a feed.
    public var maximumInterval: Double
    /// Backoff after failures stops growing here, in seconds (default 6 h).
    public var maximumBackoff: Double
    /// A feed that answered 410 Gone is retried this often, in seconds (default 1 day).
    public var goneInterval: Double
    /// Least time between the starts of two fetches from one host, in seconds (default 1); 0 turns it off.
    public var hostGap: Double
    /// Fetches in flight to one host at once (default 2); pass the same number to the fetcher's connection limit.
    public var connectionsPerHost: Int
    /// Longest wait for a connection, TLS included, in seconds (default 10).
    public var connectTimeout: Double
    /// A fetch slower than this many bytes per second for ``lowSpeedSeconds`` is abandoned (default 64; 0: off).
    public var lowSpeedBytesPerSecond: Int
    /// See ``lowSpeedBytesPerSecond`` (default 20 s).
    public var lowSpeedSeconds: Int
    /// Largest body accepted, counted after decompression (default 10 MiB).
    public var maxBodyBytes: Int

    /// Settings with the given values; each defaults as documented on its property.
    public init(
        minimumInterval: Double = 60,
        maximumInterval: Double = 86_400,
        maximumBackoff: Double = 6 * 3600,
        goneInterval: Double = 86_400,
        hostGap: Double = 1,
        connectionsPerHost: Int = 2,
        connectTimeout: Double = 10,
        lowSpeedBytesPerSecond: Int = 64,
        lowSpeedSeconds: Int = 20,
        maxBodyBytes: Int = 10 << 20
    ) {
        self.minimumInterval = minimumInterval
        self.maximumInterval = maximumInterval
        self.maximumBackoff = maximumBackoff
        self.goneInterval = goneInterval
        self.hostGap = hostGap
        self.connectionsPerHost = connectionsPerHost
        self.connectTimeout = connectTimeout
        self.lowSpeedBytesPerSecond = lowSpeedBytesPerSecond
        self.lowSpeedSeconds = lowSpeedSeconds
        self.maxBodyBytes = maxBodyBytes
    }
}

/// The order in which one batch of due feeds is started: round-robin over hosts, at most
/// `connectionsPerHost` fetches in flight per host, and starts to one host at least `gap` apart.
///
/// A pure state machine over caller-supplied instants; ``FeedMonitor`` drives it. Feeds without a host
/// (`file://`) are never held back.
struct PollQueue {
    /// Feeds not started yet, by host, in reverse input order (the next one is last).
    private var pending: [String: [Int]] = [:]
    /// Hosts with pending feeds, in round-robin order.
    private var hosts: [String] = []
    /// Where the round-robin scan starts next.
    private var cursor = 0
    /// The host of every feed.
    private let hostOf: [String]
    /// Fetches in flight, by host.
    private var inFlight: [String: Int] = [:]
    /// Feeds whose fetch is in flight.
    private var fetching: Set<Int> = []
    /// When each host's latest fetch started (carried over from earlier batches too).
    private(set) var lastStarts: [String: ContinuousClock.Instant]
    private let perHostLimit: Int
    private let gap: Duration

    /// A queue over feeds whose hosts are `hosts` (one per feed; "" for none).
    init(hosts: [String], perHostLimit: Int, gap: Duration, lastStarts: [String: ContinuousClock.Instant] = [:]) {
        hostOf = hosts
        self.perHostLimit = max(1, perHostLimit)
        self.gap = max(.zero, gap)
        self.lastStarts = lastStarts
        for (index, host) in hosts.enumerated() {
            if pending[host] == nil { self.hosts.append(host) }
            pending[host, default: []].append(index)
        }
        for host in self.hosts { pending[host]?.reverse() }
    }

    /// True when every feed has been started.
    var isEmpty: Bool { hosts.isEmpty }

    /// The next feed that may start at `now`, marked as started; nil when none may.
    mutating func next(now: ContinuousClock.Instant) -> Int? {
        guard !hosts.isEmpty else { return nil }
        for step in 0..<hosts.count {
            let position = (cursor + step) % hosts.count
            let host = hosts[position]
            guard isReady(host, now: now), let index = pending[host]?.popLast() else { continue }
            if pending[host]?.isEmpty ?? true {
                pending[host] = nil
                hosts.remove(at: position)
                cursor = hosts.isEmpty ? 0 : position % hosts.count
            } else {
                cursor = (position + 1) % hosts.count
            }
            if !host.isEmpty {
                inFlight[host, default: 0] += 1
                lastStarts[host] = now
            }
            fetching.insert(index)
            return index
        }
        return nil
    }

    /// Frees the host slot of feed `index` once its fetch is over; calling it again for the same feed does nothing.
    mutating func fetchEnded(_ index: Int) {
        guard fetching.remove(index) != nil else { return }
        let host = hostOf[index]
        guard !host.isEmpty, let count = inFlight[host] else { return }
        inFlight[host] = count > 1 ? count - 1 : nil
    }

    /// The earliest instant after `now` at which a host with pending feeds and a free slot clears its gap;
    /// nil when no pending feed waits on time alone (they wait for a slot, or none is pending).
    func nextReadyTime(after now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        hosts.lazy
            .filter { !$0.isEmpty && (inFlight[$0] ?? 0) < perHostLimit }
            .compactMap { lastStarts[$0].map { $0 + gap } }
            .filter { $0 > now }
            .min()
    }

    private func isReady(_ host: String, now: ContinuousClock.Instant) -> Bool {
        if host.isEmpty { return true }
        if (inFlight[host] ?? 0) >= perHostLimit { return false }
        guard let last = lastStarts[host] else { return true }
        return now >= last + gap
    }

    /// The key a URL is scheduled under: its lowercased host, or "" when it has none (`file://`).
    static func hostKey(of url: String) -> String {
        URL(string: url)?.host?.lowercased() ?? ""
    }
}
