import Foundation
import Testing
@testable import GitOpsCore

/// The table of paths a signal would unlink: registration from many threads at once never hands
/// one slot to two writers, and a full table refuses instead of overwriting.
struct InterruptCleanupTests {
    @Test func concurrentRegistrationsGetDistinctSlots() async {
        let held = HeldSlots()
        await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var failures = 0
                    for round in 0..<500 {
                        guard let tracked = InterruptCleanup.track("/nonexistent/\(task)/\(round)") else {
                            failures += 1
                            continue
                        }
                        if !held.take(tracked.slotForTesting) { failures += 1 }
                        held.give(tracked.slotForTesting)
                        InterruptCleanup.untrack(tracked)
                    }
                    return failures
                }
            }
            let failures = await group.reduce(0, +)
            #expect(failures == 0)
        }
    }

    @Test func aFullTableRefusesAndRecovers() {
        var tracked: [InterruptCleanup.Tracked] = []
        while let next = InterruptCleanup.track("/nonexistent/full/\(tracked.count)") {
            tracked.append(next)
            if tracked.count > InterruptCleanup.capacity { break }
        }
        #expect(!tracked.isEmpty && tracked.count <= InterruptCleanup.capacity)
        #expect(Set(tracked.map(\.slotForTesting)).count == tracked.count)
        tracked.forEach(InterruptCleanup.untrack)
        let again = InterruptCleanup.track("/nonexistent/after")
        #expect(again != nil)
        again.map(InterruptCleanup.untrack)
    }
}

/// Slots currently held by some task; taking one that is held means two owners.
private final class HeldSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: Set<Int> = []

    func take(_ slot: Int) -> Bool { lock.withLock { slots.insert(slot).inserted } }
    func give(_ slot: Int) { lock.withLock { _ = slots.remove(slot) } }
}
