/// The namespace, name prefix/suffix, label and annotation transformers, each over all
/// objects of one kustomization layer.
enum MetadataTransformers {
    /// kustomize's namespace transformer: namespaced objects move, `Namespace` objects are
    /// renamed to the namespace, binding subjects named `default` (of any kind) and the
    /// service of an APIService or CRD conversion webhook get the namespace too. Webhook
    /// configurations' services follow through name references instead.
    static func setNamespace(_ namespace: String, on resources: inout [KustomizeResource]) {
        for i in resources.indices {
            let gvk = resources[i].gvk
            resources[i].recordID()
            if gvk.kind == "Namespace" && resources[i].apiVersion == "v1" {
                resources[i].setMetadata("name", YAMLNode(string: namespace))
            }
            if !gvk.isClusterScoped { resources[i].setNamespace(namespace) }
            switch gvk.kind {
            case "RoleBinding", "ClusterRoleBinding":
                guard var subjects = resources[i].node["subjects"], subjects.isSequence else { break }
                var items = subjects.items
                for s in items.indices where items[s]["name"]?.scalar == "default" {
                    items[s]["namespace"] = YAMLNode(string: namespace)
                }
                subjects.content = .sequence(items)
                resources[i].node["subjects"] = subjects
            case "APIService" where gvk.group == "apiregistration.k8s.io":
                FieldSpec("spec/service/namespace", create: true).visit(&resources[i].node) { field in
                    field = YAMLNode(string: namespace)
                }
            case "CustomResourceDefinition" where gvk.group == "apiextensions.k8s.io":
                FieldSpec("spec/conversion/webhook/clientConfig/service/namespace", create: false).visit(&resources[i].node) { field in
                    field = YAMLNode(string: namespace)
                }
            default:
                break
            }
        }
    }

    /// Kinds whose names never get a prefix or suffix (api/filters/prefixsuffix).
    static func skipsAffixes(_ gvk: GroupVersionKind) -> Bool {
        gvk.kind == "CustomResourceDefinition" || gvk.kind == "Namespace"
            || (gvk.kind == "APIService" && gvk.group == "apiregistration.k8s.io")
    }

    static func addAffixes(prefix: String, suffix: String, identities: [FieldSpec] = [],
                           on resources: inout [KustomizeResource]) {
        // Two steps, as kustomize's prefix and suffix transformers each store the id they
        // change: a reference may use the name with only the prefix.
        for i in resources.indices where !skipsAffixes(resources[i].originalID.gvk) {
            if !prefix.isEmpty {
                resources[i].namePrefixes.append(prefix)
                resources[i].rename(to: prefix + resources[i].name)
                let gvk = resources[i].gvk
                for spec in identities where spec.applies(to: gvk) {
                    spec.visit(&resources[i].node) { field in
                        if let text = field.scalar, !field.isNullScalar { field = YAMLNode(string: prefix + text) }
                    }
                }
            }
            if !suffix.isEmpty {
                resources[i].nameSuffixes.append(suffix)
                resources[i].rename(to: resources[i].name + suffix)
            }
        }
    }

    static func addLabels(_ spec: Kustomization.LabelSpec, crdSelectors: [FieldSpec] = [],
                          on resources: inout [KustomizeResource]) {
        var specs = [FieldSpec("metadata/labels", create: true)]
        if spec.includeSelectors { specs += BuiltinFieldSpecs.selectorLabels + crdSelectors }
        if spec.includeTemplates { specs += BuiltinFieldSpecs.templateLabels }
        specs += spec.fields
        set(spec.pairs, using: specs, on: &resources)
    }

    static func addAnnotations(_ pairs: [(String, String)], crdFields: [FieldSpec] = [],
                               on resources: inout [KustomizeResource]) {
        set(pairs, using: BuiltinFieldSpecs.annotations + crdFields, on: &resources)
    }

    private static func set(_ pairs: [(String, String)], using specs: [FieldSpec], on resources: inout [KustomizeResource]) {
        guard !pairs.isEmpty else { return }
        for i in resources.indices {
            let gvk = resources[i].gvk
            for spec in specs where spec.applies(to: gvk) {
                spec.visit(&resources[i].node) { map in
                    if !map.isMapping { map = YAMLNode(mapping: []) }
                    for (key, value) in pairs { map[key] = YAMLNode(string: value) }
                }
            }
        }
    }
}
