extension Command {
    static let treeKustomization = Command(
        name: "kustomization",
        aliases: ["ks"],
        abstract: "Show what a Kustomization manages, nested like flux tree",
        discussion: """
        Built from the checkout: the Kustomization's path is built (kustomize and postBuild \
        substitution) and every Flux object found is followed, so child Kustomizations expand \
        into what they manage and HelmReleases show their chart. --deps shows the dependsOn \
        graph instead; a cycle or a missing dependency makes the exit status 1. --cluster reads \
        status.inventory from the cluster, as flux tree does.
        """,
        examples: [
            Example(comment: "Everything the production cluster runs", command: "gitopsctl tree ks flux-system --path clusters/production"),
            Example(comment: "The dependency graph as Mermaid", command: "gitopsctl tree ks flux-system --deps -o mermaid"),
        ],
        positionals: [.name(.kustomization, "Kustomization")],
        options: [
            .repo, .clusterPath,
            .flag("deps", "Show the dependsOn graph instead of the objects"),
            .flag("compact", "Leave out objects that are not Flux objects"),
            .flag("cluster", "Read status.inventory from the cluster instead of the checkout"),
            .output([.text, .json, .yaml, .dot, .mermaid]),
        ] + Option.cluster,
        body: { try TreeLocal.run($0) })
}
