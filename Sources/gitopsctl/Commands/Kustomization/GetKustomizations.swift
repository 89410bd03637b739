extension Option {
    static let selector = Option.value("selector", short: "l", .string, "Only objects with these labels (k=v,k2=v2)",
                                       valueName: "SELECTOR")
    static let statusSelector = Option.value("status-selector", .string,
                                             "Only objects whose condition matches, e.g. ready=false",
                                             valueName: "TYPE=STATUS")
    static let noHeader = Option.flag("no-header", "Do not print the table header")
    static let local = Option.flag("local", "Read the checkout instead of the cluster")

    /// Options every `get` command takes.
    static let listing: [Option] = cluster + [allNamespaces, selector, statusSelector, noHeader, output(), local, repo, clusterPath]
}

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
        body: { invocation in
            // The cluster listing arrives with the kube branch; --local reads the checkout.
            guard invocation.arguments.flag("local") else { throw NotImplemented(command: invocation.path.commandName) }
            return try LocalStatusListing.run(invocation, kind: .kustomization)
        })
}
