/// Everything that can go wrong between gitopsctl and a cluster, each case carrying what a user
/// needs to act on it: the kubeconfig file and `line:col`, the server, the object, the API's
/// own `Status`. No case ever carries a token, key or Secret value.
public enum KubeError: UserFacingError, Equatable {
    case kubeconfigSyntax(file: String, line: Int, column: Int, reason: String)
    case kubeconfigInvalid(file: String, line: Int, column: Int, reason: String)
    case kubeconfigMissing(file: String)
    case noConfiguration
    case unknownContext(String, available: [String])
    case noCurrentContext(available: [String])
    case unknownCluster(String, context: String)
    case unknownUser(String, context: String)
    case credentialFile(path: String, reason: String)
    case execPlugin(command: String, reason: String)
    case unreachable(server: String, reason: String)
    case tls(server: String, reason: String)
    case timedOut(server: String, seconds: Double)
    case transport(server: String, reason: String)
    case unauthorized(server: String, user: String, message: String)
    case api(APIStatus)
    case kindNotFound(kind: String, apiVersion: String)
    case malformedJSON(offset: Int, reason: String)
    case malformedResponse(server: String, reason: String)
    case waitTimedOut(object: String, seconds: Double, lastStatus: String)
    case waitFailed(object: String, message: String)
    /// `get NAME` found nothing; `scope` is `in "ns" namespace` or `in any namespace`.
    case objectNotFound(kind: String, name: String, scope: String)
    case noObjects(kind: String, scope: String)
    case invalidStatusSelector(String)
    case invalidNamespace(String)

    public var description: String {
        switch self {
        case let .kubeconfigSyntax(file, line, column, reason):
            return "\(file):\(line):\(column): kubeconfig is not valid YAML: \(reason)"
        case let .kubeconfigInvalid(file, line, column, reason):
            return "\(file):\(line):\(column): \(reason)"
        case let .kubeconfigMissing(file):
            return "kubeconfig \(file) does not exist"
        case .noConfiguration:
            return "no kubeconfig found: set KUBECONFIG, pass --kubeconfig, or create ~/.kube/config"
        case let .unknownContext(name, available):
            return "context \"\(name)\" does not exist in the kubeconfig; contexts: "
                + (available.isEmpty ? "(none)" : available.joined(separator: ", "))
        case let .noCurrentContext(available):
            return "the kubeconfig has no current-context; pass --context with one of: "
                + (available.isEmpty ? "(none)" : available.joined(separator: ", "))
        case let .unknownCluster(cluster, context):
            return "context \"\(context)\" refers to cluster \"\(cluster)\", which the kubeconfig does not define"
        case let .unknownUser(user, context):
            return "context \"\(context)\" refers to user \"\(user)\", which the kubeconfig does not define"
        case let .credentialFile(path, reason):
            return "cannot read \(path): \(reason)"
        case let .execPlugin(command, reason):
            return "credential plugin \(command) failed: \(reason)"
        case let .unreachable(server, reason):
            return "cannot reach \(server): \(reason)"
        case let .tls(server, reason):
            return "TLS connection to \(server) failed: \(reason)"
        case let .timedOut(server, seconds):
            return "no answer from \(server) within \(KubeError.seconds(seconds))"
        case let .transport(server, reason):
            return "request to \(server) failed: \(reason)"
        case let .unauthorized(server, user, message):
            return "\(server) rejected the credentials of user \"\(user)\": \(message)"
        case let .api(status):
            return status.description
        case let .kindNotFound(kind, apiVersion):
            let flux = apiVersion.contains("fluxcd.io")
            return "no \(kind) (\(apiVersion)) on this cluster — "
                + (flux ? "is Flux installed?" : "is its CustomResourceDefinition installed?")
        case let .malformedJSON(offset, reason):
            return "malformed JSON at byte \(offset): \(reason)"
        case let .malformedResponse(server, reason):
            return "unexpected answer from \(server): \(reason)"
        case let .waitTimedOut(object, seconds, lastStatus):
            return "timed out after \(KubeError.seconds(seconds)) waiting for \(object): \(lastStatus)"
        case let .waitFailed(object, message):
            return "\(object) failed: \(message)"
        case let .objectNotFound(kind, name, scope):
            return "\(kind) object '\(name)' not found \(scope)"
        case let .noObjects(kind, scope):
            return "no \(kind) objects found \(scope)"
        case let .invalidNamespace(name):
            return "namespace must be a valid DNS label: \"\(name)\""
        case let .invalidStatusSelector(text):
            return "expected status selector in type=status or type!=status format, but found: \(text)"
        }
    }

    public var hint: String? {
        switch self {
        case .tls: return "check certificate-authority(-data) and the server address in the kubeconfig"
        case .unknownContext, .noCurrentContext: return "list them with: kubectl config get-contexts"
        default: return nil
        }
    }

    static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s))s" : String(format: "%.1fs", s)
    }

    /// For a 403 Forbidden: the API server's sentence after `… is forbidden: `, which names the
    /// user, the verb and the resource (`User "bob" cannot create resource "configmaps" in API
    /// group "" in the namespace "default"`); the whole message when it has no such part.
    public var denial: String? {
        guard case let .api(status) = self, status.reason == .forbidden else { return nil }
        if let range = status.message.range(of: " is forbidden: ") { return String(status.message[range.upperBound...]) }
        return status.description
    }

    /// The API `Status` reason, when this is an API error.
    public var reason: APIStatus.Reason? {
        if case let .api(status) = self { return status.reason }
        return nil
    }
}
