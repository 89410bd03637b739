import GitOpsCore

/// Kustomization and HelmRelease names for shell completion, read from the YAML files of the
/// checkout (`--repo`) without building anything, so completion stays instant.
enum FluxCompletion {
    /// Kustomization and HelmRelease names from the checkout, then those only the cluster has.
    static func providers(falling back: [ResourceKind: CompletionProvider]) -> [ResourceKind: CompletionProvider] {
        var result: [ResourceKind: CompletionProvider] = [:]
        for (kind, name) in [(ResourceKind.kustomization, "Kustomization"), (.helmRelease, "HelmRelease")] {
            let cluster = back[kind]
            result[kind] = { request in
                let local = names(kind: name, request)
                // Offline commands never need the cluster; others add what only the cluster has.
                guard request.arguments.declared["kubeconfig"] != nil, !request.arguments.flag("local"),
                      let cluster else { return local }
                let known = Set(local.map(\.value))
                return local + cluster(request).filter { !known.contains($0.value) }
            }
        }
        return result
    }

    static func names(kind: String, _ request: CompletionRequest) -> [CompletionCandidate] {
        let root = LocalRepository.root(request.arguments)
        // Only a GitOps checkout is scanned; any other project tree would offer stray names.
        guard request.arguments.string("repo") != nil || LocalRepository.hasClusterLayout(root) else { return [] }
        let group = kind == "Kustomization" ? "kustomize.toolkit.fluxcd.io/" : "helm.toolkit.fluxcd.io/"
        var seen: Set<String> = []
        var candidates: [CompletionCandidate] = []
        for file in RepositoryFiles(root: root.path).files {
            for document in file.stream.documents {
                guard let node = document.root, node["kind"]?.scalar == kind,
                      node["apiVersion"]?.scalar?.hasPrefix(group) == true,
                      let name = node["metadata"]?["name"]?.scalar, name.hasPrefix(request.prefix),
                      seen.insert(name).inserted else { continue }
                let namespace = node["metadata"]?["namespace"]?.scalar ?? "flux-system"
                candidates.append(CompletionCandidate(value: name, description: "\(namespace), \(file.path)"))
            }
        }
        return candidates.sorted { $0.value < $1.value }
    }
}
