internal import CGit2

/// Process-wide libgit2 state: initialisation, error text, configuration search paths.
enum LibGit2 {
    /// libgit2 must be initialised once before any other call; `git_libgit2_init` is
    /// reference-counted and thread-safe, and a global `let` runs it exactly once.
    private static let initialised: Int32 = git_libgit2_init()

    static func ensureInitialised() throws(GitError) {
        guard initialised >= 0 else {
            throw GitError.libgit2(operation: "initialise", code: initialised, message: lastErrorMessage())
        }
    }

    /// Turns a negative libgit2 return code into a `GitError` carrying libgit2's message.
    static func check(_ code: Int32, _ operation: String) throws(GitError) {
        guard code < 0 else { return }
        throw GitError.libgit2(operation: operation, code: code, message: lastErrorMessage())
    }

    static func lastErrorMessage() -> String {
        guard let error = git_error_last(), let message = error.pointee.message else { return "unknown error" }
        return String(cString: message)
    }

    /// Points the global, XDG and system configuration levels at `directory`. Tests use it
    /// so that the machine's ~/.gitconfig (user.name, safe.directory) cannot leak in; it is
    /// process-wide in libgit2, so it is not offered to commands.
    static func setConfigSearchPath(_ directory: String) throws(GitError) {
        try ensureInitialised()
        for level in [GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL] {
            try check(cgit2_set_search_path(Int32(level.rawValue), directory), "set config search path")
        }
    }

    /// Whether this libgit2 was built with an SSH transport (Debian's is, via libssh2).
    static var supportsSSH: Bool {
        (git_libgit2_features() & Int32(GIT_FEATURE_SSH.rawValue)) != 0
    }

    static func hex(_ oid: UnsafePointer<git_oid>) -> String {
        var buffer = [CChar](repeating: 0, count: Int(GIT_OID_HEXSZ) + 1)
        _ = git_oid_tostr(&buffer, buffer.count, oid)
        return String(decoding: buffer.prefix(Int(GIT_OID_HEXSZ)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
