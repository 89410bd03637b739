/// Why a tenant could not be planned, written, listed or removed. Every case says what was
/// wrong and, through `hint`, what the accepted forms are.
public enum CapsuleError: UserFacingError, Equatable {
    /// The tenant name is not a DNS-1123 label (or would make a derived name too long).
    case invalidTenantName(name: String, reason: String)
    /// An `--owner` value without a known `KIND:` prefix.
    case invalidOwner(value: String)
    /// No owner was given.
    case noOwner
    /// A resource quantity Kubernetes would reject; `suggestion` is the likely intended form.
    case invalidQuantity(option: String, value: String, suggestion: String?)
    /// `--namespace-quota` below 1.
    case invalidNamespaceQuota(Int)
    /// The Gateway host is not a DNS name (optionally `*.` prefixed).
    case invalidGatewayHost(String)
    /// An option that only makes sense with another one.
    case optionNeedsAnother(option: String, needs: String)
    /// No Gateway class given and none could be taken from an existing tenant.
    case gatewayClassUnknown
    /// The apps repository URL is not `http(s)://` or `ssh://` (the GitRepository schema).
    case invalidAppsRepository(String)
    /// An interval Flux would not accept (`^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$`).
    case invalidInterval(String)
    /// No `tenants/kustomization.yaml` where one was looked for.
    case tenantsLayoutNotFound(searched: [String])
    /// The tenant already exists (directory or registration).
    case tenantExists(name: String, path: String)
    /// The tenant to remove does not exist.
    case tenantNotFound(name: String, tenantsDirectory: String)
    /// A file of the tenants layout is not shaped as expected (`resources` not a list…).
    case unexpectedLayout(file: String, reason: String)
    /// No recipients for a new `.sops.yaml` creation rule.
    case noRecipients(path: String)
    /// A file or directory could not be read, written or removed.
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidTenantName(name, reason):
            return "invalid tenant name '\(name)': \(reason)"
        case let .invalidOwner(value):
            return "invalid owner '\(value)': an owner needs a kind"
        case .noOwner:
            return "a tenant needs at least one owner (--owner)"
        case let .invalidQuantity(option, value, _):
            return "\(option): '\(value)' is not a Kubernetes quantity"
        case let .invalidNamespaceQuota(value):
            return "--namespace-quota: \(value) is not a namespace count (1 or more)"
        case let .invalidGatewayHost(host):
            return "--gateway-host: '\(host)' is not a DNS name"
        case let .optionNeedsAnother(option, needs):
            return "\(option) needs \(needs)"
        case .gatewayClassUnknown:
            return "no Gateway class: none given and no existing tenant Gateway to copy it from"
        case let .invalidAppsRepository(url):
            return "--apps-repo: '\(url)' is not an http://, https:// or ssh:// URL"
        case let .invalidInterval(interval):
            return "--apps-interval: '\(interval)' is not a Flux interval"
        case let .tenantsLayoutNotFound(searched):
            return "no tenants layout found: looked for " + searched.joined(separator: ", ")
        case let .tenantExists(name, path):
            return "tenant \(name) already exists (\(path))"
        case let .tenantNotFound(name, directory):
            return "no tenant \(name) in \(directory)"
        case let .unexpectedLayout(file, reason):
            return "\(file): \(reason)"
        case let .noRecipients(path):
            return "no age recipients for the creation rule of \(path)"
        case let .io(path, reason):
            return "\(path): \(reason)"
        }
    }

    public var hint: String? {
        switch self {
        case .invalidTenantName:
            return "use lowercase letters, digits and '-', starting and ending with a letter or digit"
        case .invalidOwner, .noOwner:
            return "accepted forms: User:NAME, Group:NAME, ServiceAccount:NAMESPACE:NAME"
        case let .invalidQuantity(_, _, suggestion):
            return suggestion.map { "did you mean \($0)? (Ki, Mi, Gi are powers of 1024; k, M, G of 1000)" }
                ?? "examples: 500m, 2, 512Mi, 8Gi"
        case .gatewayClassUnknown:
            return "pass --gateway-class NAME (a GatewayClass of the cluster, e.g. cilium)"
        case .invalidInterval:
            return "examples: 30m, 1h, 1h30m, 90s"
        case .tenantsLayoutNotFound:
            return "create tenants/kustomization.yaml, or point --tenants-dir at the directory that lists the tenants"
        case .tenantExists:
            return "choose another name, or `gitopsctl tenant remove` it first"
        case .tenantNotFound:
            return "`gitopsctl tenant list` shows the tenants"
        case .noRecipients:
            return "pass --age RECIPIENT, or add a creation rule for tenant secrets to .sops.yaml"
        default:
            return nil
        }
    }
}
