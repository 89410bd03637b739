/// The whole command tree, in the order help lists it. Built on demand (one call per process),
/// so start-up pays only for the structs themselves.
enum CommandTree {
    static func root() -> Command {
        Command(
            name: "gitopsctl",
            abstract: "Run a Flux GitOps repository: secrets, builds, tenants and the cluster, in one tool",
            discussion: """
            gitopsctl replaces flux, sops, age, age-keygen and kubectl for the daily work on a Flux \
            GitOps repository: encrypt and decrypt SOPS secrets with age keys, build and check what \
            each Flux Kustomization will apply, scaffold Capsule tenants, bootstrap a cluster, and \
            reconcile, suspend and resume Flux objects.
            """,
            examples: [
                Example(comment: "Check the whole repository before pushing", command: "gitopsctl validate --path clusters/production"),
                Example(comment: "Encrypt a Secret for the recipients .sops.yaml names", command: "gitopsctl encrypt -i infrastructure/configs/secrets/dns-token.yaml"),
                Example(comment: "Show what the apps Kustomization manages", command: "gitopsctl tree ks apps --path clusters/production"),
                Example(comment: "Reconcile a Kustomization and wait for it", command: "gitopsctl reconcile ks infrastructure --with-source"),
            ],
            subcommands:
                section("Secrets (sops and age compatible)", [.encrypt, .decrypt, .edit, .updateKeys, .rotate, .keygen, .age])
                + section("Repository (offline, from the checkout)", [.tree, .build, .validate, .tenant])
                + section("Cluster", [.bootstrap, .reconcile, .suspend, .resume, .get])
                + section("Tooling", [.completion, .man, .version, .help, .complete, .debug]))
    }

    private static func section(_ heading: String, _ commands: [Command]) -> [Command] {
        commands.map { command in
            var command = command
            command.section = heading
            return command
        }
    }
}
