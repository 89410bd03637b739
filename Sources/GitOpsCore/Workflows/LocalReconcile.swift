import Foundation

/// What `reconcile ks NAME --local` does besides applying.
public struct LocalReconcileOptions: Sendable {
    /// Delete what the previous inventory had and this build lacks: nil follows the
    /// Kustomization's `spec.prune` as kustomize-controller does, true prunes even when it is
    /// false, false never prunes.
    public var prune: Bool?
    /// Server-side dry run: report, change nothing.
    public var dryRun = false
    /// Reconcile the dependsOn chain first, in topological order.
    public var withDependencies = false
    /// Overrides each Kustomization's `spec.timeout` for health checks.
    public var timeout: Double?
    public var parallelism = 8

    public init() {}
}

/// A one-shot kustomize-controller: builds Kustomizations from the checkout and applies them
/// server-side as the controller would (field manager, owner labels, staging, prune, status).
public struct LocalReconciler: Sendable {
    public let client: KubeClient
    public let events: WorkflowEvents
    static let fieldManager = "kustomize-controller"

    public init(client: KubeClient, events: @escaping WorkflowEvents = { _ in }) {
        self.client = client
        self.events = events
    }

    public func reconcile(_ repo: FluxRepo, name: String, namespace: String?, decryptor: (any SopsDecrypting)?,
                          revision: String, options: LocalReconcileOptions,
                          reconciled: @Sendable ([LocalReconcileChange]) -> Void = { _ in })
        async throws(LocalReconcileError)
        -> [LocalReconcileChange] {
        guard let target = repo.kustomization(named: name, namespace: namespace) else {
            throw .build(FluxError.kustomizationNotFound(name: name, namespace: namespace).description)
        }
        var order: [FluxKustomization] = []
        if options.withDependencies {
            var visiting = Set<FluxObjectKey>()
            try Self.visit(target, repo, &visiting, &order)
        } else {
            order = [target]
        }
        var changes: [LocalReconcileChange] = []
        for kustomization in order {
            let run = LocalReconcileRun(client: client, events: events, repo: repo, kustomization: kustomization,
                                        decryptor: decryptor, revision: revision, options: options)
            let done = try await run.execute()
            // Each finished Kustomization is reported before the next starts, so a failure later in
            // the chain does not hide what already reached the cluster.
            reconciled(done)
            changes += done
        }
        return changes
    }

    /// Depth-first post-order over dependsOn: dependencies before their dependents.
    private static func visit(_ node: FluxKustomization, _ repo: FluxRepo, _ visiting: inout Set<FluxObjectKey>,
                              _ order: inout [FluxKustomization]) throws(LocalReconcileError) {
        if order.contains(where: { $0.key == node.key }) { return }
        guard visiting.insert(node.key).inserted else { throw .dependencyCycle(kustomization: node.key.description) }
        for reference in node.dependsOn {
            guard let dependency = repo.kustomization(named: reference.name, namespace: reference.namespace) else {
                throw .build("\(node.key): dependency '\(reference.namespace)/\(reference.name)' not found in the checkout")
            }
            try visit(dependency, repo, &visiting, &order)
        }
        visiting.remove(node.key)
        order.append(node)
    }
}
