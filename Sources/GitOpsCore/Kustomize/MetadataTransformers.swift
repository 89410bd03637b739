/// The namespace, name prefix/suffix, label and annotation transformers, each over all
/// objects of one kustomization layer.
enum MetadataTransformers {
    /// kustomize's namespace transformer: namespaced objects move, `Namespace` objects are
    /// renamed to the namespace, and references that must follow (binding subjects named
    /// `default`, webhook and APIService service refs) get the namespace too.
    static func setNamespace(_ namespace: String, on resources: inout [KustomizeResource]) {
        // Binding subjects follow ServiceAccounts that move with this layer.
        let serviceAccounts = Set(resources.filter { $0.kind == "ServiceAccount" }.map { "\($0.namespace)/\($0.name)" })
        for i in resources.indices {
            let gvk = resources[i].gvk
            if gvk.kind == "Namespace" && gvk.group.isEmpty {
                resources[i].rename(to: namespace)
                continue
            }
            if !gvk.isClusterScoped { resources[i].setNamespace(namespace) }
            switch gvk.kind {
            case "RoleBinding", "ClusterRoleBinding":
                var subjects = resources[i].node["subjects"]?.items ?? []
                guard !subjects.isEmpty else { break }
                for s in subjects.indices where subjects[s]["kind"]?.scalar == "ServiceAccount" {
                    let name = subjects[s]["name"]?.scalar ?? ""
                    let key = "\(subjects[s]["namespace"]?.scalar ?? "")/\(name)"
                    if name == "default" || serviceAccounts.contains(key) {
                        subjects[s]["namespace"] = YAMLNode(string: namespace)
                    }
                }
                resources[i].node["subjects"] = YAMLNode(sequence: subjects)
            case "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration":
                FieldSpec("webhooks[]/clientConfig/service", create: false).visit(&resources[i].node) { service in
                    if service.isMapping { service["namespace"] = YAMLNode(string: namespace) }
                }
            case "APIService":
                FieldSpec("spec/service", create: false).visit(&resources[i].node) { service in
                    if service.isMapping { service["namespace"] = YAMLNode(string: namespace) }
                }
            case "CustomResourceDefinition":
                FieldSpec("spec/conversion/webhook/clientConfig/service", create: false).visit(&resources[i].node) { service in
                    if service.isMapping { service["namespace"] = YAMLNode(string: namespace) }
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

    static func addAffixes(prefix: String, suffix: String, on resources: inout [KustomizeResource]) {
        guard !prefix.isEmpty || !suffix.isEmpty else { return }
        for i in resources.indices where !skipsAffixes(resources[i].gvk) {
            resources[i].rename(to: prefix + resources[i].name + suffix)
        }
    }

    static func addLabels(_ spec: Kustomization.LabelSpec, on resources: inout [KustomizeResource]) {
        var specs = [FieldSpec("metadata/labels", create: true)]
        if spec.includeSelectors { specs += BuiltinFieldSpecs.selectorLabels }
        if spec.includeTemplates { specs += BuiltinFieldSpecs.templateLabels }
        specs += spec.fields
        set(spec.pairs, using: specs, on: &resources)
    }

    static func addAnnotations(_ pairs: [(String, String)], on resources: inout [KustomizeResource]) {
        set(pairs, using: BuiltinFieldSpecs.annotations, on: &resources)
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
