import GitOpsCore

extension Command {
    static let listTenants = Command(
        name: "list",
        aliases: ["ls"],
        abstract: "List the tenants registered in the repository",
        discussion: """
        One row per tenant directory: its owners, the namespace quota, and whether it has a \
        Gateway, an apps repository and a secrets/ directory. REGISTERED is false for a \
        directory that tenants/kustomization.yaml does not list (Flux does not apply it).
        """,
        examples: [
            Example(comment: "Tenants and their owners", command: "gitopsctl tenant list"),
            Example(comment: "For a script", command: "gitopsctl tenant list -o json"),
        ],
        options: [.tenantsDirectory, .repo, .output()],
        body: { invocation in
            let tenants = try TenantWorkflow.list(in: invocation.tenantsLayout())
            try invocation.output.render(TenantListReport(tenants: tenants), as: invocation.outputFormat())
            return 0
        })
}

/// `tenant list` output.
struct TenantListReport: TableRenderable {
    var tenants: [TenantSummary]

    var table: Table {
        Table(header: ["NAME", "OWNERS", "NAMESPACE QUOTA", "GATEWAY", "APPS", "SECRETS", "REGISTERED"],
              rows: tenants.map { tenant in
                  [tenant.name, tenant.owners.map(\.description).joined(separator: ","),
                   tenant.namespaceQuota.map(String.init) ?? "-", String(tenant.hasGateway),
                   String(tenant.hasApps), String(tenant.hasSecrets), String(tenant.registered)]
              })
    }

    var document: Document {
        .array(tenants.map { tenant in
            [
                "name": .string(tenant.name),
                "path": .string(tenant.path),
                "registered": .bool(tenant.registered),
                "owners": .array(tenant.owners.map { ["kind": .string($0.kind.rawValue), "name": .string($0.name)] }),
                "namespaceQuota": tenant.namespaceQuota.map(Document.integer) ?? .null,
                "gateway": .bool(tenant.hasGateway),
                "apps": .bool(tenant.hasApps),
                "secrets": .bool(tenant.hasSecrets),
            ]
        })
    }
}
