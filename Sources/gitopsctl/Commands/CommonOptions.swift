// Options several command groups share; the universal and cluster ones are in CLI/GlobalOptions.swift.

extension Option {
    static let withSource = Option.flag("with-source", "Reconcile the source (GitRepository) first")
    static let ageKey = Option.value("age-key", .file, "age identity file to decrypt SOPS secrets with")
    static let dryRun = Option.flag("dry-run", "Show what would change; write and apply nothing")
    static let wait = Option.flag("wait", "Wait for the reconciliation after resuming (--wait=false to skip)")
    static let selector = Option.value("selector", short: "l", .string, "Only objects with these labels (k=v,k2=v2)",
                                       valueName: "SELECTOR")
    static let statusSelector = Option.value("status-selector", .string,
                                             "Only objects whose condition matches, e.g. ready=false",
                                             valueName: "TYPE=STATUS")
    static let noHeader = Option.flag("no-header", "Do not print the table header")
    static let local = Option.flag("local", "Read the checkout instead of the cluster")

    /// Options every `get` command takes.
    static let listing: [Option] = cluster + [allNamespaces, selector, statusSelector, noHeader, output(), local, repo, clusterPath]
    static let commit = Option.flag("commit", "Commit the change with git")
}
