import Foundation

/// Lets one worker of a campaign run a test alone: while it waits or runs, the other workers finish the test they
/// have and start no new one.
///
/// A hang (or a dead process) seen while the machine is busy may only say that the machine was busy; a shared CI
/// runner is. Before such a test is filed, it is run again with the campaign's own other workers idle
/// (`CampaignRunner.confirmed`), so a verdict does not depend on what else graphsmith was doing at the time.
final class SoloGate: @unchecked Sendable {
    private let condition = NSCondition()
    /// Tests in flight outside a solo run.
    private var running = 0
    /// Workers waiting for, or holding, the solo slot.
    private var soloRequests = 0
    private var soloActive = false

    /// Called before a worker starts a test: waits while some worker waits for or holds the solo slot.
    func enter() {
        condition.lock()
        defer { condition.unlock() }
        while soloRequests > 0 { condition.wait() }
        running += 1
    }

    /// Called when a worker's test is over.
    func leave() {
        condition.lock()
        defer { condition.unlock() }
        running -= 1
        condition.broadcast()
    }

    /// Runs `body` once no other test is in flight (the caller must have left its own test) and no other solo run
    /// is active; new tests wait until it is over.
    func solo<T>(_ body: () throws -> T) rethrows -> T {
        condition.lock()
        soloRequests += 1
        while soloActive || running > 0 { condition.wait() }
        soloActive = true
        condition.unlock()
        defer {
            condition.lock()
            soloActive = false
            soloRequests -= 1
            condition.broadcast()
            condition.unlock()
        }
        return try body()
    }
}
