import Foundation
import Synchronization

/// Threads of their own, at a lower scheduling priority than the rest of the daemon, for CPU-heavy work that
/// nothing waits on in a hurry: article analysis.
///
/// In a busy cycle the store's single writer is what every feed waits for, and on the cooperative pool the
/// analysis took an equal share of the cores from it. Here the writer (and the story filing beside it) get
/// the CPU first, and the analysis every cycle they leave; when the writer is idle, the analysis runs
/// at full speed. The threads live as long as the process.
final class LowPriorityThreads: Sendable {
    /// The threads that analyse articles: one per core, ten nice levels below the daemon.
    static let analysis = LowPriorityThreads(
        name: "fw-analysis", count: ProcessInfo.processInfo.activeProcessorCount, niceness: 10)

    private let jobs = Mutex<[@Sendable () -> Void]>([])
    /// Signalled once per job queued.
    private let queued = DispatchSemaphore(value: 0)

    /// Starts `count` threads (at least one) named `name`, each `niceness` levels below the daemon's own
    /// priority (as far as the system allows: the nice value stops at 19).
    init(name: String, count: Int, niceness: Int32) {
        for number in 0..<max(1, count) {
            let thread = Thread { [self] in
                // Named from inside: on Linux, Foundation gives a name set before the start to the object only,
                // not to the thread that `top -H` shows (which keeps at most 15 characters of it).
                Thread.current.name = "\(name)-\(number)"
                // On Linux the nice value belongs to the calling thread alone, not the whole process.
                errno = 0
                let current = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
                if errno == 0 {
                    _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, min(19, current + niceness))
                }
                while true {
                    queued.wait()
                    let job = jobs.withLock { $0.removeFirst() }
                    job()
                }
            }
            thread.start()
        }
    }

    /// Runs `work` on one of the threads and returns its result.
    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            jobs.withLock { $0.append { continuation.resume(returning: work()) } }
            queued.signal()
        }
    }
}
