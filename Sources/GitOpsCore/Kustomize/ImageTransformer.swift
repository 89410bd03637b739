/// kustomize's `images` transformer, one `images` entry at a time as kustomize configures
/// them: its legacy walk rewrites the `image` of every item of every `containers` and
/// `initContainers` list in an object (children first), then its field specs visit the pod
/// spec's lists again (`spec/…` and `spec/template/spec/…`), so a `tagSuffix` lands twice
/// there. CustomResourceDefinitions are left alone. The entry's name is a regular expression
/// (api/internal/image).
enum ImageTransformer {
    static let fieldSpecs = ["spec/containers", "spec/initContainers", "spec/template/spec/containers",
                             "spec/template/spec/initContainers"].map { FieldSpec($0, create: false) }

    static func apply(_ spec: Kustomization.ImageSpec, on resources: inout [KustomizeResource]) {
        // An entry whose name does not compile matches nothing (kustomize ignores the error).
        guard let pattern = try? GoRegex("^" + spec.name + "(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$") else {
            return
        }
        let update: (inout YAMLNode) -> Void = { list in
            guard list.isSequence else { return }
            var items = list.items
            var changed = false
            for c in items.indices {
                guard let image = items[c]["image"], case .scalar(let text) = image.content, !image.isNullScalar,
                      pattern.matches(text) else { continue }
                items[c]["image"] = YAMLNode(string: updated(text, spec))
                changed = true
            }
            if changed { list.content = .sequence(items) }
        }
        for i in resources.indices where resources[i].kind != "CustomResourceDefinition" {
            walk(&resources[i].node, update)
            for fieldSpec in fieldSpecs { fieldSpec.visit(&resources[i].node, update) }
        }
    }

    private static func walk(_ node: inout YAMLNode, _ update: (inout YAMLNode) -> Void) {
        switch node.content {
        case .mapping(var pairs):
            for p in pairs.indices {
                walk(&pairs[p].value, update)
                if let key = pairs[p].key.scalar, key == "containers" || key == "initContainers" {
                    update(&pairs[p].value)
                }
            }
            node.content = .mapping(pairs)
        case .sequence(var items):
            for j in items.indices { walk(&items[j], update) }
            node.content = .sequence(items)
        case .scalar:
            break
        }
    }

    /// Go's image.Split: the first `@` or `:` after the first `/` ends the name.
    static func split(_ image: String) -> (name: String, tag: String, digest: String) {
        let bytes = Array(image.utf8)
        let slash = bytes.firstIndex(of: UInt8(ascii: "/")).flatMap { $0 > 0 ? $0 : nil } ?? 0
        let search = bytes[slash...]
        let at = search.firstIndex(of: UInt8(ascii: "@"))
        let colon = search.firstIndex(of: UInt8(ascii: ":"))
        func text(_ slice: ArraySlice<UInt8>) -> String { String(decoding: slice, as: UTF8.self) }
        switch (colon, at) {
        case (nil, nil):
            return (image, "", "")
        case (let c, .some(let a)) where c == nil || a < c!:
            return (text(bytes[..<a]), "", text(bytes[(a + 1)...]))
        case (.some(let c), .some(let a)):
            return (text(bytes[..<c]), text(bytes[(c + 1)..<a]), text(bytes[(a + 1)...]))
        case (.some(let c), nil):
            return (text(bytes[..<c]), text(bytes[(c + 1)...]), "")
        default:
            return (image, "", "")
        }
    }

    /// kustomize's imageTagUpdater: a new tag or digest replaces both old ones; a tag suffix
    /// is appended and drops the digest.
    static func updated(_ image: String, _ spec: Kustomization.ImageSpec) -> String {
        var (name, tag, digest) = split(image)
        if let newName = spec.newName, !newName.isEmpty { name = newName }
        let newTag = spec.newTag ?? "", newDigest = spec.digest ?? "", suffix = spec.tagSuffix ?? ""
        if !newTag.isEmpty && !newDigest.isEmpty {
            tag = newTag
            digest = newDigest
        } else if !newTag.isEmpty {
            tag = newTag
            digest = ""
        } else if !newDigest.isEmpty {
            tag = ""
            digest = newDigest
        } else if !suffix.isEmpty {
            tag += suffix
            digest = ""
        }
        if !tag.isEmpty { name += ":" + tag }
        if !digest.isEmpty { name += "@" + digest }
        return name
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
