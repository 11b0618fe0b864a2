import CCurl
import Foundation
import Synchronization

/// The single thread that drives every transfer of one fetcher through a libcurl multi handle.
///
/// Other threads talk to it only through `inbox` (new jobs, cancellations, shutdown) followed by
/// `MultiHandle.wakeUp()`; the transfers themselves never leave the loop thread.
final class TransferLoop: Sendable {
    /// Requests waiting for the loop thread to pick them up.
    private struct Inbox {
        var nextID: UInt64 = 1
        var newJobs: [FetchJob] = []
        var cancelledIDs: [UInt64] = []
        var isShutDown = false
    }

    private let multi: MultiHandle?
    private let inbox = Mutex(Inbox())

    /// Creates the multi handle and starts the loop thread.
    init(maxConnectionsPerHost: Int, maxConnections: Int) {
        multi = MultiHandle(maxConnectionsPerHost: maxConnectionsPerHost, maxConnections: maxConnections)
        guard multi != nil else {
            inbox.withLock { $0.isShutDown = true }
            return
        }
        let thread = Thread { [self] in run() }
        thread.name = "feedwatch-fetch"
        thread.start()
    }

    /// A fresh job id.
    func makeID() -> UInt64 {
        inbox.withLock { inbox in
            defer { inbox.nextID += 1 }
            return inbox.nextID
        }
    }

    /// Hands `job` to the loop thread; finishes it at once with `.cancelled` when the calling task is already
    /// cancelled or the loop has stopped, or with `.transport` when libcurl could not be set up.
    func submit(_ job: FetchJob) {
        let accepted = inbox.withLock { inbox in
            guard !inbox.isShutDown, !Task.isCancelled else { return false }
            inbox.newJobs.append(job)
            return true
        }
        guard accepted else {
            if multi == nil {
                job.finish(.failure(FetchError(code: .transport, url: job.request.url, message: "libcurl could not be initialised")))
            } else {
                job.cancel()
            }
            return
        }
        multi?.wakeUp()
    }

    /// Cancels job `id`: at once if the loop has not picked it up yet, otherwise on the loop thread.
    /// Does nothing for a job that already finished.
    func cancel(_ id: UInt64) {
        let waiting: FetchJob? = inbox.withLock { inbox in
            if let index = inbox.newJobs.firstIndex(where: { $0.id == id }) {
                return inbox.newJobs.remove(at: index)
            }
            if !inbox.isShutDown { inbox.cancelledIDs.append(id) }
            return nil
        }
        if let waiting {
            waiting.cancel()
        } else {
            multi?.wakeUp()
        }
    }

    /// Makes the loop thread cancel every transfer and exit; later submissions are cancelled at once.
    func shutdown() {
        inbox.withLock { $0.isShutDown = true }
        multi?.wakeUp()
    }

    /// The loop thread's body.
    private func run() {
        guard let multi else { return }
        var active: [EasyHandle.Key: Transfer] = [:]
        while true {
            let (newJobs, cancelledIDs, isShutDown) = inbox.withLock { inbox in
                defer {
                    inbox.newJobs.removeAll()
                    inbox.cancelledIDs.removeAll()
                }
                return (inbox.newJobs, inbox.cancelledIDs, inbox.isShutDown)
            }
            if isShutDown {
                for transfer in active.values {
                    multi.remove(transfer.easy)
                    transfer.job.cancel()
                }
                newJobs.forEach { $0.cancel() }
                return
            }
            for job in newJobs {
                start(job, in: multi, active: &active)
            }
            for id in cancelledIDs {
                guard let (key, transfer) = active.first(where: { $0.value.job.id == id }) else { continue }
                multi.remove(transfer.easy)
                active[key] = nil
                transfer.job.cancel()
            }
            multi.perform()
            for (key, result) in multi.takeCompletions() {
                guard let transfer = active.removeValue(forKey: key) else { continue }
                multi.remove(transfer.easy)
                transfer.job.finish(transfer.outcome(result))
            }
            multi.poll(milliseconds: 1000)
        }
    }

    /// Sets up a transfer for `job` and adds it to `multi`, or finishes the job with the setup error.
    private func start(_ job: FetchJob, in multi: MultiHandle, active: inout [EasyHandle.Key: Transfer]) {
        let transfer: Transfer
        do {
            transfer = try Transfer(job: job)
        } catch {
            job.finish(.failure(error))
            return
        }
        let added = multi.add(transfer.easy)
        guard added == CURLM_OK else {
            let reason = String(cString: curl_multi_strerror(added))
            job.finish(.failure(FetchError(code: .transport, url: job.request.url, message: "libcurl refused the transfer (\(reason))")))
            return
        }
        active[transfer.easy.key] = transfer
    }
}
