#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that readers only ever see the old contents or the complete new ones:
/// bytes go to a private temp file in the same directory, which is fsynced and renamed over
/// the target on `commit()`. A writer released without `commit()` removes its temp file, so a
/// failed encryption or decryption never leaves a partial or plaintext file behind; a process
/// ended by SIGINT, SIGTERM or SIGHUP meanwhile removes it too (`InterruptCleanup`).
///
/// The target's permission bits and owner are kept when it exists; a new file gets `mode`.
public final class AtomicFileWriter: ByteSink {
    /// What to do when the target already exists.
    public enum ExistingFile: Sendable {
        /// Replace it (in-place edits, `age -o`).
        case replace
        /// Fail with `FilesError.exists`, checked again atomically at commit (`keygen -o`).
        case refuse
    }

    public let path: String
    private let temporaryPath: String
    private let output: FileOutput
    private let existing: ExistingFile
    private var committed = false
    private var tracked: InterruptCleanup.Tracked?
    private let finalMode: mode_t
    private let finalOwner: (uid_t, gid_t)?

    /// Creates the temp file. `mode` applies to a new file (default 0644 less the umask is
    /// what most tools do; key files pass 0o600).
    public init(path: String, mode: mode_t = 0o644, existing: ExistingFile = .replace) throws(FilesError) {
        self.path = path
        self.existing = existing
        var status = stat()
        let targetExists = stat(path, &status) == 0
        if targetExists && existing == .refuse { throw .exists(path: path) }

        let directory = AtomicFileWriter.directory(of: path)
        let base = path.split(separator: "/").last.map(String.init) ?? "file"
        var template = Array("\(directory)/.\(base).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .open(path: path, reason: String(cString: strerror(errno))) }
        temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        tracked = InterruptCleanup.track(temporaryPath)
        output = FileOutput(fd: fd, name: path, owns: true)

        // mkstemp made the file 0600 and it stays so while partial (a killed process may leave
        // it behind); the final mode and owner are applied just before it is published.
        if targetExists {
            finalMode = status.st_mode & 0o7777
            finalOwner = (status.st_uid, status.st_gid)
        } else {
            let mask = umask(0)
            umask(mask)
            finalMode = mode & ~mask
            finalOwner = nil
        }
    }

    public func write(_ buffer: [UInt8], _ range: Range<Int>) throws {
        try output.write(buffer, range)
    }

    /// Flushes to disk and moves the file into place.
    public func commit() throws(FilesError) {
        guard !committed else { return }
        if let (uid, gid) = finalOwner { _ = fchown(output.fd, uid, gid) }  // best effort: only root may change owners
        guard fchmod(output.fd, finalMode) == 0, fsync(output.fd) == 0 else { throw .write(path: path, reason: String(cString: strerror(errno))) }
        switch existing {
        case .replace:
            guard rename(temporaryPath, path) == 0 else {
                throw .rename(from: temporaryPath, to: path, reason: String(cString: strerror(errno)))
            }
        case .refuse:
            // link(2) fails if the target appeared since init: never overwrite.
            guard link(temporaryPath, path) == 0 else {
                if errno == EEXIST { throw .exists(path: path) }
                throw .rename(from: temporaryPath, to: path, reason: String(cString: strerror(errno)))
            }
            unlink(temporaryPath)
        }
        committed = true
        stopTracking()
        let dir = open(AtomicFileWriter.directory(of: path), O_RDONLY | O_CLOEXEC)
        if dir >= 0 { _ = fsync(dir); close(dir) }
    }

    /// Writes `bytes` to `path` atomically in one call.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644, existing: ExistingFile = .replace) throws {
        let writer = try AtomicFileWriter(path: path, mode: mode, existing: existing)
        try writer.write(bytes)
        try writer.commit()
    }

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private func stopTracking() {
        if let tracked { InterruptCleanup.untrack(tracked) }
        tracked = nil
    }

    deinit {
        if !committed { unlink(temporaryPath) }
        stopTracking()
    }
}
