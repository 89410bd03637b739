import GitOpsCore

// `suspend source KIND` and `resume source KIND`: the same bodies as for Kustomizations, one
// command per source kind flux2 can suspend.

extension Command {
    static let suspendSource = Command(
        name: "source",
        abstract: "Suspend reconciliation of Flux sources",
        subcommands: sourceKinds.map { kind, noun in suspendSourceKind(kind, noun) })

    static let resumeSource = Command(
        name: "source",
        abstract: "Resume suspended Flux sources and wait for them",
        subcommands: sourceKinds.map { kind, noun in resumeSourceKind(kind, noun) })

    private static let sourceKinds: [(FluxKind, String)] = [
        (.gitRepository, "git"), (.ociRepository, "oci"), (.helmRepository, "helm"), (.helmChart, "chart"),
    ]

    private static func sourceNames(_ kind: FluxKind) -> Positional {
        Positional(name: "NAME", kind: kind == .gitRepository ? .resource(.gitRepository) : .string,
                   abstract: "The \(kind.kind)s to act on (or --all)", optional: true, variadic: true)
    }

    private static func suspendSourceKind(_ kind: FluxKind, _ noun: String) -> Command {
        Command(name: noun, abstract: "Suspend \(kind.kind)s",
                examples: [Example(comment: "Stop fetching while the remote is repaired",
                                   command: "gitopsctl suspend source \(noun) flux-system")],
                positionals: [sourceNames(kind)],
                options: Option.cluster + [.all, .allNamespaces],
                body: { try await SuspendRunner.suspend($0, kind: kind) })
    }

    private static func resumeSourceKind(_ kind: FluxKind, _ noun: String) -> Command {
        Command(name: noun, abstract: "Resume \(kind.kind)s and wait for them",
                examples: [Example(comment: "Fetch again and wait for the artifact",
                                   command: "gitopsctl resume source \(noun) flux-system")],
                positionals: [sourceNames(kind)],
                options: Option.cluster + [.all, .allNamespaces, .timeout(), .wait.defaulting(to: "true")],
                body: { try await SuspendRunner.resume($0, kind: kind) })
    }
}
