/// Why a cluster workflow (reconcile, suspend, resume, tree --cluster) failed, naming the object.
public enum ReconcileError: UserFacingError, Equatable {
    case cluster(KubeError)
    case notFound(kind: String, name: String, namespace: String)
    case noObjects(kind: String, scope: String)
    case suspended(object: String)
    case unsupportedSource(kind: String, object: String)
    case failed(object: String, message: String)
    case stalled(object: String, message: String)
    case undetermined(object: String)
    case timedOut(object: String, seconds: Double, lastMessage: String)
    /// Several objects were acted on and `count` of them failed (each was reported already).
    case someFailed(count: Int, kind: String, verb: String)
    case malformedInventoryEntry(String, object: String)
    case malformedHelmRelease(secret: String, reason: String)

    public var description: String {
        switch self {
        case let .cluster(error): return error.description
        case let .notFound(kind, name, namespace): return "\(kind) \(name) not found in \(namespace) namespace"
        case let .noObjects(kind, scope): return "no \(kind) objects found in \(scope)"
        case let .suspended(object): return "\(object) is suspended; resume it first"
        case let .unsupportedSource(kind, object): return "cannot reconcile source of kind \(kind) (\(object))"
        case let .failed(object, message): return "\(object) reconciliation failed: \(message)"
        case let .stalled(object, message): return "\(object) is stalled: \(message)"
        case let .undetermined(object): return "\(object): status can't be determined (no Ready condition)"
        case let .timedOut(object, seconds, lastMessage):
            return "timed out after \(KubeError.seconds(seconds)) waiting for \(object): \(lastMessage)"
        case let .someFailed(count, kind, verb): return "\(verb) failed for \(count) \(kind)(s)"
        case let .malformedInventoryEntry(entry, object):
            return "\(object): unable to parse stored object metadata: \(entry)"
        case let .malformedHelmRelease(secret, reason): return "Helm release Secret \(secret): \(reason)"
        }
    }

    public var hint: String? {
        switch self {
        case let .cluster(error): return error.hint
        case .suspended: return "gitopsctl resume NAME, then reconcile again"
        case .timedOut: return "raise --timeout, or check the controller's logs"
        default: return nil
        }
    }
}
