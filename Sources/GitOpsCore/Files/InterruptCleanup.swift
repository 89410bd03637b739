#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Files that must not outlive the process if it is interrupted: the hidden temp file of an
/// `AtomicFileWriter` before its rename, the plaintext `edit` hands to the editor and its private
/// directory. A process ended by SIGINT, SIGTERM or SIGHUP unlinks every tracked file, removes
/// every tracked directory that is then empty, and dies of the same signal, so its exit status
/// stays the usual 128+N and the target file is exactly as it was.
///
/// The handler is installed once, on the first `track`, for each of the three signals that is not
/// ignored (a signal `nohup` or a shell set to SIG_IGN stays ignored). It only loads atomics,
/// calls `unlink` and `rmdir` on C strings built before it ran, resets the signal to its default
/// action and raises it again: all async-signal-safe.
enum InterruptCleanup {
    /// A tracked path, to be given back to `untrack` once the file is gone or published.
    struct Tracked: Sendable {
        fileprivate let slot: Int
        fileprivate let path: Int

        var slotForTesting: Int { slot }
    }

    /// Starts tracking `path` (a file, or a directory whose tracked files go first). Nil when the table is full (more writes in flight than it holds);
    /// that file is then only removed by the writer itself.
    static func track(_ path: String) -> Tracked? {
        _ = handlersInstalled
        guard let copy = strdup(path) else { return nil }
        let bits = Int(bitPattern: copy)
        for slot in 0..<slotCount
        where (slots + slot).pointee.compareExchange(expected: 0, desired: bits, ordering: .sequentiallyConsistent).exchanged {
            return Tracked(slot: slot, path: bits)
        }
        free(copy)
        return nil
    }

    /// Stops tracking: call after the file was unlinked or renamed into place.
    static func untrack(_ tracked: Tracked) {
        (slots + tracked.slot).pointee.store(0, ordering: .sequentiallyConsistent)
        // The handler sets `dying` before it reads the slots, and this thread cleared the slot
        // before it reads `dying` (all sequentially consistent): either the handler cannot see
        // this pointer any more, or this thread sees `dying` and leaves the string alone for the
        // handler, which ends the process anyway.
        guard !dying.load(ordering: .sequentiallyConsistent) else { return }
        free(UnsafeMutableRawPointer(bitPattern: tracked.path))
    }

    /// How many writes can be tracked at once; gitopsctl has a handful in flight at most.
    static var capacity: Int { slotCount }

    /// The signals that end a process and deserve a clean-up; SIGKILL cannot be caught.
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
}

/// A literal, so the handler reads no lazily initialised global for it.
private let slotCount = 256

/// Each slot holds 0 or the address of a C string made by `strdup`. Allocated once and never
/// freed, so the handler can always read it.
private nonisolated(unsafe) let slots: UnsafeMutablePointer<Atomic<Int>> = {
    let table = UnsafeMutablePointer<Atomic<Int>>.allocate(capacity: slotCount)
    for slot in 0..<slotCount { (table + slot).initialize(to: Atomic(0)) }
    return table
}()

/// Set by the handler before it reads the slots; see `untrack`.
private let dying = Atomic<Bool>(false)

/// Installs the handler once for the process (Swift runs a global's initialiser exactly once,
/// thread-safely). The table is created first, so the handler never runs its initialiser.
private let handlersInstalled: Void = {
    _ = slots
    for signal in InterruptCleanup.signals {
        var current = sigaction()
        guard sigaction(signal, nil, &current) == 0, !isIgnored(current) else { continue }
        // One clean-up at a time on this thread: the other two signals wait until it is done.
        var mask = sigset_t()
        sigemptyset(&mask)
        for other in InterruptCleanup.signals { sigaddset(&mask, other) }
        setHandler(removeTrackedFiles, for: signal, blocking: mask)
    }
}()

private typealias SignalHandler = @convention(c) (Int32) -> Void

/// sigaction(2) with `handler` (SIG_DFL too), `mask` blocked while it runs, no flags.
private func setHandler(_ handler: SignalHandler?, for signal: Int32, blocking mask: sigset_t) {
    var action = sigaction()
    #if canImport(Glibc)
    action.__sigaction_handler.sa_handler = handler
    #else
    action.__sigaction_u.__sa_handler = handler
    #endif
    action.sa_mask = mask
    action.sa_flags = 0
    sigaction(signal, &action, nil)
}

private func isIgnored(_ action: sigaction) -> Bool {
    #if canImport(Glibc)
    let handler = action.__sigaction_handler.sa_handler
    #else
    let handler = action.__sigaction_u.__sa_handler
    #endif
    return unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
}

/// The signal handler. The re-raised signal is blocked while the handler runs, so it is
/// delivered, with the default action, as soon as the handler returns.
private func removeTrackedFiles(_ signal: Int32) {
    dying.store(true, ordering: .sequentiallyConsistent)
    // Files first, then directories (unlink fails on those, rmdir on files), whatever the order
    // of their slots.
    forEachTrackedPath { _ = unlink($0) }
    forEachTrackedPath { _ = rmdir($0) }
    var nothing = sigset_t()
    sigemptyset(&nothing)
    setHandler(SIG_DFL, for: signal, blocking: nothing)
    raise(signal)
}

private func forEachTrackedPath(_ body: (UnsafePointer<CChar>) -> Void) {
    for slot in 0..<slotCount {
        let bits = (slots + slot).pointee.load(ordering: .sequentiallyConsistent)
        if let path = UnsafePointer<CChar>(bitPattern: bits) { body(path) }
    }
}
