/// Everything `tenant add` was asked for, validated: a value that exists is one the
/// scaffolding can write without the schema or the cluster rejecting it.
public struct TenantRequest: Sendable, Equatable {
    /// Container resources a tenant's namespaces share (scope Tenant) and default to.
    public struct Resources: Sendable, Equatable {
        public var cpuRequests: ResourceQuantity?
        public var cpuLimits: ResourceQuantity?
        public var memoryRequests: ResourceQuantity?
        public var memoryLimits: ResourceQuantity?
        /// Request (and limit) of a container that sets none.
        public var defaultCPU: ResourceQuantity
        public var defaultMemory: ResourceQuantity

        public init(cpuRequests: ResourceQuantity? = nil, cpuLimits: ResourceQuantity? = nil,
                    memoryRequests: ResourceQuantity? = nil, memoryLimits: ResourceQuantity? = nil,
                    defaultCPU: ResourceQuantity? = nil, defaultMemory: ResourceQuantity? = nil) {
            self.cpuRequests = cpuRequests
            self.cpuLimits = cpuLimits
            self.memoryRequests = memoryRequests
            self.memoryLimits = memoryLimits
            self.defaultCPU = defaultCPU ?? Self.fallbackCPU
            self.defaultMemory = defaultMemory ?? Self.fallbackMemory
        }

        // Literals known to be valid quantities.
        static let fallbackCPU = ResourceQuantity(literal: "100m")
        static let fallbackMemory = ResourceQuantity(literal: "128Mi")

        var hasQuota: Bool { cpuRequests != nil || cpuLimits != nil || memoryRequests != nil || memoryLimits != nil }
    }

    /// A Gateway for the tenant's routes, with a certificate for `host`.
    public struct Gateway: Sendable, Equatable {
        public var host: String
        public var issuer: String
        /// nil: taken from an existing tenant's Gateway when the plan is made.
        public var gatewayClass: String?

        public init(host: String, issuer: String, gatewayClass: String?) throws(CapsuleError) {
            guard Self.isHostName(host) else { throw .invalidGatewayHost(host) }
            self.host = host
            self.issuer = issuer
            self.gatewayClass = gatewayClass
        }

        /// A DNS subdomain, optionally `*.`-prefixed; `${VAR}` parts (Flux postBuild
        /// substitution, as the sample tenant uses) are accepted as they are.
        static func isHostName(_ host: String) -> Bool {
            var rest = Substring(host)
            if rest.hasPrefix("*.") { rest = rest.dropFirst(2) }
            guard !rest.isEmpty, rest.count <= 253 else { return false }
            return rest.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
                label.hasPrefix("${") && label.hasSuffix("}") || DNSLabel.problem(with: String(label)) == nil
            }
        }
    }

    /// The tenant's own GitOps repository, reconciled as the tenant's ServiceAccount.
    public struct Apps: Sendable, Equatable {
        public var url: String
        public var branch: String
        public var path: String
        /// A Go duration (`30m`), already validated by the caller.
        public var interval: String

        public init(url: String, branch: String = "main", path: String = "./", interval: String = "30m") throws(CapsuleError) {
            let schemes = ["http://", "https://", "ssh://"]
            guard schemes.contains(where: { url.hasPrefix($0) && url.count > $0.count }) else {
                throw .invalidAppsRepository(url)
            }
            // The Flux CRDs' duration pattern, stricter than Go's ParseDuration (no `0`, no `µs`).
            guard interval.wholeMatch(of: /([0-9]+(\.[0-9]+)?(ms|s|m|h))+/) != nil else {
                throw .invalidInterval(interval)
            }
            self.url = url
            self.branch = branch
            self.path = path
            self.interval = interval
        }
    }

    public var name: TenantName
    public var owners: [TenantOwner]
    public var namespaceQuota: Int?
    public var resources: Resources
    public var gateway: Gateway?
    public var apps: Apps?
    /// Recipients for a new `.sops.yaml` rule when none can be copied from another tenant's.
    public var ageRecipients: [String]

    public init(name: TenantName, owners: [TenantOwner], namespaceQuota: Int? = nil,
                resources: Resources = Resources(), gateway: Gateway? = nil, apps: Apps? = nil,
                ageRecipients: [String] = []) throws(CapsuleError) {
        guard !owners.isEmpty else { throw .noOwner }
        if let namespaceQuota, namespaceQuota < 1 { throw .invalidNamespaceQuota(namespaceQuota) }
        self.name = name
        self.owners = owners
        self.namespaceQuota = namespaceQuota
        self.resources = resources
        self.gateway = gateway
        self.apps = apps
        self.ageRecipients = ageRecipients
    }

    /// The owners written into the Tenant: the given ones, then the apps reconciler.
    var effectiveOwners: [TenantOwner] {
        guard apps != nil else { return owners }
        let reconciler = TenantOwner.serviceAccount(namespace: name.systemNamespace, name: name.reconciler)
        return owners.contains(reconciler) ? owners : owners + [reconciler]
    }
}
