extension Command {
    static let getKustomizations = Command(
        name: "kustomizations",
        aliases: ["kustomization", "ks"],
        abstract: "List Kustomizations with their revision and Ready status",
        examples: [
            Example(comment: "What is failing, everywhere", command: "gitopsctl get ks -A --status-selector ready=false"),
            Example(comment: "As JSON for a script", command: "gitopsctl get ks -o json"),
        ],
        positionals: [Positional(name: "NAME", kind: .resource(.kustomization), abstract: "Only this Kustomization",
                                 optional: true)],
        options: Option.listing,
        body: { try await ClusterStatusListing.run($0, kind: .kustomization) })
}
