/// How to authenticate a push over SSH. file:// and local-path remotes need none.
public enum GitPushCredentials: Sendable, Equatable {
    /// Keys offered by the running ssh-agent (`SSH_AUTH_SOCK`).
    case sshAgent
    /// An unencrypted private key file (`--private-key-file`).
    case sshKeyFile(path: String)
}
