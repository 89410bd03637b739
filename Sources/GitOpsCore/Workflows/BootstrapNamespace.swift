import Foundation

/// A Kustomization of the repository that already applies the bootstrap namespace, found on the
/// offline Flux model from the sync path. home-ops style repositories declare `flux-system`
/// themselves (with pruning disabled); a second declaration in `gotk-components.yaml` makes two
/// Kustomizations own one object, which `validate` reports and kustomize-controller fights over.
struct BootstrapNamespaceDeclaration: Sendable, Equatable, CustomStringConvertible {
    /// The Kustomization whose build holds the Namespace.
    var owner: FluxObjectKey
    /// That Kustomization's `spec.path` as written (`./kubernetes/apps`).
    var path: String

    /// `Kustomization/flux-system/cluster-apps (./kubernetes/apps)`.
    var description: String { path.isEmpty ? owner.description : "\(owner) (\(path))" }

    /// The first Kustomization (in discovery order) whose build applies the Namespace `manifests.namespace`,
    /// other than through `gotk-components.yaml` itself: the sync Kustomization's own build counts only
    /// when the committed components file (`committedComponents`) does not declare it. Nil when none
    /// does, or when the cluster path does not exist yet (a first bootstrap of a new repository).
    static func find(root: URL, manifests: BootstrapManifests,
                     committedComponents: [KubeObject]) -> BootstrapNamespaceDeclaration? {
        var options = FluxRepo.Options(clusterPath: manifests.path.isEmpty ? "." : manifests.path,
                                       builder: KustomizeManifestBuilder(), remoteURL: manifests.url)
        options.scope = .everything
        guard let repo = try? FluxRepo.load(root: root.path, options: options) else { return nil }
        let componentsDeclare = declares(committedComponents, namespace: manifests.namespace)
        let owners = repo.kustomizations.map(\.key) + [repo.rootKey]
        for owner in owners {
            if owner == repo.rootKey, componentsDeclare { continue }
            let applies = (repo.inventory[owner] ?? []).contains { entry in
                entry.group.isEmpty && entry.kind == "Namespace" && entry.name == manifests.namespace
            }
            guard applies else { continue }
            let path = repo.kustomizations.first { $0.key == owner }?.path ?? manifests.syncPath
            return BootstrapNamespaceDeclaration(owner: owner, path: path)
        }
        return nil
    }

    /// Whether `objects` hold the core Namespace `namespace`.
    static func declares(_ objects: [KubeObject], namespace: String) -> Bool {
        objects.contains { $0.groupVersionKind.group.isEmpty && $0.kind == "Namespace" && $0.name == namespace }
    }
}
