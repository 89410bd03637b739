import Foundation
import GitOpsCore

extension Option {
    static let tenantsDirectory = Option.value(
        "tenants-dir", .directory,
        "The directory listing the tenants (default: the nearest tenants/ with a kustomization.yaml)")
}

/// The options that locate the tenants layout, shared by the commands and tenant-name completion.
struct TenantLayoutArguments {
    var repo: String?
    var tenantsDirectory: String?

    /// `--repo`, else the git work tree holding the current directory, else the current directory;
    /// then the tenants directory in it (`--tenants-dir`, else the nearest tenants/).
    func layout() throws -> TenantsLayout {
        let workingDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        let root: URL
        if let repo {
            root = URL(fileURLWithPath: repo, isDirectory: true, relativeTo: workingDirectory).standardizedFileURL
        } else if let repository = try? GitRepository.discover(from: workingDirectory) {
            root = repository.workTree
        } else {
            root = workingDirectory
        }
        let explicit = tenantsDirectory.map {
            URL(fileURLWithPath: $0, isDirectory: true, relativeTo: workingDirectory).standardizedFileURL
        }
        return try TenantsLayout.locate(repositoryRoot: root, workingDirectory: workingDirectory,
                                        explicitDirectory: explicit)
    }
}

extension Invocation {
    /// The tenants layout of the repository this invocation works on.
    func tenantsLayout() throws -> TenantsLayout {
        try TenantLayoutArguments(repo: arguments.string("repo"), tenantsDirectory: arguments.string("tenants-dir")).layout()
    }

    /// Shows, writes and commits a tenant plan as `--dry-run`, `--commit` and `-o` ask.
    func carryOut(_ plan: TenantPlan) throws -> ExitStatus {
        let format = try outputFormat()
        let dryRun = arguments.flag("dry-run")
        for warning in plan.warnings { reporter.warning(warning) }
        if dryRun {
            if format == .json || format == .yaml {
                try output.render(TenantPlanReport(plan: plan, applied: false, commit: nil), as: format)
            } else {
                output.write(plan.unifiedDiff())
            }
            reporter.success("dry run: \(plan.changes.count) file changes planned, nothing written")
            return 0
        }
        if arguments.flag("commit") { try TenantWorkflow.checkCommittable(plan) }
        reporter.action(plan.operation == .add ? "adding tenant \(plan.tenant)" : "removing tenant \(plan.tenant)")
        try TenantWorkflow.apply(plan)
        var commit: String?
        if arguments.flag("commit") {
            commit = try TenantWorkflow.commit(plan)
            reporter.success("committed \(commit?.prefix(12) ?? "") \"\(plan.commitMessage)\"")
        }
        try output.render(TenantPlanReport(plan: plan, applied: true, commit: commit), as: format)
        reporter.success(plan.operation == .add ? "tenant \(plan.tenant) added" : "tenant \(plan.tenant) removed")
        return 0
    }
}

/// What `tenant add`/`tenant remove` print: the file changes (and the commit).
struct TenantPlanReport: Renderable {
    var plan: TenantPlan
    var applied: Bool
    var commit: String?

    var document: Document {
        [
            "operation": .string(plan.operation.rawValue),
            "tenant": .string(plan.tenant),
            "applied": .bool(applied),
            "commit": commit.map(Document.string) ?? .null,
            "changes": .array(plan.changes.map { change in
                ["action": .string(change.action.rawValue), "path": .string(change.path),
                 "reason": .string(change.reason)]
            }),
            "warnings": .array(plan.warnings.map(Document.string)),
        ]
    }

    func humanText(color: Bool) -> String {
        let width = plan.changes.map(\.action.rawValue.count).max() ?? 0
        return plan.changes.map { change in
            change.action.rawValue.padding(to: width) + "  " + change.path
                + (change.reason == "scaffold" ? "" : "  (\(change.reason))") + "\n"
        }.joined()
    }
}

extension CompletionProviders {
    /// Tenant names of the repository `--repo`/`--tenants-dir` point at (or the checkout holding
    /// the current directory), each described by its owners.
    static let tenantNames: CompletionProvider = { request in
        let arguments = TenantLayoutArguments(repo: request.arguments.string("repo"),
                                                   tenantsDirectory: request.arguments.string("tenants-dir"))
        guard let layout = try? arguments.layout(), let tenants = try? TenantWorkflow.list(in: layout) else { return [] }
        return tenants.map { CompletionCandidate(value: $0.name, description: $0.owners.map(\.description).joined(separator: ",")) }
    }
}
