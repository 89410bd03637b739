import Foundation
internal import CGit2

extension GitRepository {
    /// Pushes `branch` (default: the branch HEAD points at) to the same branch of `remote`.
    ///
    /// Supported transports: file:// URLs and local paths, and SSH (`ssh://` or
    /// `user@host:path`) with the given credentials. HTTPS needs a credential helper, which
    /// libgit2 does not run, so it is refused up front with a clear message.
    public func push(branch: String? = nil, to remote: String = "origin",
                     credentials: GitPushCredentials = .sshAgent) throws(GitError) {
        let currentBranch = try branch == nil ? head().branch : branch
        guard let branch = currentBranch else { throw GitError.detachedHead }
        guard let url = try remoteURL(named: remote) else { throw GitError.remoteNotFound(name: remote) }
        try Self.checkTransport(of: url)

        var remoteHandle: OpaquePointer?
        try LibGit2.check(git.remote_lookup(&remoteHandle, handle, remote), "look up remote \(remote)")
        defer { git.remote_free(remoteHandle) }

        var options = git_push_options()
        try LibGit2.check(git.push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION)), "prepare push")
        let state = PushState(credentials: credentials, git: git)
        let payload = Unmanaged.passRetained(state)
        defer { payload.release() }
        options.callbacks.payload = payload.toOpaque()
        options.callbacks.credentials = { out, _, usernameFromURL, allowed, payload in
            guard let out, let payload else { return GIT_PASSTHROUGH.rawValue }
            return Unmanaged<PushState>.fromOpaque(payload).takeUnretainedValue()
                .credential(out, username: usernameFromURL.map { String(cString: $0) }, allowed: allowed)
        }
        options.callbacks.push_update_reference = { reference, status, payload in
            guard let reference, let status, let payload else { return 0 }
            Unmanaged<PushState>.fromOpaque(payload).takeUnretainedValue()
                .rejected.append((String(cString: reference), String(cString: status)))
            return 0
        }

        let reference = "refs/heads/\(branch)"
        let code = CStringArray(["\(reference):\(reference)"]).withStrarray { refspecs -> Int32 in
            var refspecs = refspecs
            return git.remote_push(remoteHandle, &refspecs, &options)
        }
        if code == GIT_ENONFASTFORWARD.rawValue {
            throw GitError.pushRejected(reference: reference, reason: "not a fast-forward of the remote branch")
        }
        if code == GIT_ECERTIFICATE.rawValue {
            let (host, port) = Self.sshHost(of: url)
            throw GitError.unknownHostKey(url: url, host: host, port: port)
        }
        if code == GIT_EAUTH.rawValue || (code < 0 && state.attempts > 1) {
            throw GitError.authenticationFailed(url: url, message: LibGit2.lastErrorMessage())
        }
        try LibGit2.check(code, "push to \(remote) (\(url))")
        if let (rejected, reason) = state.rejected.first {
            throw GitError.pushRejected(reference: rejected, reason: reason)
        }
    }

    /// The host (and a port other than 22) of an `ssh://` or scp-style `user@host:path` URL,
    /// as ssh-keyscan takes them.
    static func sshHost(of url: String) -> (host: String, port: Int?) {
        if let components = URLComponents(string: url), components.scheme != nil, let host = components.host {
            return (host, components.port.flatMap { $0 == 22 ? nil : $0 })
        }
        let afterUser = url.split(separator: "@", maxSplits: 1).last.map(String.init) ?? url
        return (String(afterUser.prefix { $0 != ":" }), nil)
    }

    /// Refuses transports that cannot work before any network traffic happens.
    static func checkTransport(of url: String) throws(GitError) {
        let lowered = url.lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
            throw GitError.unsupportedRemote(url: url, reason:
                "pushing over HTTPS is not supported (no credential helper); use an ssh:// or file:// remote, or push with git")
        }
        let isSSH = lowered.hasPrefix("ssh://") || lowered.hasPrefix("git+ssh://")
            || (!lowered.contains("://") && url.range(of: #"^[^/]+@[^/:]+:"#, options: .regularExpression) != nil)
        if isSSH && !LibGit2.supportsSSH {
            throw GitError.unsupportedRemote(url: url, reason: "this libgit2 was built without SSH support")
        }
    }
}

/// What the push callbacks (plain C function pointers) share with `push`.
private final class PushState {
    let credentials: GitPushCredentials
    let git: cgit2_api
    var attempts = 0
    var rejected: [(String, String)] = []

    init(credentials: GitPushCredentials, git: cgit2_api) {
        self.credentials = credentials
        self.git = git
    }

    func credential(_ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>, username: String?, allowed: UInt32) -> Int32 {
        // libgit2 asks again after a refused credential; a second offer of the same one
        // would loop forever, so give up and let push report the authentication failure.
        attempts += 1
        guard attempts == 1 else { return GIT_EAUTH.rawValue }
        let user = username ?? "git"
        if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 {
            switch credentials {
            case .sshAgent:
                return git.credential_ssh_key_from_agent(out, user)
            case .sshKeyFile(let path):
                return git.credential_ssh_key_new(out, user, nil, path, nil)
            }
        }
        if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0 {
            return git.credential_username_new(out, user)
        }
        return GIT_PASSTHROUGH.rawValue
    }
}
