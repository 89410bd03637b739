/// A kustomize field spec: which kinds a transformer touches and the path to change there
/// (`spec/template/metadata/labels`, `[]` stepping into every list item), and whether the
/// path is created when missing.
struct FieldSpec: Sendable {
    var group: String?
    var kind: String?
    var path: [String]
    var create: Bool

    /// A `fields` entry of a `labels` item (or a configurations file).
    init(node: YAMLNode) {
        self.init(node["path"]?.scalar ?? "", kind: node["kind"]?.scalar, group: node["group"]?.scalar,
                  create: node["create"]?.bool() ?? false)
    }

    init(_ path: String, kind: String? = nil, group: String? = nil, create: Bool) {
        self.path = FieldSpec.split(path)
        self.kind = kind
        self.group = group
        self.create = create
    }

    /// Splits a path at `/`, where `\/` is a slash inside a segment (an annotation key such
    /// as `nginx.ingress.kubernetes.io\/auth-secret`), as kustomize's fieldspec paths do.
    static func split(_ path: String) -> [String] {
        var segments: [String] = [], current = "", escaped = false
        for c in path {
            if escaped { current.append(c); escaped = false; continue }
            if c == "\\" { escaped = true; continue }
            if c == "/" { segments.append(current); current = ""; continue }
            current.append(c)
        }
        segments.append(current)
        return segments.filter { !$0.isEmpty }
    }

    func applies(to gvk: GroupVersionKind) -> Bool {
        if let kind, kind != gvk.kind { return false }
        if let group, group != gvk.group { return false }
        return true
    }

    /// Calls `change` on the node at the path (creating an empty mapping when allowed).
    func visit(_ node: inout YAMLNode, _ change: (inout YAMLNode) -> Void) {
        FieldSpec.visit(&node, path[...], create: create, change)
    }

    /// Whether any node exists at the path (read-only, so callers can skip a mutating visit).
    func exists(in node: YAMLNode) -> Bool {
        FieldSpec.exists(node, path[...])
    }

    private static func exists(_ node: YAMLNode, _ path: ArraySlice<String>) -> Bool {
        guard let step = path.first else { return true }
        let rest = path.dropFirst()
        if step.hasSuffix("[]") {
            guard let list = node[String(step.dropLast(2))] else { return false }
            return list.items.contains { exists($0, rest) }
        }
        if node.isSequence { return node.items.contains { exists($0, path) } }
        guard let child = node[step] else { return false }
        return exists(child, rest)
    }

    private static func visit(_ node: inout YAMLNode, _ path: ArraySlice<String>, create: Bool,
                              _ change: (inout YAMLNode) -> Void) {
        guard let step = path.first else { change(&node); return }
        let rest = path.dropFirst()
        if step.hasSuffix("[]") {
            let key = String(step.dropLast(2))
            guard var list = node[key], list.isSequence else { return }
            var items = list.items
            for i in items.indices { visit(&items[i], rest, create: create, change) }
            list.content = .sequence(items)
            node[key] = list
            return
        }
        if node.isSequence {
            var items = node.items
            for i in items.indices { visit(&items[i], path, create: create, change) }
            node.content = .sequence(items)
            return
        }
        guard node.isMapping else { return }
        if var child = node[step], !child.isNullScalar {
            visit(&child, rest, create: create, change)
            node[step] = child
        } else if create {
            var child = YAMLNode(mapping: [])
            visit(&child, rest, create: create, change)
            node[step] = child
        }
    }
}

/// The built-in field specs kustomize ships for labels and annotations
/// (api/konfig/builtinpluginconsts).
enum BuiltinFieldSpecs {
    static let workloadsWithTemplate = ["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "ReplicationController"]

    /// `commonLabels` / `labels` with `includeSelectors`: metadata, selectors and templates.
    static let selectorLabels: [FieldSpec] = [
        FieldSpec("spec/selector", kind: "Service", create: true),
        FieldSpec("spec/selector", kind: "ReplicationController", create: true),
        FieldSpec("spec/selector/matchLabels", kind: "Deployment", create: true),
        FieldSpec("spec/selector/matchLabels", kind: "ReplicaSet", create: true),
        FieldSpec("spec/selector/matchLabels", kind: "DaemonSet", create: true),
        FieldSpec("spec/selector/matchLabels", kind: "StatefulSet", group: "apps", create: true),
        FieldSpec("spec/selector/matchLabels", kind: "Job", group: "batch", create: false),
        FieldSpec("spec/jobTemplate/spec/selector/matchLabels", kind: "CronJob", group: "batch", create: false),
        FieldSpec("spec/selector/matchLabels", kind: "PodDisruptionBudget", group: "policy", create: false),
        FieldSpec("spec/podSelector/matchLabels", kind: "NetworkPolicy", group: "networking.k8s.io", create: false),
        FieldSpec("spec/ingress/from/podSelector/matchLabels", kind: "NetworkPolicy", group: "networking.k8s.io", create: false),
        FieldSpec("spec/egress/to/podSelector/matchLabels", kind: "NetworkPolicy", group: "networking.k8s.io", create: false),
    ] + affinity("Deployment", group: "apps") + affinity("StatefulSet", group: "apps") + [
        FieldSpec("spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels", kind: "Deployment", group: "apps", create: false),
        FieldSpec("spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels", kind: "StatefulSet", group: "apps", create: false),
    ]

    /// Pod template labels (`labels` with `includeTemplates`).
    static let templateLabels: [FieldSpec] =
        workloadsWithTemplate.map { FieldSpec("spec/template/metadata/labels", kind: $0, create: true) } + [
            FieldSpec("spec/jobTemplate/metadata/labels", kind: "CronJob", group: "batch", create: true),
            FieldSpec("spec/jobTemplate/spec/template/metadata/labels", kind: "CronJob", group: "batch", create: true),
            FieldSpec("spec/volumeClaimTemplates[]/metadata/labels", kind: "StatefulSet", group: "apps", create: true),
        ]

    static let annotations: [FieldSpec] = [FieldSpec("metadata/annotations", create: true)]
        + workloadsWithTemplate.map { FieldSpec("spec/template/metadata/annotations", kind: $0, create: true) } + [
            FieldSpec("spec/jobTemplate/metadata/annotations", kind: "CronJob", group: "batch", create: true),
            FieldSpec("spec/jobTemplate/spec/template/metadata/annotations", kind: "CronJob", group: "batch", create: true),
        ]

    private static func affinity(_ kind: String, group: String) -> [FieldSpec] {
        ["podAffinity", "podAntiAffinity"].flatMap { a in
            [
                FieldSpec("spec/template/spec/affinity/\(a)/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", kind: kind, group: group, create: false),
                FieldSpec("spec/template/spec/affinity/\(a)/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", kind: kind, group: group, create: false),
            ]
        }
    }
}
