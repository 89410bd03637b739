/// Why `bootstrap` stopped. Each case names the file, path or object to look at; none ever
/// carries key material.
public enum BootstrapError: UserFacingError, Equatable {
    case notAGitRepository(path: String)
    case noAgeKey
    case noURL
    case conflictingKeyOptions
    case keyFile(path: String, line: Int, reason: String)
    case keyNotX25519(path: String)
    case keyWouldBeTracked(path: String)
    case keyExists(path: String)
    case dirtyPaths([String])
    case componentsFile(path: String, reason: String)
    case existingFile(path: String, line: Int, column: Int, reason: String)
    /// A file bootstrap edits does not parse; the YAML layer's message names its `line:col`.
    case unparsableFile(String)
    case pathChanged(new: String, old: String)
    case decryptionSecretDiffers(namespace: String, name: String)
    case clusterUnreachable(reason: String)
    case cluster(reason: String)
    case git(reason: String)
    /// The push failed after the commits were made; they stay on the local branch.
    case push(reason: String, hint: String?)
    case write(path: String, reason: String)
    case knownHosts(host: String, reason: String)

    public var description: String {
        switch self {
        case let .notAGitRepository(path):
            return "\(path) is not inside a git repository"
        case .noAgeKey:
            return "no age key: give --age-key FILE or --generate-age-key"
        case .noURL:
            return "no repository URL: give --url, or add an origin remote to the checkout"
        case .conflictingKeyOptions:
            return "--age-key and --generate-age-key cannot be used together"
        case let .keyFile(path, line, reason):
            return line > 0 ? "\(path):\(line): not an age identity: \(reason)" : "\(path): not an age identity: \(reason)"
        case let .keyNotX25519(path):
            return "\(path): the identity is not an age X25519 key (AGE-SECRET-KEY-…), which SOPS needs"
        case let .keyWouldBeTracked(path):
            return "the age identity \(path) is inside the repository and would be committed"
        case let .keyExists(path):
            return "\(path) exists and is not an age identity; refusing to overwrite it"
        case let .dirtyPaths(paths):
            return "uncommitted changes in files bootstrap writes: \(paths.joined(separator: ", "))"
        case let .componentsFile(path, reason):
            return "\(path): \(reason)"
        case let .existingFile(path, line, column, reason):
            return "\(path):\(line):\(column): \(reason)"
        case let .pathChanged(new, old):
            // flux bootstrap's own sentence (cmd/flux/bootstrap_*.go via bootstrap.ReconcileSyncConfig).
            return "sync path configuration (\"\(new)\") would overwrite path (\"\(old)\") of existing Kustomization"
        case let .decryptionSecretDiffers(namespace, name):
            return "Secret \(namespace)/\(name) already holds a different age identity"
        case let .clusterUnreachable(reason):
            return "cannot reach the cluster: \(reason)"
        case let .unparsableFile(message):
            return message
        case let .cluster(reason):
            return reason
        case let .git(reason):
            return reason
        case let .push(reason, _):
            return reason
        case let .write(path, reason):
            return "cannot write \(path): \(reason)"
        case let .knownHosts(host, reason):
            return "no SSH host key for \(host): \(reason)"
        }
    }

    public var hint: String? {
        switch self {
        case .keyWouldBeTracked:
            return "move it outside the repository, or untrack it and ignore it (*.agekey in .gitignore)"
        case .dirtyPaths:
            return "commit or stash them first"
        case .decryptionSecretDiffers:
            return "secrets encrypted for the old key would no longer decrypt; pass --force to replace it"
        case .clusterUnreachable:
            return "nothing was committed; check --kubeconfig/--context, or use --no-apply to only write the repository"
        case .pathChanged:
            return "bootstrap each cluster from its own path, or delete the Kustomization first"
        case let .push(_, hint):
            let retry = "the commits are on the local branch: run again with --push (or git push) once fixed"
            return hint.map { "\($0); \(retry)" } ?? retry
        case let .knownHosts(host, _):
            return "nothing was committed; pass --known-hosts FILE with the host's keys (ssh-keyscan \(host) > FILE)"
        default:
            return nil
        }
    }
}
