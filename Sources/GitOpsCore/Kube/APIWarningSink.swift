import Foundation

/// Where a transport hands the warnings the API server sends. Like kubectl's warning writer it
/// passes on only code-299 warnings with a text, and each distinct text only once for the life
/// of the sink, however many requests (discovery, reads, one apply per object) repeat it. The
/// executable keeps one sink per process and prints what reaches `write` on stderr.
public final class APIWarningSink: Sendable {
    private let write: @Sendable (String) -> Void
    private let seen = SeenTexts()

    /// `write` gets each new warning text, unquoted, from whichever thread ran the request.
    public init(write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    func receive(_ warnings: [APIWarning]) {
        for warning in warnings where warning.code == 299 && !warning.text.isEmpty {
            if seen.insert(warning.text) { write(warning.text) }
        }
    }
}

/// The warning texts already passed on; a lock because requests run on several threads.
private final class SeenTexts: @unchecked Sendable {
    private let lock = NSLock()
    private var texts: Set<String> = []

    /// True when `text` is new.
    func insert(_ text: String) -> Bool {
        lock.withLock { texts.insert(text).inserted }
    }
}
