extension Command {
    static let getSourcesGit = Command(
        name: "git",
        abstract: "List GitRepositories with their revision and Ready status",
        examples: [
            Example(comment: "Which commit each repository is at", command: "gitopsctl get sources git -A"),
        ],
        positionals: [Positional(name: "NAME", kind: .resource(.gitRepository), abstract: "Only this GitRepository",
                                 optional: true)],
        options: Option.listing,
        body: { try await ClusterStatusListing.run($0, kind: .gitRepository) })
}
