import Foundation

/// `edit`: the plaintext goes to a 0600 file in a private 0700 directory, the editor runs on
/// it, and the result is re-encrypted with the same data key (unchanged values keep their
/// IVs, as sops does). The directory is removed afterwards whatever happens.
public struct SopsEditSession: Sendable {
    /// How the edit ended.
    public enum Outcome: Sendable, Equatable {
        case unchanged
        case saved
    }

    public var workspace: SopsWorkspace
    /// A shell command line; the file path is appended as its last argument.
    public var editor: String

    public init(workspace: SopsWorkspace, editor: String) {
        self.workspace = workspace
        self.editor = editor
    }

    /// `SOPS_EDITOR`, else `EDITOR`, else `vi`, as sops chooses.
    public static func editorCommand(environment: [String: String]) -> String {
        for name in ["SOPS_EDITOR", "EDITOR"] {
            if let value = environment[name], !value.isEmpty { return value }
        }
        return "vi"
    }

    /// Runs one edit of `file`. `retry` decides, after an edit that does not parse, whether to
    /// reopen the editor (true) or give up (false) with the original untouched.
    public func run(_ file: String, ignoreMAC: Bool = false, retry: (SopsError) -> Bool) throws(SopsError) -> Outcome {
        var opened = try workspace.open(file, ignoreMAC: ignoreMAC)
        var original = try opened.plaintext()
        defer { Sodium.zero(&original) }
        let directory = try PrivateDirectory()
        // An editor session can last long enough for the terminal to close (SIGHUP) or a
        // Ctrl-C: the plaintext must not stay behind then either.
        let name = (file as NSString).lastPathComponent
        let scratch = directory.path + "/" + name
        let tracked = [InterruptCleanup.track(directory.path), InterruptCleanup.track(scratch)]
        defer {
            directory.remove()
            tracked.compactMap { $0 }.forEach(InterruptCleanup.untrack)
        }
        try directory.write(original, to: scratch)
        while true {
            try launchEditor(on: scratch)
            guard var edited = FileManager.default.contents(atPath: scratch).map({ [UInt8]($0) }) else {
                throw .editor("the edited file \(scratch) disappeared; \(file) is untouched")
            }
            defer { Sodium.zero(&edited) }
            if edited == original { return .unchanged }
            do throws(SopsError) {
                try opened.replacePlaintext(edited)
            } catch {
                if retry(error) { continue }
                throw .editor("the edited file is not valid (\(error.description)); \(file) is untouched")
            }
            try workspace.write(try opened.encrypted(), to: file)
            return .saved
        }
    }

    /// The editor gets the terminal: all three standard streams are the user's.
    private func launchEditor(on path: String) throws(SopsError) {
        var launch = ChildProcess(program: "/bin/sh", arguments: ["-c", editor + " \"$1\"", "sh", path])
        launch.standardInput = .inherited
        launch.standardOutput = .inherited
        launch.standardError = .inherited
        let result: ChildProcessResult
        do { result = try launch.run() } catch {
            throw .editor("cannot start the editor \(editor): \(error.reason)")
        }
        guard result.succeeded else {
            throw .editor("the editor \(editor) failed (\(result.termination)); nothing was changed")
        }
    }
}

/// A mkdtemp directory (0700) for plaintext that must not outlive the command.
struct PrivateDirectory {
    let path: String

    init() throws(SopsError) {
        var template = Array((NSTemporaryDirectory() + "/gitopsctl-edit-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard made != nil else { throw .editor("cannot create a private temporary directory") }
        guard let made = template.withUnsafeBufferPointer({ $0.baseAddress.map { String(cString: $0) } }) else {
            throw .editor("cannot create a private temporary directory")
        }
        path = made
    }

    /// Writes a file readable by the owner only.
    func write(_ bytes: [UInt8], to file: String) throws(SopsError) {
        let fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .cannotWriteFile(path: file, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw .cannotWriteFile(path: file, reason: "short write") }
    }

    /// Overwrites every file with zeros before removing it, then removes the directory.
    func remove() {
        if let names = try? FileManager.default.contentsOfDirectory(atPath: path) {
            for name in names {
                let file = path + "/" + name
                if let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int,
                   let handle = FileHandle(forWritingAtPath: file) {
                    handle.write(Data(count: size))
                    try? handle.synchronize()
                    try? handle.close()
                }
                unlink(file)
            }
        }
        rmdir(path)
    }
}
