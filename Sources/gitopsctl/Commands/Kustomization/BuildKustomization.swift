extension Command {
    static let buildKustomization = Command(
        name: "kustomization",
        aliases: ["ks"],
        abstract: "Print the manifests a Flux Kustomization would apply",
        discussion: """
        kustomize build of the Kustomization's path, then postBuild substitution with \
        substituteFrom resolved from the repository, as one multi-document YAML stream. \
        SOPS-encrypted Secrets stay encrypted unless --decrypt is given and a key is available.
        """,
        examples: [
            Example(comment: "What infrastructure would apply", command: "gitopsctl build ks infrastructure --path clusters/production"),
            Example(comment: "Fail on a variable without a value", command: "gitopsctl build ks apps --strict-substitute"),
        ],
        positionals: [.name(.kustomization, "Kustomization")],
        options: [
            .repo, .clusterPath,
            .flag("decrypt", "Decrypt SOPS-encrypted Secrets (needs an age identity)"),
            .flag("strict-substitute", "Fail when a ${var} has no value and no default"),
            .ageKey,
        ],
        body: { try BuildKustomizationLocal.run($0) })
}
