extension Command {
    static let bootstrap = Command(
        name: "bootstrap",
        abstract: "Install Flux on a cluster and sync it to this repository",
        discussion: """
        Writes clusters/NAME/flux-system/ (gotk-components.yaml, gotk-sync.yaml, \
        kustomization.yaml) as flux bootstrap does, with SOPS decryption for the Kustomization; \
        writes .sops.yaml with the age recipient; commits; applies to the cluster server-side; \
        and creates the sops-age Secret from the age key. Running it again changes nothing and \
        says so.
        """,
        examples: [
            Example(comment: "Bootstrap production with a new age key",
                    command: "gitopsctl bootstrap --path clusters/production --url ssh://git@github.com/acme/platform --generate-age-key"),
            Example(comment: "Only write and commit the files",
                    command: "gitopsctl bootstrap --path clusters/staging --url https://github.com/acme/platform --age-key age.agekey --no-apply"),
        ],
        options: [
            .clusterPath, .repo,
            .value("url", .string, "The repository URL the cluster pulls from"),
            .value("branch", .string, "The branch to sync", default: "main"),
            .value("interval", .duration, "How often Flux syncs", default: "10m"),
            .value("components-file", .file, "Flux install manifests to use instead of the built-in ones"),
            .value("age-key", .file, "age identity for the sops-age Secret"),
            .flag("generate-age-key", "Generate a new age identity for the cluster"),
            .flag("no-apply", "Write and commit the files; do not touch the cluster"),
            .value("commit-author", .string, "Author of the commit", valueName: "\"NAME <MAIL>\""),
            .timeout(),
        ] + Option.cluster,
        body: Command.notImplemented)
}
