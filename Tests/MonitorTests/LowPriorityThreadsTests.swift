import Foundation
@testable import Monitor
import Synchronization
import Testing

/// The analysis threads: work runs off the calling thread, below the daemon's priority, several at once.
@Suite(.timeLimit(.minutes(1)))
struct LowPriorityThreadsTests {
    @Test func workRunsOnAThreadBelowTheCallersPriority() async throws {
        errno = 0
        let own = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        let threads = LowPriorityThreads(name: "test-low", count: 1, niceness: 5)
        let (name, nice) = await threads.run {
            // The kernel's name for the thread, as `top -H` shows it.
            let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
            return (name.trimmingCharacters(in: .newlines), getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0))
        }
        #expect(name == "test-low-0")
        #expect(nice == min(19, own + 5))
        // The caller's own priority is untouched: the nice value is the worker thread's alone.
        #expect(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) == own)
    }

    @Test func manyCallersEachGetTheirOwnResult() async throws {
        let threads = LowPriorityThreads(name: "test-many", count: 2, niceness: 1)
        let results = await withTaskGroup(of: (Int, Int).self) { group in
            for number in 0..<200 {
                group.addTask { (number, await threads.run { number * number }) }
            }
            return await group.reduce(into: [Int: Int]()) { $0[$1.0] = $1.1 }
        }
        #expect(results.count == 200)
        #expect(results.allSatisfy { $0.value == $0.key * $0.key })
    }

    @Test func twoThreadsWorkAtOnce() async throws {
        let threads = LowPriorityThreads(name: "test-both", count: 2, niceness: 1)
        // Each job waits (up to 10 s) for the other to start: with one thread the first would give up and fail.
        let started = Started()
        let job: @Sendable () -> Bool = {
            started.count.add(1, ordering: .sequentiallyConsistent)
            let deadline = Date().addingTimeInterval(10)
            while started.count.load(ordering: .sequentiallyConsistent) < 2 && Date() < deadline { usleep(1000) }
            return started.count.load(ordering: .sequentiallyConsistent) == 2
        }
        async let first = threads.run(job)
        async let second = threads.run(job)
        let (a, b) = await (first, second)
        #expect(a && b)
    }

    private final class Started: Sendable {
        let count = Atomic(0)
    }
}
