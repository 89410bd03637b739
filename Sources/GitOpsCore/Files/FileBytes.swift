#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads that also work on pipes and process substitutions (`/dev/stdin`,
/// `/dev/fd/3`), which `FileManager.contents(atPath:)` refuses on Linux: users feed sops that
/// way (`sops decrypt --input-type yaml /dev/stdin`), so we must read them too.
public enum FileBytes {
    /// The bytes of `path`; errors name the path and the system's reason in plain words.
    public static func read(atPath path: String) throws(FilesError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .open(path: path, reason: reason(errno)) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw .read(path: path, reason: reason(errno)) }
        let type = status.st_mode & S_IFMT
        if type == S_IFDIR { throw .read(path: path, reason: "is a directory") }
        let regularSize = type == S_IFREG ? Int(status.st_size) : 0
        // One read more than the size sees EOF (or a file that grew) without a second pass.
        var bytes = [UInt8](repeating: 0, count: max(regularSize + 1, 64 * 1024))
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: bytes.count)) }
            let n = bytes.withUnsafeMutableBytes { raw in
                #if canImport(Glibc)
                Glibc.read(fd, raw.baseAddress.map { $0 + filled }, raw.count - filled)
                #else
                Darwin.read(fd, raw.baseAddress.map { $0 + filled }, raw.count - filled)
                #endif
            }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw .read(path: path, reason: reason(errno))
            }
            filled += n
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: "no such file"
        case EACCES: "permission denied"
        case EISDIR: "is a directory"
        default: String(cString: strerror(code)).lowercased()
        }
    }
}
