import Foundation

/// What `tenant list` shows about one tenant directory.
public struct TenantSummary: Sendable, Equatable {
    public var name: String
    /// Listed in the tenants kustomization.yaml (so Flux applies it).
    public var registered: Bool
    /// `Kind:name` of each owner in the Tenant object.
    public var owners: [TenantOwner]
    public var namespaceQuota: Int?
    public var hasGateway: Bool
    public var hasApps: Bool
    public var hasSecrets: Bool
    /// The directory relative to the repository root.
    public var path: String

    /// Every tenant of the layout: directories holding a Capsule Tenant, and registered entries,
    /// sorted by name.
    public static func all(in layout: TenantsLayout) throws(CapsuleError) -> [TenantSummary] {
        let registry = TenantRegistry(try TenantFiles.parse(layout.kustomizationFile, layout: layout))
        let registered = Set(try registry.entries().map(\.tenant))
        let directories = TenantFiles.subdirectories(of: layout.directory)
        // Entries naming files (`common.yaml`) are shared resources, not tenants.
        var names = registered.filter { !$0.hasSuffix(".yaml") && !$0.hasSuffix(".yml") && !$0.contains("/") }
        for directory in directories where TenantFiles.isDirectory(layout.directory(of: directory)) {
            names.insert(directory)
        }
        var summaries: [TenantSummary] = []
        for name in names.sorted() {
            let summary = try summary(of: name, in: layout, registered: registered.contains(name))
            // A plain subdirectory that is neither registered nor holds a Tenant is not a tenant.
            if summary.registered || !summary.owners.isEmpty { summaries.append(summary) }
        }
        return summaries
    }

    static func summary(of name: String, in layout: TenantsLayout, registered: Bool) throws(CapsuleError) -> TenantSummary {
        let directory = layout.directory(of: name)
        var summary = TenantSummary(name: name, registered: registered, owners: [], namespaceQuota: nil,
                                    hasGateway: false, hasApps: false,
                                    hasSecrets: TenantFiles.isDirectory(directory.appendingPathComponent("secrets")),
                                    path: layout.relativePath(directory))
        for file in TenantFiles.yamlFiles(in: directory) {
            for document in try TenantFiles.parse(file, layout: layout).documents {
                guard let object = document.root else { continue }
                switch (object["apiVersion"]?.scalar?.split(separator: "/").first, object["kind"]?.scalar) {
                case ("capsule.clastix.io", "Tenant"):
                    summary.owners = object["spec"]?["owners"]?.items.compactMap(Self.owner) ?? []
                    summary.namespaceQuota = object["spec"]?["namespaceOptions"]?["quota"]?.int
                case ("gateway.networking.k8s.io", "Gateway"):
                    summary.hasGateway = true
                case ("source.toolkit.fluxcd.io", "GitRepository"), ("kustomize.toolkit.fluxcd.io", "Kustomization"):
                    summary.hasApps = true
                default:
                    continue
                }
            }
        }
        return summary
    }

    private static func owner(_ node: YAMLNode) -> TenantOwner? {
        guard let kindText = node["kind"]?.scalar, let kind = TenantOwner.Kind(rawValue: kindText),
              let name = node["name"]?.scalar else { return nil }
        return TenantOwner(kind: kind, name: name)
    }
}
