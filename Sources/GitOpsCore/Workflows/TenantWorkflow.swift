import Foundation

/// `tenant add`, `tenant remove` and `tenant list` over a repository checkout: plan the file
/// changes, write them, and optionally commit them.
public enum TenantWorkflow {
    // MARK: add

    /// The changes that scaffold `request`'s tenant and register it. Refuses a tenant whose
    /// directory or registration already exists; reads, never writes.
    public static func planAdd(_ request: TenantRequest, in layout: TenantsLayout) throws(CapsuleError) -> TenantPlan {
        let name = request.name.value
        let directory = layout.directory(of: name)
        let kustomization = try TenantFiles.parse(layout.kustomizationFile, layout: layout)
        let registry = TenantRegistry(kustomization)
        if FileManager.default.fileExists(atPath: directory.path) {
            throw .tenantExists(name: name, path: layout.relativePath(directory))
        }
        if try registry.contains(name) {
            throw .tenantExists(name: name, path: layout.relativePath(layout.kustomizationFile) + " lists it")
        }

        let manifests = TenantManifests(request: request, gatewayClass: try gatewayClass(for: request, in: layout))
        var changes: [FileChange] = []
        for file in manifests.files {
            let text = YAMLEmitter.manifest.emit(file.documents)
            changes.append(.create(layout.relativePath(directory.appendingPathComponent(file.name)),
                                   Array(text.utf8), "scaffold"))
        }
        let resources = TenantManifests.kustomization(resources: manifests.files.map(\.name))
        changes.append(.create(layout.relativePath(directory.appendingPathComponent("kustomization.yaml")),
                               Array(YAMLEmitter.manifest.emit([resources]).utf8), "scaffold"))
        changes.append(.create(layout.relativePath(directory.appendingPathComponent("secrets/.gitkeep")), [],
                               "keep secrets/ for SOPS-encrypted Secrets"))
        changes.append(.modify(layout.relativePath(layout.kustomizationFile), from: kustomization.bytes,
                               to: try registry.adding(name), "register \(name)"))
        var warnings: [String] = []
        switch try sopsRuleChange(adding: request, in: layout, registry: registry) {
        case .change(let change): changes.append(change)
        case .covered: break
        case .noConfig:
            warnings.append("no .sops.yaml found: secrets in \(layout.relativePath(directory))/secrets will not be encrypted by a creation rule (pass --age to create one)")
        }
        if request.apps != nil {
            warnings.append("Capsule treats the reconciler system:serviceaccount:\(request.name.systemNamespace):\(request.name.reconciler) as a tenant user only if its group system:serviceaccounts:\(request.name.systemNamespace) is in Capsule's capsuleUserGroups")
        }
        return TenantPlan(operation: .add, tenant: name, layout: layout, changes: changes, warnings: warnings)
    }

    /// The Gateway class asked for, or the one existing tenants' Gateways use.
    static func gatewayClass(for request: TenantRequest, in layout: TenantsLayout) throws(CapsuleError) -> String? {
        guard let gateway = request.gateway else { return nil }
        if let given = gateway.gatewayClass { return given }
        for tenant in TenantFiles.subdirectories(of: layout.directory) {
            for file in TenantFiles.yamlFiles(in: layout.directory(of: tenant)) {
                guard let stream = try? TenantFiles.parse(file, layout: layout) else { continue }
                for document in stream.documents where document.root?["kind"]?.scalar == "Gateway" {
                    if let name = document.root?["spec"]?["gatewayClassName"]?.string { return name }
                }
            }
        }
        throw .gatewayClassUnknown
    }

    enum SopsRuleChange {
        case change(FileChange)
        case covered
        case noConfig
    }

    /// A creation rule for the new tenant's `secrets/` unless a rule already covers it;
    /// recipients copied from the rule covering another tenant's secrets, else `--age`.
    static func sopsRuleChange(adding request: TenantRequest, in layout: TenantsLayout,
                               registry: TenantRegistry) throws(CapsuleError) -> SopsRuleChange {
        let name = request.name.value
        guard let config = layout.sopsConfig else {
            guard !request.ageRecipients.isEmpty else { return .noConfig }
            let file = layout.repositoryRoot.appendingPathComponent(".sops.yaml")
            let secrets = TenantsLayout.relative(layout.directory(of: name).appendingPathComponent("secrets"),
                                                 to: layout.repositoryRoot)
            let rules = SopsCreationRules(YAMLStream(documents: [], file: ".sops.yaml", bytes: []))
            let bytes = try rules.adding(ruleFor: secrets, copying: nil, recipients: request.ageRecipients)
            return .change(.create(layout.relativePath(file), bytes, "encrypt secrets of \(name)"))
        }
        let base = config.deletingLastPathComponent()
        let rules = SopsCreationRules(try TenantFiles.parse(config, layout: layout))
        func secretsDirectory(_ tenant: String) -> String {
            TenantsLayout.relative(layout.directory(of: tenant).appendingPathComponent("secrets"), to: base)
        }
        if try rules.ruleIndex(covering: secretsDirectory(name) + "/secret.yaml") != nil { return .covered }
        var template: Int?
        for other in try registry.entries().map(\.tenant) where other != name {
            if let index = try rules.ruleIndex(covering: secretsDirectory(other) + "/secret.yaml") {
                template = index
                break
            }
        }
        if template == nil, request.ageRecipients.isEmpty {
            throw .noRecipients(path: layout.relativePath(layout.directory(of: name).appendingPathComponent("secrets")))
        }
        let after = try rules.adding(ruleFor: secretsDirectory(name), copying: request.ageRecipients.isEmpty ? template : nil,
                                     recipients: request.ageRecipients)
        return .change(.modify(layout.relativePath(config), from: rules.stream.bytes, to: after,
                               "encrypt secrets of \(name)"))
    }

    // MARK: remove

    /// The changes that delete `name`'s directory and both registrations.
    public static func planRemove(_ name: String, in layout: TenantsLayout) throws(CapsuleError) -> TenantPlan {
        let tenant = try TenantName(name).value
        let directory = layout.directory(of: tenant)
        let kustomization = try TenantFiles.parse(layout.kustomizationFile, layout: layout)
        let registry = TenantRegistry(kustomization)
        let registered = try registry.contains(tenant)
        guard TenantFiles.isDirectory(directory) || registered else {
            throw .tenantNotFound(name: tenant, tenantsDirectory: layout.relativePath(layout.directory))
        }
        var changes: [FileChange] = []
        if registered {
            changes.append(.modify(layout.relativePath(layout.kustomizationFile), from: kustomization.bytes,
                                   to: try registry.removing(tenant), "unregister \(tenant)"))
        }
        if let config = layout.sopsConfig {
            let rules = SopsCreationRules(try TenantFiles.parse(config, layout: layout))
            let secrets = TenantsLayout.relative(directory.appendingPathComponent("secrets"),
                                                 to: config.deletingLastPathComponent())
            if try rules.hasRule(for: secrets) {
                changes.append(.modify(layout.relativePath(config), from: rules.stream.bytes,
                                       to: try rules.removing(ruleFor: secrets), "drop the secrets rule of \(tenant)"))
            }
        }
        for file in TenantFiles.allFiles(under: directory) {
            let url = directory.appendingPathComponent(file)
            changes.append(.delete(layout.relativePath(url), try TenantFiles.read(url, layout: layout), "remove \(tenant)"))
        }
        return TenantPlan(operation: .remove, tenant: tenant, layout: layout, changes: changes, warnings: [])
    }

    // MARK: list

    /// The tenants of the layout with their owners, quota and parts.
    public static func list(in layout: TenantsLayout) throws(CapsuleError) -> [TenantSummary] {
        try TenantSummary.all(in: layout)
    }

    // MARK: apply and commit

    /// Writes the plan: new and changed files atomically, deleted files removed with the
    /// directories they leave empty. Scaffolding is written before the registration that
    /// points at it, and registrations dropped before the files go (the plan's order).
    public static func apply(_ plan: TenantPlan) throws(CapsuleError) {
        let root = plan.layout.repositoryRoot
        let files = FileManager.default
        for change in plan.changes {
            let url = root.appendingPathComponent(change.path)
            do {
                switch change.action {
                case .create, .modify:
                    try files.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try AtomicFileWriter.write(change.after ?? [], to: url.path,
                                               existing: change.action == .create ? .refuse : .replace)
                case .delete:
                    try files.removeItem(at: url)
                }
            } catch {
                throw .io(path: change.path, reason: "\(error)")
            }
        }
        if plan.operation == .remove {
            removeEmptyDirectories(under: plan.layout.directory(of: plan.tenant))
        }
    }

    private static func removeEmptyDirectories(under directory: URL) {
        let files = FileManager.default
        for sub in TenantFiles.subdirectories(of: directory) {
            removeEmptyDirectories(under: directory.appendingPathComponent(sub))
        }
        if (try? files.contentsOfDirectory(atPath: directory.path))?.isEmpty == true {
            try? files.removeItem(at: directory)
        }
    }

    /// Checks, before anything is written, that `commit` can succeed: the layout is in a git
    /// work tree and nothing unrelated is staged.
    public static func checkCommittable(_ plan: TenantPlan) throws(GitError) {
        let repository = try GitRepository.discover(from: plan.layout.repositoryRoot)
        let paths = try plan.changes.map { (change) throws(GitError) in
            try repository.relativePath(of: plan.layout.repositoryRoot.appendingPathComponent(change.path))
        }
        let unrelated = try repository.stagedPaths().filter { staged in
            !paths.contains { staged == $0 || staged.hasPrefix($0 + "/") }
        }
        guard unrelated.isEmpty else { throw .unrelatedStagedChanges(paths: unrelated) }
    }

    /// Commits exactly the plan's files (message `Add tenant NAME` / `Remove tenant NAME`),
    /// refusing when other changes are already staged. Returns the commit id.
    public static func commit(_ plan: TenantPlan, author: GitSignature? = nil) throws(GitError) -> String {
        let repository = try GitRepository.discover(from: plan.layout.repositoryRoot)
        let paths = try plan.changes.map { (change) throws(GitError) in
            try repository.relativePath(of: plan.layout.repositoryRoot.appendingPathComponent(change.path))
        }
        return try repository.commit(paths, message: plan.commitMessage, author: author)
    }
}
