extension Command {
    static let reconcileKustomization = Command(
        name: "kustomization",
        aliases: ["ks"],
        abstract: "Reconcile a Flux Kustomization",
        discussion: """
        Without --local this is flux reconcile kustomization: the controller does the work and \
        gitopsctl waits for it. With --local no controller is needed: the Kustomization is \
        built from the checkout, SOPS secrets are decrypted with the age identity, objects are \
        applied server-side in dependsOn order as kustomize-controller applies them (the \
        kustomize.toolkit.fluxcd.io/ssa, force, prune and reconcile switches and spec.force \
        included), health checks are awaited, and, when spec.prune is true, what the previous \
        inventory had and this build lacks is pruned. --dry-run reports like flux diff ks: \
        created, drifted (with a diff, Secret values masked), deleted, skipped; exit 1 on changes.
        """,
        examples: [
            Example(comment: "Fetch the latest commit and reconcile", command: "gitopsctl reconcile ks flux-system --with-source"),
            Example(comment: "Apply from the checkout, without Flux controllers",
                    command: "gitopsctl reconcile ks infrastructure --local --path clusters/production --age-key age.agekey --prune"),
        ],
        positionals: [.reconciled(.resource(.kustomization), "Kustomization")],
        options: Option.reconcile + [
            .withSource,
            .flag("local", "Build and apply from the checkout instead of asking the controller"),
            .repo, .clusterPath, .ageKey,
            .flag("prune", "With --local: prune even when spec.prune is false (--prune=false: never prune); "
                  + "by default spec.prune decides"),
            .flag("no-prune", "With --local: never prune, whatever spec.prune says (same as --prune=false)"),
            .flag("dry-run", "With --local: server-side dry run, report created/drifted/deleted like flux diff ks"),
            .flag("with-dependencies", "With --local: reconcile the dependsOn chain first, in order"),
        ],
        body: { invocation in
            if invocation.arguments.flag("local") { return try await ReconcileKustomizationLocal.run(invocation) }
            return try await ReconcileRunner.run(invocation, kind: .kustomization)
        })
}
