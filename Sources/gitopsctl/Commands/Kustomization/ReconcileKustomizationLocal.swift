import GitOpsCore

/// `reconcile ks NAME --local`: the one-shot kustomize-controller. Per object lines on stdout
/// (`Kind/ns/name created|configured|unchanged|pruned`); a dry run exits 1 when something would change.
enum ReconcileKustomizationLocal {
    static func run(_ invocation: Invocation) async throws -> ExitStatus {
        let arguments = invocation.arguments
        guard let name = arguments.positional(0) else { throw invocation.usageError(.missingArgument("NAME")) }
        let decryptor = try LocalRepository.decryptor(arguments, required: false)
        let repo = try LocalRepository.load(invocation, decryptor: decryptor, generatorSources: .decrypt)
        let session = try ClusterWorkflowSession(invocation)
        var options = LocalReconcileOptions()
        if arguments.flag("prune"), arguments.flag("no-prune") {
            throw invocation.usageError(.conflicting("--prune", "--no-prune"))
        }
        // Unset, spec.prune decides as in kustomize-controller; the flags override it either way.
        options.prune = arguments.flag("no-prune") ? false : arguments.isSet("prune") ? arguments.flag("prune") : nil
        options.dryRun = arguments.flag("dry-run")
        options.withDependencies = arguments.flag("with-dependencies")
        if arguments.duration("timeout") != nil { options.timeout = ClusterWorkflowSession.timeout(invocation) }
        let output = invocation.output
        let format = try invocation.outputFormat()
        let reconciler = LocalReconciler(client: session.client, events: session.events)
        let dryRun = options.dryRun
        let changes = try await reconciler.reconcile(repo, name: name, namespace: arguments.string("namespace"),
                                                     decryptor: decryptor,
                                                     revision: LocalRepository.revision(arguments), options: options,
                                                     reconciled: { done in
                                                         // Text streams stage by stage; JSON/YAML is one document at the end.
                                                         guard format == .text else { return }
                                                         output.write(done.compactMap { change in
                                                             dryRun ? change.dryRunReport : "\(change.line)\n"
                                                         }.joined())
                                                     })
        if format != .text { try output.render(LocalReconcileReport(changes: changes, dryRun: dryRun), as: format) }
        if options.dryRun, changes.contains(where: \.isChange) {
            invocation.reporter.warning("identified at least one change, exiting with non-zero exit code")
            return 1
        }
        return 0
    }
}

/// `reconcile ks NAME --local -o json|yaml`: one entry per object, for CI.
struct LocalReconcileReport: Renderable {
    var changes: [LocalReconcileChange]
    var dryRun: Bool

    var document: Document {
        ["dryRun": .bool(dryRun), "changed": .bool(changes.contains(where: \.isChange)),
         "objects": .array(changes.map { change in
             var members = [Document.Member(key: "object", value: .string(change.reference)),
                            Document.Member(key: "action", value: .string(change.action.rawValue))]
             if let diff = change.diff, !diff.isEmpty { members.append(Document.Member(key: "diff", value: .string(diff))) }
             return .object(members)
         })]
    }

    func humanText(color: Bool) -> String {
        changes.map { dryRun ? ($0.dryRunReport ?? "") : "\($0.line)\n" }.joined()
    }
}
