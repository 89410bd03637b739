/// What a build reads a source file for: the cases where kustomize-controller may replace a
/// file's contents before kustomize sees them (it decrypts SOPS-encrypted generator inputs
/// and patch files, fluxcd/kustomize-controller internal/decryptor `DecryptSources`).
public enum KustomizeSourceUse: Sendable, Equatable {
    /// A `secretGenerator` `files:` entry, stored under `key`.
    case secretFile(key: String)
    /// A `secretGenerator` `envs:` (dotenv) entry.
    case secretEnv
    /// A `configMapGenerator` `files:` or `envs:` entry.
    case configMapSource
    /// A `patches[].path` file.
    case patch
}

/// Sees the bytes of every generator input and patch file a build reads and returns what the
/// build should use instead (the same bytes when there is nothing to change).
public protocol KustomizeSourceFilter: Sendable {
    func contents(of path: String, bytes: [UInt8], use: KustomizeSourceUse) throws -> [UInt8]
}
