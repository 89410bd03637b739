/// The manifests of one tenant directory, built as YAML nodes from a `TenantRequest`.
/// Object shapes follow the sample tenant in examples/platform/tenants/xonery; every object
/// validates against the Capsule, Flux, Gateway API and cert-manager schemas.
struct TenantManifests {
    let request: TenantRequest
    /// The Gateway class, resolved by the planner when the request left it open.
    let gatewayClass: String?

    static let tenantLabel = "capsule.clastix.io/tenant"
    /// The cloud metadata endpoint (AWS, GCP, Azure, OpenStack) tenants must not reach.
    static let metadataCIDR = "169.254.169.254/32"

    private var name: TenantName { request.name }

    /// File name → documents, in the order the tenant's kustomization.yaml lists them.
    var files: [(name: String, documents: [YAMLDocument])] {
        var files: [(String, [YAMLDocument])] = [("tenant.yaml", [tenant])]
        if request.gateway != nil { files.append(("gateway.yaml", gatewayDocuments)) }
        if request.apps != nil { files.append(("apps.yaml", appsDocuments)) }
        return files
    }

    /// The tenant directory's kustomization.yaml listing `resources`.
    static func kustomization(resources: [String]) -> YAMLDocument {
        YAMLDocument(root: [
            "apiVersion": "kustomize.config.k8s.io/v1beta1",
            "kind": "Kustomization",
            "resources": YAMLNode(sequence: resources.map { YAMLNode(string: $0) }),
        ])
    }

    // MARK: tenant.yaml

    var tenant: YAMLDocument {
        var spec: YAMLNode = ["owners": YAMLNode(sequence: request.effectiveOwners.map(Self.owner))]
        if let quota = request.namespaceQuota {
            spec.set("namespaceOptions", ["quota": YAMLNode(int: quota)])
        }
        if request.resources.hasQuota {
            spec.set("resourceQuotas", ["scope": "Tenant", "items": [["hard": quotaHard]]])
            spec.comment(before: "resourceQuotas", "# Shared by all of the tenant's namespaces together (scope Tenant).")
        }
        spec.set("limitRanges", ["items": [["limits": [limitRange]]]])
        spec.set("networkPolicies", ["items": [networkPolicy]])
        spec.comment(before: "networkPolicies", """
            # Default deny ingress, except from the tenant's own namespaces (Capsule labels each
            # of them \(Self.tenantLabel): \(name)); egress anywhere but the cloud metadata service.
            """)
        return Self.document(
            comment: "# Capsule Tenant \(name): who owns it, the namespaces it may create, and the limits they share.",
            object(apiVersion: "capsule.clastix.io/v1beta2", kind: "Tenant", name: name.value, spec: spec))
    }

    private static func owner(_ owner: TenantOwner) -> YAMLNode {
        ["kind": YAMLNode(string: owner.kind.rawValue), "name": YAMLNode(string: owner.name)]
    }

    private var quotaHard: YAMLNode {
        let resources = request.resources
        let entries: [(String, ResourceQuantity?)] = [
            ("requests.cpu", resources.cpuRequests), ("requests.memory", resources.memoryRequests),
            ("limits.cpu", resources.cpuLimits), ("limits.memory", resources.memoryLimits),
        ]
        return YAMLNode(mapping: entries.compactMap { key, value in
            value.map { YAMLPair(key, YAMLNode(string: $0.value)) }
        })
    }

    private var limitRange: YAMLNode {
        // Containers that set nothing get the defaults as request and limit, so quotas on
        // requests and limits never reject a pod for leaving them out.
        let defaults: YAMLNode = [
            "cpu": YAMLNode(string: request.resources.defaultCPU.value),
            "memory": YAMLNode(string: request.resources.defaultMemory.value),
        ]
        return ["type": "Container", "default": defaults, "defaultRequest": defaults]
    }

    private var networkPolicy: YAMLNode {
        [
            "policyTypes": ["Ingress", "Egress"],
            "podSelector": YAMLNode(mapping: [], style: .flow),
            "ingress": [["from": [["namespaceSelector": tenantSelector]]]],
            "egress": [["to": [["ipBlock": ["cidr": "0.0.0.0/0", "except": [YAMLNode(string: Self.metadataCIDR)]]]]]],
        ]
    }

    private var tenantSelector: YAMLNode {
        ["matchLabels": [Self.tenantLabel: YAMLNode(string: name.value)]]
    }

    // MARK: gateway.yaml

    private var gatewayDocuments: [YAMLDocument] {
        guard let gateway = request.gateway else { return [] }
        let namespace = name.gatewayNamespace
        let certificate = gateway.host.hasPrefix("*.") ? name.value + "-wildcard" : name.value + "-gateway"
        let secret = certificate + "-tls"
        let allowedRoutes: YAMLNode = ["namespaces": ["from": "Selector", "selector": tenantSelector]]
        let listeners: YAMLNode = [
            ["name": "http", "protocol": "HTTP", "port": 80, "hostname": YAMLNode(string: gateway.host),
             "allowedRoutes": allowedRoutes],
            ["name": "https", "protocol": "HTTPS", "port": 443, "hostname": YAMLNode(string: gateway.host),
             "tls": ["mode": "Terminate", "certificateRefs": [["kind": "Secret", "name": YAMLNode(string: secret)]]],
             "allowedRoutes": allowedRoutes],
        ]
        let gatewaySpec: YAMLNode = [
            "gatewayClassName": YAMLNode(string: gatewayClass ?? ""),
            "listeners": listeners,
        ]
        let certificateSpec: YAMLNode = [
            "secretName": YAMLNode(string: secret),
            "issuerRef": ["kind": "ClusterIssuer", "name": YAMLNode(string: gateway.issuer)],
            "dnsNames": [YAMLNode(string: gateway.host)],
        ]
        return [
            Self.document(
                comment: "# The tenant's Gateway on \(gateway.host); only routes from \(name)'s own namespaces may attach.",
                tenantNamespace(namespace)),
            YAMLDocument(root: object(apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway",
                                      name: name.value, namespace: namespace, spec: gatewaySpec)),
            YAMLDocument(root: object(apiVersion: "cert-manager.io/v1", kind: "Certificate",
                                      name: certificate, namespace: namespace, spec: certificateSpec)),
        ]
    }

    // MARK: apps.yaml

    private var appsDocuments: [YAMLDocument] {
        guard let apps = request.apps else { return [] }
        let home = name.systemNamespace
        let serviceAccount = object(apiVersion: "v1", kind: "ServiceAccount", name: name.reconciler, namespace: home)
        var roleBinding = object(apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding",
                                 name: name.reconciler, namespace: home)
        roleBinding.set("roleRef", ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "admin"])
        roleBinding.set("subjects", [["kind": "ServiceAccount", "name": YAMLNode(string: name.reconciler),
                                      "namespace": YAMLNode(string: home)]])
        roleBinding.comment(before: "apiVersion", """
            # Lets the reconciler manage the Flux objects and Secrets of its home namespace; Capsule
            # grants it the same in every namespace it creates for the tenant.
            """)
        let repositorySpec: YAMLNode = [
            "interval": YAMLNode(string: apps.interval),
            "url": YAMLNode(string: apps.url),
            "ref": ["branch": YAMLNode(string: apps.branch)],
        ]
        let kustomizationSpec: YAMLNode = [
            "interval": YAMLNode(string: apps.interval),
            "sourceRef": ["kind": "GitRepository", "name": YAMLNode(string: name.appsObjectName)],
            "path": YAMLNode(string: apps.path),
            "prune": true,
            "serviceAccountName": YAMLNode(string: name.reconciler),
            "targetNamespace": YAMLNode(string: name.appsNamespace),
        ]
        return [
            Self.document(comment: """
                # The tenant's own GitOps repository, reconciled by Flux as the tenant's ServiceAccount:
                # whatever that repository holds is applied with \(name)'s permissions only.
                """, tenantNamespace(home)),
            YAMLDocument(root: serviceAccount),
            YAMLDocument(root: roleBinding),
            YAMLDocument(root: tenantNamespace(name.appsNamespace)),
            YAMLDocument(root: object(apiVersion: "source.toolkit.fluxcd.io/v1", kind: "GitRepository",
                                      name: name.appsObjectName, namespace: home, spec: repositorySpec)),
            YAMLDocument(root: object(apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization",
                                      name: name.appsObjectName, namespace: home, spec: kustomizationSpec)),
        ]
    }

    // MARK: building blocks

    /// A Namespace labelled for the tenant, so Capsule assigns it to the tenant on creation.
    private func tenantNamespace(_ namespace: String) -> YAMLNode {
        var metadata: YAMLNode = ["name": YAMLNode(string: namespace)]
        metadata.set("labels", [Self.tenantLabel: YAMLNode(string: name.value)])
        return ["apiVersion": "v1", "kind": "Namespace", "metadata": metadata]
    }

    private func object(apiVersion: String, kind: String, name: String, namespace: String? = nil,
                        spec: YAMLNode? = nil) -> YAMLNode {
        var metadata: YAMLNode = ["name": YAMLNode(string: name)]
        if let namespace { metadata.set("namespace", YAMLNode(string: namespace)) }
        var node: YAMLNode = [
            "apiVersion": YAMLNode(string: apiVersion), "kind": YAMLNode(string: kind), "metadata": metadata,
        ]
        if let spec { node.set("spec", spec) }
        return node
    }

    /// A document whose first line is a comment directly above `apiVersion`, as the sample
    /// tenant's files start.
    private static func document(comment: String, _ root: YAMLNode) -> YAMLDocument {
        var root = root
        root.comment(before: "apiVersion", comment)
        return YAMLDocument(root: root)
    }
}

extension YAMLNode {
    /// Puts full-line `comment` above the entry `key` of this mapping.
    fileprivate mutating func comment(before key: String, _ comment: String) {
        guard case var .mapping(pairs) = content, let i = pairs.firstIndex(where: { $0.key.scalar == key }) else { return }
        pairs[i].key.comments.head = comment
        content = .mapping(pairs)
    }
}
