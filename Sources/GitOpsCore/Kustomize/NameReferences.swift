/// After names changed (prefix, suffix, hash), rewrites the fields that refer to objects by
/// name, following kustomize's built-in nameReference table for built-in kinds. A reference
/// is rewritten only when an object of the referenced kind with that original name lives in
/// the same namespace as the referrer.
enum NameReferences {
    /// Where a kind is referred to: referrer kinds (nil: any) and the path of the name field.
    struct Rule {
        var referencedKind: String
        var referrerKinds: Set<String>?
        var field: FieldSpec

        init(referencedKind: String, referrerKinds: Set<String>?, path: String) {
            self.referencedKind = referencedKind
            self.referrerKinds = referrerKinds
            field = FieldSpec(path, create: false)
        }
    }

    static let podSpecPrefixes: [(kinds: Set<String>, prefix: String)] = [
        (["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "ReplicationController"], "spec/template/spec"),
        (["CronJob"], "spec/jobTemplate/spec/template/spec"),
        (["Pod"], "spec"),
        (["PodTemplate"], "template/spec"),
    ]

    static let podSpecReferences: [(kind: String, path: String)] = {
        var refs: [(String, String)] = []
        for containers in ["containers[]", "initContainers[]", "ephemeralContainers[]"] {
            refs.append(("ConfigMap", "\(containers)/env[]/valueFrom/configMapKeyRef/name"))
            refs.append(("ConfigMap", "\(containers)/envFrom[]/configMapRef/name"))
            refs.append(("Secret", "\(containers)/env[]/valueFrom/secretKeyRef/name"))
            refs.append(("Secret", "\(containers)/envFrom[]/secretRef/name"))
        }
        refs += [
            ("ConfigMap", "volumes[]/configMap/name"),
            ("ConfigMap", "volumes[]/projected/sources[]/configMap/name"),
            ("Secret", "volumes[]/secret/secretName"),
            ("Secret", "volumes[]/projected/sources[]/secret/name"),
            ("Secret", "imagePullSecrets[]/name"),
            ("Secret", "volumes[]/csi/nodePublishSecretRef/name"),
            ("PersistentVolumeClaim", "volumes[]/persistentVolumeClaim/claimName"),
            ("ServiceAccount", "serviceAccountName"),
            ("ServiceAccount", "serviceAccount"),
            ("PriorityClass", "priorityClassName"),
        ]
        return refs
    }()

    static let rules: [Rule] = {
        var rules: [Rule] = []
        for (kinds, prefix) in podSpecPrefixes {
            for (kind, path) in podSpecReferences {
                rules.append(Rule(referencedKind: kind, referrerKinds: kinds, path: "\(prefix)/\(path)"))
            }
        }
        rules += [
            Rule(referencedKind: "Secret", referrerKinds: ["ServiceAccount"], path: "imagePullSecrets[]/name"),
            Rule(referencedKind: "Secret", referrerKinds: ["ServiceAccount"], path: "secrets[]/name"),
            Rule(referencedKind: "Secret", referrerKinds: ["Ingress"], path: "spec/tls[]/secretName"),
            Rule(referencedKind: "Service", referrerKinds: ["Ingress"], path: "spec/rules[]/http/paths[]/backend/service/name"),
            Rule(referencedKind: "Service", referrerKinds: ["Ingress"], path: "spec/defaultBackend/service/name"),
            Rule(referencedKind: "Service", referrerKinds: ["Ingress"], path: "spec/rules[]/http/paths[]/backend/serviceName"),
            Rule(referencedKind: "Service", referrerKinds: ["StatefulSet"], path: "spec/serviceName"),
            Rule(referencedKind: "Service", referrerKinds: ["APIService"], path: "spec/service/name"),
            Rule(referencedKind: "IngressClass", referrerKinds: ["Ingress"], path: "spec/ingressClassName"),
            Rule(referencedKind: "StorageClass", referrerKinds: ["PersistentVolumeClaim", "PersistentVolume"], path: "spec/storageClassName"),
            Rule(referencedKind: "StorageClass", referrerKinds: ["StatefulSet"], path: "spec/volumeClaimTemplates[]/spec/storageClassName"),
            Rule(referencedKind: "PersistentVolume", referrerKinds: ["PersistentVolumeClaim"], path: "spec/volumeName"),
            Rule(referencedKind: "Service", referrerKinds: ["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"], path: "webhooks[]/clientConfig/service/name"),
        ]
        return rules
    }()

    static func fix(_ resources: inout [KustomizeResource], extraRules: [Rule] = []) {
        let renamed = resources.filter { !$0.previousIDs.isEmpty }
        guard !renamed.isEmpty else { return }
        var byKind: [String: Candidates] = [:]
        for r in renamed { byKind[r.kind, default: Candidates()].add(r) }
        let rulesByReferrer = Dictionary(grouping: (rules + extraRules).filter { byKind[$0.referencedKind] != nil }) { $0.referrerKinds }
        for i in resources.indices {
            let kind = resources[i].kind
            // Most objects refer to nothing: their id is only worked out when a field exists.
            var referrerNamespace: String?
            for (referrers, kindRules) in rulesByReferrer where referrers?.contains(kind) ?? true {
                for rule in kindRules {
                    let candidates = byKind[rule.referencedKind] ?? Candidates()
                    guard rule.field.exists(in: resources[i].node) else { continue }
                    let namespace = referrerNamespace ?? resources[i].id.effectiveNamespace
                    referrerNamespace = namespace
                    rule.field.visit(&resources[i].node) { field in
                        guard let old = field.scalar,
                              let target = match(old, namespace: namespace, in: candidates) else { return }
                        field = YAMLNode(string: target.name)
                    }
                }
            }
            fixSpecialReferences(&resources[i], byKind: byKind)
        }
    }

    /// References whose target kind sits next to the name: `roleRef`, binding `subjects`,
    /// `scaleTargetRef`.
    private static func fixSpecialReferences(_ resource: inout KustomizeResource, byKind: [String: Candidates]) {
        let kind = resource.kind
        guard ["RoleBinding", "ClusterRoleBinding", "HorizontalPodAutoscaler"].contains(kind) else { return }
        let namespace = resource.id.effectiveNamespace
        switch kind {
        case "RoleBinding", "ClusterRoleBinding":
            if var roleRef = resource.node["roleRef"], let kind = roleRef["kind"]?.scalar, let old = roleRef["name"]?.scalar,
               let target = match(old, namespace: kind == "ClusterRole" ? nil : namespace, in: byKind[kind] ?? Candidates()) {
                roleRef["name"] = YAMLNode(string: target.name)
                resource.node["roleRef"] = roleRef
            }
            var subjects = resource.node["subjects"]?.items ?? []
            var changed = false
            for s in subjects.indices where subjects[s]["kind"]?.scalar == "ServiceAccount" {
                guard let old = subjects[s]["name"]?.scalar else { continue }
                let subjectNamespace = subjects[s]["namespace"]?.scalar ?? namespace
                if let target = match(old, namespace: subjectNamespace, in: byKind["ServiceAccount"] ?? Candidates()) {
                    subjects[s]["name"] = YAMLNode(string: target.name)
                    changed = true
                }
            }
            if changed { resource.node["subjects"] = YAMLNode(sequence: subjects) }
        case "HorizontalPodAutoscaler":
            if var ref = resource.node["spec"]?["scaleTargetRef"], let kind = ref["kind"]?.scalar,
               let old = ref["name"]?.scalar, let target = match(old, namespace: namespace, in: byKind[kind] ?? Candidates()) {
                ref["name"] = YAMLNode(string: target.name)
                var spec = resource.node["spec"] ?? YAMLNode(mapping: [])
                spec["scaleTargetRef"] = ref
                resource.node["spec"] = spec
            }
        default:
            break
        }
    }

    /// Renamed objects of one kind, found by any name they had, with their namespace
    /// computed once.
    struct Candidates {
        struct Entry {
            var namespace: String
            var clusterScoped: Bool
            var resource: KustomizeResource
        }

        private var byName: [String: [Entry]] = [:]

        mutating func add(_ resource: KustomizeResource) {
            var names = Set(resource.previousIDs.map(\.name))
            names.insert(resource.originalID.name)
            let id = resource.id
            let entry = Entry(namespace: id.effectiveNamespace, clusterScoped: id.gvk.isClusterScoped, resource: resource)
            for name in names { byName[name, default: []].append(entry) }
        }

        func named(_ name: String) -> [Entry] { byName[name] ?? [] }
    }

    /// The renamed object `name` referred to: original name matches and, for namespaced
    /// kinds, the namespace is the referrer's.
    private static func match(_ name: String, namespace: String?, in candidates: Candidates) -> KustomizeResource? {
        let wanted = namespace.map { $0.isEmpty ? "default" : $0 }
        return candidates.named(name).first { c in
            guard let wanted, !c.clusterScoped else { return true }
            return c.namespace == wanted
        }?.resource
    }
}
