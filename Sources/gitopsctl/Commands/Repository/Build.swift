import GitOpsCore

extension Command {
    static let build = Command(
        name: "build",
        abstract: "Print the manifests a Flux Kustomization or a kustomize directory produces",
        discussion: """
        gitopsctl build DIR builds a plain kustomize directory like kubectl kustomize; \
        gitopsctl build ks NAME builds what a Flux Kustomization would apply.
        """,
        examples: [
            Example(comment: "Build a kustomize directory", command: "gitopsctl build infrastructure/controllers"),
            Example(comment: "Build a Flux Kustomization", command: "gitopsctl build ks infrastructure --path clusters/production"),
        ],
        positionals: [Positional(name: "DIR", kind: .directory, abstract: "A directory with a kustomization.yaml")],
        subcommands: [.buildKustomization],
        body: { invocation in
            guard let directory = invocation.arguments.positional(0) else {
                throw UsageError.missingArgument("DIR")
            }
            let build = try KustomizeBuilder().build(directory)
            invocation.output.write(build.yaml)
            return 0
        })
}
