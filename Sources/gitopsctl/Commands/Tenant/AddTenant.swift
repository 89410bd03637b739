extension Command {
    static let addTenant = Command(
        name: "add",
        abstract: "Scaffold a Capsule tenant under tenants/NAME and register it",
        discussion: """
        Writes a Capsule Tenant with quotas and limit ranges, default-deny network policies \
        (same-tenant ingress allowed, cloud metadata egress blocked), an optional Gateway with a \
        Certificate, an optional GitRepository and Kustomization for the tenant's apps, and \
        secrets/ with a .sops.yaml creation rule; then adds the tenant to \
        tenants/kustomization.yaml without touching its comments or formatting.
        """,
        examples: [
            Example(comment: "A tenant owned by a group, with quotas",
                    command: "gitopsctl tenant add team-a --owner Group:team-a --namespace-quota 5 --cpu-requests 4 --memory-requests 8Gi"),
            Example(comment: "With the tenant's own apps repository, as a preview",
                    command: "gitopsctl tenant add team-b --owner User:alice --apps-repo https://git.example.com/team-b/apps --dry-run"),
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
            .value("apps-repo", .string, "Git URL of the tenant's apps repository", valueName: "URL"),
            .value("apps-branch", .string, "Branch of the apps repository", default: "main", valueName: "BRANCH"),
            .value("apps-path", .string, "Path in the apps repository", default: "./", valueName: "PATH"),
            .value("apps-interval", .duration, "Reconciliation interval of the apps", default: "30m"),
            .repo, .dryRun, .commit,
        ],
        body: Command.notImplemented)
}
