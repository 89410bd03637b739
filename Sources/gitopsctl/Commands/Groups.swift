// The verb groups: each only lists the kinds it acts on. The kind commands live in the folder
// of their noun (Kustomization/ReconcileKustomization.swift, HelmRelease/…).

extension Command {
    static let reconcile = Command(
        name: "reconcile",
        abstract: "Ask Flux to reconcile an object now and wait for the result",
        discussion: """
        Sets the reconcile.fluxcd.io/requestedAt annotation, waits until the controller has \
        handled the request and Ready is decided, and prints the applied revision or the failure.
        """,
        subcommands: [.reconcileKustomization, .reconcileHelmRelease, .reconcileSource])

    static let reconcileSource = Command(
        name: "source",
        abstract: "Reconcile a Flux source",
        subcommands: [.reconcileSourceGit, .reconcileSourceOCI, .reconcileSourceHelm, .reconcileSourceChart])

    static let suspend = Command(
        name: "suspend",
        abstract: "Suspend reconciliation of Flux objects (sets spec.suspend)",
        subcommands: [.suspendKustomization, .suspendHelmRelease, .suspendSource])

    static let resume = Command(
        name: "resume",
        abstract: "Resume suspended Flux objects and wait for them to reconcile",
        subcommands: [.resumeKustomization, .resumeHelmRelease, .resumeSource])

    static let get = Command(
        name: "get",
        abstract: "List Flux objects and their status",
        subcommands: [.getKustomizations, .getHelmReleases, .getSources])

    static let getSources = Command(
        name: "sources",
        aliases: ["source"],
        abstract: "List Flux sources",
        subcommands: [.getSourcesGit])

    static let tree = Command(
        name: "tree",
        abstract: "Show what a Flux object manages, as a tree",
        subcommands: [.treeKustomization])
}

extension Option {
    /// `suspend` and `resume` act on the named objects or on all of them.
    static let all = Option.flag("all", "Act on every object of the kind in the namespace")
}

extension Positional {
    static func names(_ kind: ResourceKind, _ noun: String) -> Positional {
        Positional(name: "NAME", kind: .resource(kind), abstract: "The \(noun)s to act on (or --all)",
                   optional: true, variadic: true)
    }

    static func name(_ kind: ResourceKind, _ noun: String) -> Positional {
        Positional(name: "NAME", kind: .resource(kind), abstract: "The \(noun)")
    }
}
