/// Applies `patches`, `patchesStrategicMerge` and `patchesJson6902` entries: a patch whose
/// content is a list of operations is JSON 6902, anything else is a strategic merge patch.
enum PatchTransformer {
    static func apply(_ patch: Kustomization.PatchSpec, to resources: inout [KustomizeResource]) throws {
        let stream: YAMLStream
        do {
            stream = try YAMLParser().parse(patch.text, file: patch.source)
        } catch let error as YAMLError {
            throw KustomizeError.patchFailed(patch: patch.source, target: patch.target?.description ?? "(none)",
                                             problem: error.description)
        }
        let documents = stream.documents.compactMap(\.root).filter { !$0.isNullScalar }
        if let first = documents.first, first.isSequence {
            try applyJSON6902(first, patch, to: &resources)
            return
        }
        for document in documents {
            try applyStrategicMerge(document, patch, to: &resources)
        }
    }

    private static func applyJSON6902(_ operations: YAMLNode, _ patch: Kustomization.PatchSpec,
                                      to resources: inout [KustomizeResource]) throws {
        guard let target = patch.target else {
            throw KustomizeError.patchFailed(patch: patch.source, target: "(none)",
                                             problem: "a JSON 6902 patch needs a target")
        }
        let jsonPatch: JSONPatch
        do { jsonPatch = try JSONPatch(node: operations) } catch let error as JSONPatch.Failure {
            throw KustomizeError.patchFailed(patch: patch.source, target: target.description, problem: error.problem)
        }
        for i in resources.indices where target.selects(resources[i]) {
            do {
                // kustomize keeps its build annotations on every object while transforming,
                // so `metadata.annotations` always exists for a JSON patch: adding one
                // annotation to an object without any works there. An empty map left over
                // is dropped when the build finishes.
                var node = resources[i].node
                if var metadata = node["metadata"], metadata.isMapping, metadata["annotations"] == nil {
                    metadata["annotations"] = YAMLNode(mapping: [])
                    node["metadata"] = metadata
                }
                resources[i].node = try jsonPatch.apply(to: node)
            } catch let error as JSONPatch.Failure {
                throw KustomizeError.patchFailed(patch: patch.source, target: resources[i].id.shortDescription,
                                                 problem: error.problem)
            }
        }
    }

    private static func applyStrategicMerge(_ document: YAMLNode, _ patch: Kustomization.PatchSpec,
                                            to resources: inout [KustomizeResource]) throws {
        let indices: [Int]
        if let target = patch.target {
            indices = resources.indices.filter { target.selects(resources[$0]) }
        } else {
            let id = ResourceID(gvk: GroupVersionKind(apiVersion: document["apiVersion"]?.scalar ?? "",
                                                      kind: document["kind"]?.scalar ?? ""),
                                name: document["metadata"]?["name"]?.scalar ?? "",
                                namespace: document["metadata"]?["namespace"]?.scalar ?? "")
            indices = resources.indices.filter { resources[$0].matches(anyID: id) }
            if indices.isEmpty {
                throw KustomizeError.patchTargetNotFound(patch: patch.source, target: id.shortDescription)
            }
        }
        var deleted: [Int] = []
        for i in indices {
            let resource = resources[i]
            switch StrategicMerge.apply(document, to: resource.node, gvk: resource.gvk) {
            case .deleteObject:
                deleted.append(i)
            case .merged(var merged):
                // The target keeps its identity: a patch selected by `target` may carry any
                // name (kustomize's allowNameChange/allowKindChange default to false).
                if !patch.allowKindChange {
                    for key in ["apiVersion", "kind"] { merged[key] = resource.node[key] }
                }
                var metadata = merged["metadata"] ?? YAMLNode(mapping: [])
                if !patch.allowNameChange || document["metadata"]?["name"] == nil {
                    metadata["name"] = resource.node["metadata"]?["name"]
                }
                if let ns = resource.node["metadata"]?["namespace"] { metadata["namespace"] = ns }
                merged["metadata"] = metadata
                resources[i].node = merged
            }
        }
        for i in deleted.reversed() { resources.remove(at: i) }
    }
}
