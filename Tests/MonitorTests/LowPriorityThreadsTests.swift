import Foundation
@testable import Monitor
import Synchronization
import Testing

/// The analysis threads: work runs off the calling thread, below the daemon's priority, several at once, and
/// no other thread ends up at their priority.
@Suite(.timeLimit(.minutes(1)))
struct LowPriorityThreadsTests {
    /// The kernel's name and nice value of each thread of this process.
    static func threads() -> [(name: String, nice: Int)] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.compactMap { task in
            guard let name = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8),
                let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
                let afterName = stat.range(of: ") ", options: .backwards)
            else { return nil }
            // Fields after the name, from the state (field 3): the nice value is field 19.
            let fields = stat[afterName.upperBound...].split(separator: " ")
            guard fields.count > 16, let nice = Int(fields[16]) else { return nil }
            return (name.trimmingCharacters(in: .newlines), nice)
        }
    }

    @Test func workRunsOnANamedThreadBelowTheCreatorsPriority() async throws {
        errno = 0
        let own = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        let pool = LowPriorityThreads(name: "test-low", count: 1, niceness: 5)
        let (name, nice) = await pool.run {
            // The kernel's name for the thread, as `top -H` shows it.
            let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
            return (name.trimmingCharacters(in: .newlines), getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0))
        }
        #expect(name == "test-low-0")
        #expect(nice == min(19, own + 5))
        let finisher = try #require(Self.threads().first { $0.name == "test-low" })
        #expect(finisher.nice == Int(own), "the finishing thread keeps the creator's priority")
    }

    @Test func manyCallersEachGetTheirOwnResultAndNoOtherThreadIsLowered() async throws {
        let pool = LowPriorityThreads(name: "test-many", count: 2, niceness: 7)
        let results = await withTaskGroup(of: (Int, Int).self) { group in
            for number in 0..<200 {
                group.addTask { (number, await pool.run { number * number }) }
            }
            return await group.reduce(into: [Int: Int]()) { $0[$1.0] = $1.1 }
        }
        #expect(results.count == 200)
        #expect(results.allSatisfy { $0.value == $0.key * $0.key })
        // The callers resumed on cooperative threads; none of those (nor any other) took the pool's priority.
        let lowered = Self.threads().filter { $0.nice >= 7 && !$0.name.hasPrefix("test-") && !$0.name.hasPrefix("fw-analysis") }
        #expect(lowered.isEmpty, "\(lowered)")
    }

    @Test func twoThreadsWorkAtOnce() async throws {
        let pool = LowPriorityThreads(name: "test-both", count: 2, niceness: 1)
        // Each job waits (up to 10 s) for the other to start: with one thread the first would give up and fail.
        let started = Started()
        let job: @Sendable () -> Bool = {
            started.count.add(1, ordering: .sequentiallyConsistent)
            let deadline = Date().addingTimeInterval(10)
            while started.count.load(ordering: .sequentiallyConsistent) < 2 && Date() < deadline { usleep(1000) }
            return started.count.load(ordering: .sequentiallyConsistent) == 2
        }
        async let first = pool.run(job)
        async let second = pool.run(job)
        let (a, b) = await (first, second)
        #expect(a && b)
    }

    private final class Started: Sendable {
        let count = Atomic(0)
    }
}
