import Foundation
import Synchronization

/// Threads of their own, at a lower scheduling priority than the rest of the daemon, for CPU-heavy work that
/// nothing waits on in a hurry: article analysis.
///
/// In a busy cycle the store's single writer is what every feed waits for, and on the cooperative pool the
/// analysis took an equal share of the cores from it. Here the writer (and the story filing beside it) get
/// the CPU first, and the analysis every cycle they leave; when the writer is idle, the analysis runs at full
/// speed. The threads live as long as the process.
///
/// The lowered threads never resume their callers themselves: a thread that libdispatch creates to run the
/// resumed task would inherit their nice value (and without a capability could not raise it again), so the
/// writer could end up on it. One finishing thread at the daemon's own priority resumes them.
final class LowPriorityThreads: Sendable {
    /// The threads that analyse articles: one per core, ten nice levels below the daemon.
    static let analysis = LowPriorityThreads(
        name: "fw-analysis", count: ProcessInfo.processInfo.activeProcessorCount, niceness: 10)

    /// What the lowered threads run.
    private let jobs = JobQueue()
    /// The resumptions of the callers whose jobs are done, for the finishing thread.
    private let resumptions = JobQueue()

    /// Starts `count` threads (at least one) named `name` and numbered from 0, each `niceness` levels below
    /// the priority of the calling thread (as far as the system allows: the nice value stops at 19), and a
    /// finishing thread named `name` at the caller's priority. Names must fit in 15 characters (Linux's limit).
    init(name: String, count: Int, niceness: Int32) {
        Self.start(name) { [resumptions] in resumptions.serve() }
        for number in 0..<max(1, count) {
            Self.start("\(name)-\(number)") { [jobs] in
                // On Linux the nice value belongs to the calling thread alone, not the whole process.
                errno = 0
                let current = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
                if errno == 0 {
                    _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, min(19, current + niceness))
                }
                jobs.serve()
            }
        }
    }

    /// Runs `work` on one of the threads and returns its result.
    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            jobs.post { [resumptions] in
                let result = work()
                resumptions.post { continuation.resume(returning: result) }
            }
        }
    }

    /// Starts a thread named `name` running `body`.
    private static func start(_ name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread {
            // The kernel's name for the thread (what `top -H` shows): Foundation's `Thread.name` reaches it
            // only some of the time on Linux, and a thread left unnamed shows its creator's name.
            try? name.write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
            body()
        }
        thread.start()
    }
}

/// Closures posted by any thread and run, in order, by the threads that serve the queue.
private final class JobQueue: Sendable {
    private let jobs = Mutex<[@Sendable () -> Void]>([])
    /// Signalled once per job posted.
    private let posted = DispatchSemaphore(value: 0)

    func post(_ job: @escaping @Sendable () -> Void) {
        jobs.withLock { $0.append(job) }
        posted.signal()
    }

    /// Runs the jobs as they come, for ever (on a thread of its own).
    func serve() -> Never {
        while true {
            posted.wait()
            let job = jobs.withLock { $0.removeFirst() }
            job()
        }
    }
}
