import GitOpsCore

extension Command {
    static let addTenant = Command(
        name: "add",
        abstract: "Scaffold a Capsule tenant under tenants/NAME and register it",
        discussion: """
        Writes a Capsule Tenant with quotas and limit ranges, default-deny network policies \
        (same-tenant ingress allowed, cloud metadata egress blocked), an optional Gateway with a \
        Certificate, an optional GitRepository and Kustomization for the tenant's apps, and \
        secrets/ with a .sops.yaml creation rule; then adds the tenant to \
        tenants/kustomization.yaml without touching its comments or formatting. Containers that \
        set no resources get --default-cpu (100m) and --default-memory (128Mi) as request and limit.
        """,
        examples: [
            Example(comment: "A tenant owned by a group, with quotas",
                    command: "gitopsctl tenant add team-a --owner Group:team-a --namespace-quota 5 --cpu-requests 4 --memory-requests 8Gi"),
            Example(comment: "With the tenant's own apps repository, as a preview",
                    command: "gitopsctl tenant add team-b --owner User:alice --apps-repo https://git.example.com/team-b/apps --dry-run"),
            Example(comment: "With a Gateway and a certificate, committed",
                    command: "gitopsctl tenant add team-c --owner Group:team-c --gateway-host '*.team-c.example.com' --issuer letsencrypt --commit"),
        ],
        positionals: [Positional(name: "NAME", kind: .string, abstract: "The tenant name (a DNS label)")],
        options: [
            .value("owner", .string, "Owners as KIND:NAME (User, Group or ServiceAccount)", repeatable: true,
                   commaList: true, valueName: "KIND:NAME"),
            .value("namespace-quota", .integer, "Maximum number of namespaces"),
            .value("cpu-requests", .string, "Total CPU requests quota", valueName: "QUANTITY"),
            .value("cpu-limits", .string, "Total CPU limits quota", valueName: "QUANTITY"),
            .value("memory-requests", .string, "Total memory requests quota", valueName: "QUANTITY"),
            .value("memory-limits", .string, "Total memory limits quota", valueName: "QUANTITY"),
            .value("default-cpu", .string, "Default CPU request per container", valueName: "QUANTITY"),
            .value("default-memory", .string, "Default memory request per container", valueName: "QUANTITY"),
            .value("gateway-host", .string, "Host name of the tenant's Gateway, e.g. '*.team-a.example.com'",
                   valueName: "HOST"),
            .value("issuer", .string, "cert-manager ClusterIssuer for the Gateway's certificate"),
            .value("gateway-class", .string,
                   "GatewayClass of the tenant's Gateway (default: the one other tenants use)"),
            .value("apps-repo", .string, "Git URL of the tenant's apps repository", valueName: "URL"),
            .value("apps-branch", .string, "Branch of the apps repository", default: "main", valueName: "BRANCH"),
            .value("apps-path", .string, "Path in the apps repository", default: "./", valueName: "PATH"),
            .value("apps-interval", .duration, "Reconciliation interval of the apps", default: "30m"),
            .value("age", .string, "age recipients for a new .sops.yaml rule (default: those of other tenants' rule)",
                   commaList: true, valueName: "RECIPIENT"),
            .tenantsDirectory, .repo, .dryRun, .commit, .output([.text, .json, .yaml]),
        ],
        body: { invocation in
            let request = try invocation.tenantRequest()
            let plan = try TenantWorkflow.planAdd(request, in: invocation.tenantsLayout())
            return try invocation.carryOut(plan)
        })
}

extension Invocation {
    /// The validated request of `tenant add`; every check runs before anything is read or written.
    func tenantRequest() throws -> TenantRequest {
        let arguments = self.arguments
        guard let nameText = arguments.positional(0) else {
            throw usageError(.missingArgument("NAME"))
        }
        let name = try TenantName(nameText)
        let owners = try arguments.strings("owner").map { (owner) throws(CapsuleError) in try TenantOwner(parsing: owner) }
        func quantity(_ option: String) throws(CapsuleError) -> ResourceQuantity? {
            try arguments.string(option).map { (text) throws(CapsuleError) in try ResourceQuantity(text, option: "--" + option) }
        }
        let resources = TenantRequest.Resources(
            cpuRequests: try quantity("cpu-requests"), cpuLimits: try quantity("cpu-limits"),
            memoryRequests: try quantity("memory-requests"), memoryLimits: try quantity("memory-limits"),
            defaultCPU: try quantity("default-cpu"), defaultMemory: try quantity("default-memory"))
        var gateway: TenantRequest.Gateway?
        if let host = arguments.string("gateway-host") {
            guard let issuer = arguments.string("issuer") else {
                throw CapsuleError.optionNeedsAnother(option: "--gateway-host", needs: "--issuer (the ClusterIssuer of its certificate)")
            }
            gateway = try TenantRequest.Gateway(host: host, issuer: issuer, gatewayClass: arguments.string("gateway-class"))
        } else {
            for option in ["issuer", "gateway-class"] where arguments.isSet(option) {
                throw CapsuleError.optionNeedsAnother(option: "--" + option, needs: "--gateway-host")
            }
        }
        var apps: TenantRequest.Apps?
        if let url = arguments.string("apps-repo") {
            apps = try TenantRequest.Apps(url: url, branch: arguments.string("apps-branch") ?? "main",
                                          path: arguments.string("apps-path") ?? "./",
                                          interval: arguments.string("apps-interval") ?? "30m")
        } else {
            for option in ["apps-branch", "apps-path", "apps-interval"] where arguments.isSet(option) {
                throw CapsuleError.optionNeedsAnother(option: "--" + option, needs: "--apps-repo")
            }
        }
        return try TenantRequest(name: name, owners: owners, namespaceQuota: arguments.integer("namespace-quota"),
                                 resources: resources, gateway: gateway, apps: apps,
                                 ageRecipients: arguments.strings("age"))
    }
}
