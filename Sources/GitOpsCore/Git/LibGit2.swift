internal import CGit2

/// Process-wide libgit2: loaded on first use, initialised once, plus error text and helpers.
///
/// libgit2 is not linked but opened when a command first needs it (see CGit2/shim.h), so a
/// machine without it runs every other command and gets a `libraryUnavailable` error here.
enum LibGit2 {
    /// The resolved entry points with `git_libgit2_init` run, or why that failed. A global
    /// `let` initialiser runs exactly once and thread-safely, which both dlopen-then-resolve
    /// and `git_libgit2_init` need.
    private static let loaded: Result<cgit2_api, GitError> = load()

    /// libgit2's functions; the first call loads and initialises the library.
    static func api() throws(GitError) -> cgit2_api {
        try loaded.get()
    }

    static func ensureInitialised() throws(GitError) {
        _ = try api()
    }

    /// The files tried, in order. libgit2's SONAME carries its major.minor because each minor
    /// release changes the ABI, so the versioned name of the build's version comes first;
    /// the unversioned -dev symlink may point at another version, which `cgit2_open` refuses.
    #if os(macOS)
    static let candidates = ["libgit2.\(LIBGIT2_SOVERSION).dylib", "/opt/homebrew/lib/libgit2.\(LIBGIT2_SOVERSION).dylib",
                             "/usr/local/lib/libgit2.\(LIBGIT2_SOVERSION).dylib", "libgit2.dylib",
                             "/opt/homebrew/lib/libgit2.dylib"]
    #else
    static let candidates = ["libgit2.so.\(LIBGIT2_SOVERSION)", "libgit2.so"]
    #endif

    static func load(from candidates: [String] = candidates) -> Result<cgit2_api, GitError> {
        let api: cgit2_api
        switch SharedLibrary.load(candidates, open: { cgit2_open($0, $1, $2, $3) }) {
        case .success(let table):
            api = table
        case .failure(let failure):
            return .failure(.libraryUnavailable(library: "libgit2 \(LIBGIT2_SOVERSION)", reason: failure.reason,
                                                install: installHint))
        }
        let code = api.libgit2_init()
        guard code >= 0 else {
            return .failure(.libgit2(operation: "initialise", code: code, message: message(api)))
        }
        return .success(api)
    }

    #if os(macOS)
    private static let installHint = "brew install libgit2"
    #else
    // Debian and Ubuntu name the runtime package after the SONAME version.
    private static let installHint = "apt-get install libgit2-\(LIBGIT2_SOVERSION)"
    #endif

    /// Turns a negative libgit2 return code into a `GitError` carrying libgit2's message.
    static func check(_ code: Int32, _ operation: String) throws(GitError) {
        guard code < 0 else { return }
        throw GitError.libgit2(operation: operation, code: code, message: lastErrorMessage())
    }

    static func lastErrorMessage() -> String {
        guard case .success(let api) = loaded else { return "libgit2 is not loaded" }
        return message(api)
    }

    private static func message(_ api: cgit2_api) -> String {
        guard let error = api.error_last(), let message = error.pointee.message else { return "unknown error" }
        return String(cString: message)
    }

    /// Points the global, XDG and system configuration levels at `directory`. Tests use it
    /// so that the machine's ~/.gitconfig (user.name, safe.directory) cannot leak in; it is
    /// process-wide in libgit2, so it is not offered to commands.
    static func setConfigSearchPath(_ directory: String) throws(GitError) {
        let git = try api()
        for level in [GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL] {
            try check(cgit2_set_search_path(git.libgit2_opts, Int32(level.rawValue), directory), "set config search path")
        }
    }

    /// Whether this libgit2 was built with an SSH transport (Debian's is, via libssh2).
    static var supportsSSH: Bool {
        guard case .success(let api) = loaded else { return false }
        return (api.libgit2_features() & Int32(GIT_FEATURE_SSH.rawValue)) != 0
    }

    /// The lowercase hex form of an object id, as git prints it.
    static func hex(_ oid: git_oid) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return withUnsafeBytes(of: oid.id) { bytes in
            String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] }, as: UTF8.self)
        }
    }
}
