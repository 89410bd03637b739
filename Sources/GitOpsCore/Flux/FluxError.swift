/// Everything that can go wrong reading a Flux repository offline. Each case names the file and
/// `line:col`, or the object (`Kustomization/flux-system/apps`), so a user can go straight to it.
public enum FluxError: UserFacingError, Equatable {
    /// A Flux object's field is missing, has the wrong type or a value the CRD refuses.
    case invalidField(file: String, at: YAMLMark?, object: String, field: String, problem: String)
    /// `--path` is missing and `clusters/` does not hold exactly one directory.
    case clusterPathAmbiguous(candidates: [String])
    case clusterPathMissing(path: String)
    case kustomizationNotFound(name: String, namespace: String?)
    case helmReleaseNotFound(name: String)
    /// A `spec.path` that resolves outside the checkout.
    case pathOutsideRepository(object: String, path: String)
    case pathNotFound(object: String, file: String, at: YAMLMark?, path: String)
    /// The directory build failed (kustomize's own error text in `reason`).
    case buildFailed(object: String, path: String, reason: String)
    /// A `${…}` expression that the envsubst grammar rejects.
    case substitution(object: String, resource: String, reason: String)
    case invalidVariableName(object: String, name: String)
    case substituteFromMissing(object: String, kind: String, name: String)
    case unresolvedEncryptedVariables(object: String, secret: String)
    /// A symlink loop or too-deep recursion while walking the repository.
    case recursionLimit(path: String)
    case decryptionUnavailable(object: String, reason: String)
    /// `get --local` found nothing, worded like `flux get`.
    case objectNotFoundLocally(kind: String, name: String, scope: String)
    case noObjectsLocally(kind: String, scope: String)

    public var description: String {
        switch self {
        case let .invalidField(file, at, object, field, problem):
            let location = at.map { ":\($0)" } ?? ""
            return "\(file)\(location): \(object): \(field): \(problem)"
        case let .clusterPathAmbiguous(candidates):
            if candidates.isEmpty { return "no cluster directory: clusters/ is missing or empty; pass --path" }
            return "clusters/ holds several clusters (\(candidates.joined(separator: ", "))); pick one with --path"
        case let .clusterPathMissing(path):
            return "cluster path \(path) does not exist"
        case let .kustomizationNotFound(name, namespace):
            let ns = namespace.map { " in namespace \($0)" } ?? ""
            return "Kustomization \(name)\(ns) not found in the repository"
        case let .helmReleaseNotFound(name):
            return "HelmRelease \(name) not found in the repository"
        case let .pathOutsideRepository(object, path):
            return "\(object): spec.path \(path) is outside the repository; refusing to read it"
        case let .pathNotFound(object, file, at, path):
            let location = at.map { ":\($0)" } ?? ""
            return "\(file)\(location): \(object): kustomization path not found: \(path)"
        case let .buildFailed(object, path, reason):
            return "\(object): build of \(path) failed: \(reason)"
        case let .substitution(object, resource, reason):
            return "\(object): post build failed for '\(resource)': envsubst error: variable substitution failed: \(reason)"
        case let .invalidVariableName(object, name):
            return "\(object): '\(name)' var name is invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$'"
        case let .substituteFromMissing(object, kind, name):
            return "\(object): substitute from '\(kind)/\(name)' error: \(kind) \(name) not found in the repository"
        case let .unresolvedEncryptedVariables(object, secret):
            return "\(object): variables from SOPS-encrypted \(secret) cannot be resolved without an age identity"
        case let .recursionLimit(path):
            return "\(path): directory nesting too deep (a symlink loop?)"
        case let .decryptionUnavailable(object, reason):
            return "\(object): cannot decrypt: \(reason)"
        case let .objectNotFoundLocally(kind, name, scope):
            return "\(kind) object '\(name)' not found \(scope) of the repository"
        case let .noObjectsLocally(kind, scope):
            return "no \(kind) objects found \(scope) of the repository"
        }
    }

    public var hint: String? {
        switch self {
        case .unresolvedEncryptedVariables, .decryptionUnavailable:
            return "set SOPS_AGE_KEY_FILE (or SOPS_AGE_KEY) to an age identity that can decrypt it"
        case .clusterPathAmbiguous:
            return "e.g. --path clusters/production"
        default: return nil
        }
    }
}
