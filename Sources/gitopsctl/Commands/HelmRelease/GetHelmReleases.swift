extension Command {
    static let getHelmReleases = Command(
        name: "helmreleases",
        aliases: ["helmrelease", "hr"],
        abstract: "List HelmReleases with their revision and Ready status",
        examples: [
            Example(comment: "Every release in every namespace", command: "gitopsctl get hr -A"),
        ],
        positionals: [Positional(name: "NAME", kind: .resource(.helmRelease), abstract: "Only this HelmRelease",
                                 optional: true)],
        options: Option.listing,
        body: { try await ClusterStatusListing.run($0, kind: .helmRelease) })
}
