import Foundation
import TestSupport
import Testing

/// The binary allocates with jemalloc, with the settings in Sources/CJemalloc: with glibc's malloc a cold cycle
/// took 8 to 16% more CPU, and the settings hold its peak memory (Benchmarks/README, "Allocator").
@Suite struct AllocatorTests {
    #if os(Linux)
    @Test func theBinaryRunsOnJemallocWithItsSettings() throws {
        // jemalloc prints its statistics, options included, at exit when MALLOC_CONF asks it to; glibc's
        // malloc ignores the variable and prints nothing.
        let result = try Feedwatch.runShell("MALLOC_CONF=stats_print:true '\(TestPaths.executable.path)' --version")
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let stats = result.standardOutput + result.standardError
        #expect(stats.contains("jemalloc statistics"), "no jemalloc statistics: \(stats.prefix(300))")
        // (Not muzzy_decay_ms: Debian's jemalloc has 0 by default, so it would pass without the settings.)
        let options = ["opt.narenas: 1", "opt.tcache_max: 4096", "opt.dirty_decay_ms: 300", "opt.background_thread: true"]
        for option in options {
            #expect(stats.contains(option), "\(option) not in jemalloc's options")
        }
    }
    #endif

    @Test func theSystemdUnitLeavesJemallocTheOvercommitSetting() throws {
        // jemalloc reads /proc/sys/vm/overcommit_memory when it starts; ProcSubset=pid hides /proc/sys, and then
        // it hands pages back by mapping over them (930 mappings after a 1,000-feed cycle instead of 271).
        let unit = try String(
            contentsOf: TestPaths.packageRoot.appendingPathComponent("systemd/feedwatch.service"), encoding: .utf8)
        let settings = unit.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(settings.contains("ProtectKernelTunables=yes"), "/proc/sys stays read-only")
        #expect(!settings.contains { $0.hasPrefix("ProcSubset=") && $0 != "ProcSubset=all" })
    }
}
