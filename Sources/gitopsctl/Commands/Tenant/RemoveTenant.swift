import GitOpsCore

extension Command {
    static let removeTenant = Command(
        name: "remove",
        aliases: ["rm"],
        abstract: "Remove a tenant's directory and its registration",
        discussion: """
        Deletes tenants/NAME/ and removes NAME from tenants/kustomization.yaml and its creation \
        rule from .sops.yaml (when it has one of its own), leaving every other line of both files \
        as it was. Flux prunes the tenant's objects on its next reconciliation.
        """,
        examples: [
            Example(comment: "Preview the removal", command: "gitopsctl tenant remove team-b --dry-run"),
            Example(comment: "Remove and commit", command: "gitopsctl tenant remove team-b --commit"),
        ],
        positionals: [.name(.tenant, "tenant")],
        options: [.tenantsDirectory, .repo, .dryRun, .commit, .output([.text, .json, .yaml])],
        body: { invocation in
            guard let name = invocation.arguments.positional(0) else {
                throw invocation.usageError(.missingArgument("NAME"))
            }
            let plan = try TenantWorkflow.planRemove(name, in: invocation.tenantsLayout())
            return try invocation.carryOut(plan)
        })
}
