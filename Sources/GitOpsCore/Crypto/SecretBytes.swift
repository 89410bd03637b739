/// Key material (age file keys, X25519 scalars, SOPS data keys, passphrases) held in memory
/// that is overwritten with zeros when the last copy of the value is released.
///
/// The bytes are fixed at creation. Code outside the C wrapper files never sees the bytes
/// themselves: it hands the value to a primitive, so secrets do not leak into `Array`s that
/// nobody zeroes. `description` never shows the contents.
public struct SecretBytes: Sendable, CustomStringConvertible {
    private let storage: Storage

    /// The number of secret bytes.
    public var count: Int { storage.count }

    /// Takes a copy of `bytes` and zeroes the caller's array, so the secret lives in one place.
    public init(consuming bytes: inout [UInt8]) {
        storage = Storage(count: bytes.count)
        bytes.withUnsafeBytes { storage.buffer.copyMemory(from: $0) }
        Sodium.zero(&bytes)
    }

    /// A fresh secret of `count` random bytes from the operating system's CSPRNG.
    public static func random(count: Int) -> SecretBytes {
        SecretBytes(count: count) { Sodium.fillRandom($0) }
    }

    /// The UTF-8 bytes of a passphrase or an identity string.
    public init(utf8 text: String) {
        var bytes = Array(text.utf8)
        self.init(consuming: &bytes)
    }

    /// Builds a secret by letting a C primitive write `count` bytes in place.
    init(count: Int, fill: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        storage = Storage(count: count)
        try fill(UnsafeMutableRawBufferPointer(rebasing: storage.buffer[0..<count]))
    }

    /// Read access for the C wrapper files only.
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(rebasing: storage.buffer[0..<storage.count]))
    }

    /// Constant-time comparison, for tests and for matching derived keys.
    func constantTimeEquals(_ other: SecretBytes) -> Bool {
        withUnsafeBytes { a in other.withUnsafeBytes { b in Sodium.constantTimeEqual(a, b) } }
    }

    public var description: String { "SecretBytes(\(count) bytes, redacted)" }

    /// One heap allocation per secret; `deinit` runs once no `SecretBytes` refers to it.
    private final class Storage: @unchecked Sendable {
        // Written only during `init`, read-only afterwards: safe to share across threads.
        let buffer: UnsafeMutableRawBufferPointer
        let count: Int

        init(count: Int) {
            self.count = count
            buffer = .allocate(byteCount: max(count, 1), alignment: 16)
            buffer.initializeMemory(as: UInt8.self, repeating: 0)
        }

        deinit {
            Sodium.zero(buffer)
            buffer.deallocate()
        }
    }
}
