/// kustomize's `images` transformer: rewrites `image` fields of every `containers` and
/// `initContainers` list in an object whose image name matches.
enum ImageTransformer {
    static func apply(_ images: [Kustomization.ImageSpec], on resources: inout [KustomizeResource]) {
        guard !images.isEmpty else { return }
        for i in resources.indices {
            rewrite(&resources[i].node, images)
            // kustomize's image field specs name `spec/containers[]/image` and
            // `spec/initContainers[]/image` besides its walk over every container list, so
            // those two lists (a Pod's) are updated a second time: a `tagSuffix` lands twice.
            if var spec = resources[i].node["spec"], spec.isMapping {
                for key in ["containers", "initContainers"] {
                    guard var list = spec[key], list.isSequence else { continue }
                    var items = list.items
                    for c in items.indices {
                        if let image = items[c]["image"]?.scalar, let updated = updatedImage(image, images) {
                            items[c]["image"] = YAMLNode(string: updated)
                        }
                    }
                    list.content = .sequence(items)
                    spec[key] = list
                }
                resources[i].node["spec"] = spec
            }
        }
    }

    private static func rewrite(_ node: inout YAMLNode, _ images: [Kustomization.ImageSpec]) {
        switch node.content {
        case .mapping(let pairs):
            var changed = pairs
            for p in changed.indices {
                let key = changed[p].key.scalar ?? ""
                if (key == "containers" || key == "initContainers"), changed[p].value.isSequence {
                    var items = changed[p].value.items
                    for c in items.indices {
                        if let image = items[c]["image"]?.scalar, let updated = updatedImage(image, images) {
                            items[c]["image"] = YAMLNode(string: updated)
                        }
                    }
                    changed[p].value.content = .sequence(items)
                }
                rewrite(&changed[p].value, images)
            }
            node.content = .mapping(changed)
        case .sequence(var items):
            for j in items.indices { rewrite(&items[j], images) }
            node.content = .sequence(items)
        case .scalar:
            break
        }
    }

    /// Splits `name[:tag][@digest]`; a `:` inside the registry host (`host:5000/x`) is no tag.
    static func split(_ image: String) -> (name: String, tag: String?, digest: String?) {
        var rest = image
        var digest: String?
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = String(rest[..<at])
        }
        var tag: String?
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            tag = String(rest[rest.index(after: colon)...])
            rest = String(rest[..<colon])
        }
        return (rest, tag, digest)
    }

    static func updatedImage(_ image: String, _ images: [Kustomization.ImageSpec]) -> String? {
        let parts = split(image)
        guard let spec = images.first(where: { $0.name == parts.name }) else { return nil }
        let name = spec.newName ?? parts.name
        var tag = parts.tag, digest = parts.digest
        if let newTag = spec.newTag {
            tag = newTag
            digest = nil
        } else if let suffix = spec.tagSuffix {
            // kustomize v5.5 drops the digest when it appends a `tagSuffix`, and ignores the
            // suffix next to `newTag`; kubectl prints that.
            tag = (tag ?? "") + suffix
            digest = nil
        }
        if let newDigest = spec.digest {
            digest = newDigest
            if spec.newTag == nil { tag = nil }
        }
        var out = name
        if let tag { out += ":" + tag }
        if let digest { out += "@" + digest }
        return out
    }
}

/// kustomize's `replicas` transformer: sets `spec.replicas` on the named workloads.
enum ReplicaTransformer {
    static let kinds: Set<String> = ["Deployment", "ReplicationController", "ReplicaSet", "StatefulSet"]

    static func apply(_ replicas: [(name: String, count: YAMLNode)], file: String,
                      on resources: inout [KustomizeResource]) throws {
        for entry in replicas {
            let matching = resources.indices.filter { i in
                kinds.contains(resources[i].kind)
                    && (resources[i].name == entry.name || resources[i].previousIDs.contains { $0.name == entry.name })
            }
            // kustomize fails a `replicas` entry that names no workload.
            if matching.isEmpty {
                throw KustomizeError.invalidField(
                    file: file, field: "replicas",
                    problem: "resource with name \(entry.name) does not match a config with the following GVK [Deployment.[noVer].[noGrp] StatefulSet.[noVer].[noGrp] ReplicaSet.[noVer].[noGrp] ReplicationController.[noVer].[noGrp]]")
            }
            for i in matching {
                var spec = resources[i].node["spec"] ?? YAMLNode(mapping: [])
                spec["replicas"] = YAMLNode(scalar: entry.count.scalar ?? "0")
                resources[i].node["spec"] = spec
            }
        }
    }
}
