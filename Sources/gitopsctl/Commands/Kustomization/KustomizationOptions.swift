extension Option {
    static let withSource = Option.flag("with-source", "Reconcile the source (GitRepository) first")
    static let ageKey = Option.value("age-key", .file, "age identity file to decrypt SOPS secrets with")
    static let dryRun = Option.flag("dry-run", "Show what would change; write and apply nothing")
}
