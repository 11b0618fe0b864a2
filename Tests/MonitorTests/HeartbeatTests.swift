import Foundation
@testable import Monitor
import Testing

@Suite struct HeartbeatTests {
    @Test func aBusyCycleWithoutProgressIsStuckAndIdleIsHealthy() async throws {
        let heartbeat = Heartbeat(stuckAfter: .milliseconds(100))
        #expect(heartbeat.isHealthy, "idle is healthy")
        heartbeat.cycleStarted()
        #expect(heartbeat.isHealthy)
        try await Task.sleep(for: .milliseconds(250))
        #expect(!heartbeat.isHealthy, "busy with no feed finishing past the limit is stuck")
        heartbeat.progressed()
        #expect(heartbeat.isHealthy, "a finished feed is progress")
        heartbeat.cycleEnded()
        try await Task.sleep(for: .milliseconds(250))
        #expect(heartbeat.isHealthy, "waiting for the next due feed is healthy however long")
    }
}

@Suite struct SystemdNotifierTests {
    @Test func withoutNotifySocketNothingIsSent() {
        let notifier = SystemdNotifier(environment: [:])
        #expect(notifier.socketPath == nil)
        #expect(notifier.watchdogInterval == nil)
        #expect(!notifier.notify(["READY=1"]))
    }

    @Test func watchdogIntervalIsHalfTheTimeoutAndOnlyForItsOwnPID() {
        let mine = SystemdNotifier(environment: ["NOTIFY_SOCKET": "@x", "WATCHDOG_USEC": "4000000"])
        #expect(mine.watchdogInterval == .seconds(2))
        let other = SystemdNotifier(environment: ["WATCHDOG_USEC": "4000000", "WATCHDOG_PID": "1"])
        #expect(other.watchdogInterval == nil || getpid() == 1)
    }
}
