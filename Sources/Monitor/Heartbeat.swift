import Synchronization

/// Whether the scheduler loop is alive: the watchdog pings systemd only while it is.
///
/// The loop reports when a cycle starts, each time a feed finishes, and when the cycle ends. Idle
/// (waiting for the next due feed) is healthy. Busy is healthy while some feed finished within
/// `stuckAfter` (each fetch has its own timeout, so progress must come within it); past that, a stage
/// is stuck, the pings stop, and systemd restarts the daemon.
final class Heartbeat: Sendable {
    private struct State {
        var busySince: ContinuousClock.Instant?
        var lastProgress: ContinuousClock.Instant
        var stuckAfter: Duration
    }

    private let state: Mutex<State>
    private let clock = ContinuousClock()
    /// How long a busy cycle may go without any feed finishing (it follows the fetch timeout on reload).
    var stuckAfter: Duration {
        get { state.withLock { $0.stuckAfter } }
        set { state.withLock { $0.stuckAfter = newValue } }
    }

    /// Creates a heartbeat that calls a cycle stuck after `stuckAfter` without progress.
    init(stuckAfter: Duration) {
        state = Mutex(State(busySince: nil, lastProgress: ContinuousClock().now, stuckAfter: stuckAfter))
    }

    /// The limit for a fetch timeout in seconds: four timeouts, at least two minutes.
    static func limit(forFetchTimeout seconds: Double) -> Duration {
        .seconds(max(120, seconds * 4))
    }

    /// A cycle started.
    func cycleStarted() {
        let now = clock.now
        state.withLock {
            $0.busySince = now
            $0.lastProgress = now
        }
    }

    /// A feed finished (successfully or not).
    func progressed() {
        let now = clock.now
        state.withLock { $0.lastProgress = now }
    }

    /// The cycle ended; the loop is idle until the next due feed.
    func cycleEnded() {
        let now = clock.now
        state.withLock {
            $0.busySince = nil
            $0.lastProgress = now
        }
    }

    /// True while idle, or busy with progress within ``stuckAfter``.
    var isHealthy: Bool {
        let now = clock.now
        return state.withLock { state in
            state.busySince == nil || now - state.lastProgress < state.stuckAfter
        }
    }
}
