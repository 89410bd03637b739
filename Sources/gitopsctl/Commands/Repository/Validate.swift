extension Command {
    static let validate = Command(
        name: "validate",
        abstract: "Check the whole repository, for CI",
        discussion: """
        Every Kustomization builds; every dependsOn, sourceRef, valuesFrom and substituteFrom \
        target exists; dependsOn has no cycles; no object is managed by two Kustomizations; every \
        file a .sops.yaml rule covers is encrypted and well formed; every YAML file parses. One \
        line per problem with file:line:col; exit status 1 when there is any.
        """,
        examples: [
            Example(comment: "The CI gate", command: "gitopsctl validate --path clusters/production"),
            Example(comment: "Problems as JSON, for annotations", command: "gitopsctl validate -o json"),
        ],
        options: [.repo, .clusterPath, .output([.text, .json])],
        body: { try ValidateLocal.run($0) })
}
