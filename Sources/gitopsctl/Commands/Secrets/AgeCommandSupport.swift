#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GitOpsCore

/// Failures of the `age` and `keygen` commands themselves (the library reports the rest).
struct AgeCommandFailure: UserFacingError {
    var description: String
    var hint: String?

    init(description: String, hint: String? = nil) {
        self.description = description
        self.hint = hint
    }

    /// A library error about the age file being read, prefixed with its name (as
    /// `gitopsctl` names the file in every error) and keeping the library's hint.
    init(naming path: String?, _ error: CryptoError) {
        let name = path == nil || path == "-" ? "standard input" : path ?? ""
        self.init(description: "\(name): \(error.description)", hint: error.hint)
    }
}

/// Input, output and passphrase plumbing shared by `age encrypt`, `age decrypt` and `keygen`.
enum AgeIO {
    /// The environment variable scripts use instead of the terminal prompt.
    static let passphraseVariable = "GITOPSCTL_AGE_PASSPHRASE"

    /// The positional input file, or standard input when it is absent or `-`.
    static func input(_ path: String?) throws -> FileInput {
        guard let path, path != "-" else { return .standardInput() }
        return try FileInput(path: path)
    }

    /// Reads a whole (small) file such as an identity or recipients file.
    static func readSmallFile(_ path: String, limit: Int = 16 << 20) throws -> [UInt8] {
        let file = try input(path)
        var bytes = [UInt8](repeating: 0, count: 64 * 1024)
        var count = 0
        while true {
            if count == bytes.count {
                guard bytes.count < limit else { throw FilesError.read(path: path, reason: "file too large") }
                bytes += [UInt8](repeating: 0, count: bytes.count)
            }
            let n = try file.read(into: &bytes, at: count, count: bytes.count - count)
            if n == 0 { break }
            count += n
        }
        return Array(bytes[..<count])
    }

    /// The identities in an identity file (`-` for standard input); a passphrase-encrypted
    /// identity file asks for its passphrase.
    static func identities(_ path: String) throws -> [AgeIdentity] {
        try AgeIdentity.parseIdentityFile(try readSmallFile(path), source: path == "-" ? "standard input" : path) {
            try passphrase(confirm: false)
        }
    }

    /// Runs `write` against the `-o` file (atomically: the file appears only if `write`
    /// succeeds, so a failed decryption never leaves a partial plaintext) or standard output.
    static func withOutput(_ path: String?, mode: mode_t = 0o666, existing: AtomicFileWriter.ExistingFile = .replace,
                           _ write: (ByteSink) throws -> Void) throws {
        guard let path, path != "-" else {
            try write(FileOutput.standardOutput())
            return
        }
        let file = try AtomicFileWriter(path: path, mode: mode, existing: existing)
        try write(file)
        try file.commit()
    }

    /// The passphrase from `GITOPSCTL_AGE_PASSPHRASE`, else asked on the terminal with echo
    /// off (twice when `confirm`, as age does when encrypting).
    static func passphrase(confirm: Bool) throws -> SecretBytes {
        if let value = getenv(passphraseVariable) {
            let text = String(cString: value)
            guard !text.isEmpty else { throw AgeCommandFailure(description: "\(passphraseVariable) is empty") }
            return SecretBytes(utf8: text)
        }
        let tty = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard tty >= 0 else {
            throw AgeCommandFailure(description: "cannot read a passphrase: no terminal",
                                    hint: "set \(passphraseVariable) when running without a terminal")
        }
        defer { close(tty) }
        var first = try readHidden(tty, prompt: "Enter passphrase: ")
        defer { zeroBytes(&first) }
        guard !first.isEmpty else { throw AgeCommandFailure(description: "empty passphrase") }
        if confirm {
            var second = try readHidden(tty, prompt: "Confirm passphrase: ")
            defer { zeroBytes(&second) }
            guard first == second else { throw AgeCommandFailure(description: "passphrases didn't match") }
        }
        return SecretBytes(consuming: &first)
    }

    /// One line from the terminal with echo turned off (and restored, even on error).
    private static func readHidden(_ tty: Int32, prompt: String) throws -> [UInt8] {
        // Echo goes off before the prompt appears, and without flushing pending input: a
        // fast typist (or a test driving a pty) may answer as soon as the prompt is shown.
        var saved = termios()
        let canHide = tcgetattr(tty, &saved) == 0
        if canHide {
            var hidden = saved
            hidden.c_lflag &= ~tcflag_t(ECHO)
            _ = tcsetattr(tty, TCSANOW, &hidden)
        }
        defer {
            if canHide { _ = tcsetattr(tty, TCSANOW, &saved) }
            var newline: [UInt8] = [10]
            _ = Glibc.write(tty, &newline, 1)
        }
        var promptBytes = Array(prompt.utf8)
        _ = Glibc.write(tty, &promptBytes, promptBytes.count)
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while Glibc.read(tty, &byte, 1) == 1 {
            if byte == 10 { break }
            if byte != 13 { line.append(byte) }
        }
        byte = 0
        return line
    }

    private static func zeroBytes(_ bytes: inout [UInt8]) {
        for i in bytes.indices { bytes[i] = 0 }
    }
}
