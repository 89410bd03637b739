import GitOpsCore

/// Kustomization and HelmRelease names for shell completion, read from the YAML files of the
/// checkout (`--repo`) without building anything, so completion stays instant.
enum FluxCompletion {
    static func names(kind: String, _ request: CompletionRequest) -> [CompletionCandidate] {
        let root = LocalRepository.root(request.arguments)
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
