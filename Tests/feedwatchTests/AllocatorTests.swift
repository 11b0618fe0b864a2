import Foundation
import TestSupport
import Testing

/// The binary allocates with jemalloc, with the settings in Sources/CJemalloc: glibc's malloc made a cold
/// cycle's CPU 8% higher, and the settings hold its peak memory (Benchmarks/README).
@Suite struct AllocatorTests {
    #if os(Linux)
    @Test func theBinaryRunsOnJemallocWithItsSettings() throws {
        // jemalloc prints its statistics, options included, at exit when MALLOC_CONF asks it to; glibc's
        // malloc ignores the variable and prints nothing.
        let result = try Feedwatch.runShell("MALLOC_CONF=stats_print:true '\(TestPaths.executable.path)' --version")
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let stats = result.standardOutput + result.standardError
        #expect(stats.contains("jemalloc statistics"), "no jemalloc statistics: \(stats.prefix(300))")
        for option in ["opt.narenas: 1", "opt.tcache_max: 4096", "opt.dirty_decay_ms: 300", "opt.muzzy_decay_ms: 0",
            "opt.background_thread: true"]
        {
            #expect(stats.contains(option), "\(option) not in jemalloc's options")
        }
    }
    #endif
}
