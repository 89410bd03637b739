/// kustomize's built-in name-reference table (api/internal/konfig/builtinpluginconsts,
/// v5.5): which fields of which referrer kinds hold the name of which referenced kinds.
/// Its quirks are kept on purpose, since the output must equal kustomize's: ephemeral
/// containers and CSI secret refs are not listed, ReplicaSets and PodTemplates only refer to
/// ConfigMaps and Secrets, ReplicationControllers not to them, and IngressClass is listed
/// under the group `networking.k8s.io/v1`, so `ingressClassName` is never rewritten.
enum NameReferenceTable {
    /// A kind (and optionally group and version) as kustomize's `Gvk.IsSelected` compares
    /// them: an empty field matches anything.
    struct Selector: Sendable, Hashable {
        var group = ""
        var version = ""
        var kind = ""

        func selects(_ gvk: GroupVersionKind) -> Bool {
            (group.isEmpty || group == gvk.group) && (version.isEmpty || version == gvk.version)
                && (kind.isEmpty || kind == gvk.kind)
        }
    }

    static let configMap = Selector(version: "v1", kind: "ConfigMap")
    static let secret = Selector(version: "v1", kind: "Secret")
    static let service = Selector(version: "v1", kind: "Service")
    static let serviceAccount = Selector(version: "v1", kind: "ServiceAccount")
    static let pvc = Selector(version: "v1", kind: "PersistentVolumeClaim")
    static let rbac = "rbac.authorization.k8s.io"
    static let admission = "admissionregistration.k8s.io"

    /// Where pod specs live, per referrer kind.
    private static let podSpecs: [(Selector, String)] = [
        (Selector(version: "v1", kind: "Pod"), "spec"),
        (Selector(kind: "PodTemplate"), "template/spec"),
        (Selector(kind: "Deployment"), "spec/template/spec"),
        (Selector(kind: "ReplicaSet"), "spec/template/spec"),
        (Selector(kind: "DaemonSet"), "spec/template/spec"),
        (Selector(kind: "StatefulSet"), "spec/template/spec"),
        (Selector(kind: "Job"), "spec/template/spec"),
        (Selector(kind: "CronJob"), "spec/jobTemplate/spec/template/spec"),
    ]

    /// Kinds whose pod spec refers to ServiceAccounts, PVCs and PriorityClasses.
    private static let workloads: [(String, String)] = [
        ("Pod", "spec"), ("StatefulSet", "spec/template/spec"), ("Deployment", "spec/template/spec"),
        ("ReplicationController", "spec/template/spec"), ("CronJob", "spec/jobTemplate/spec/template/spec"),
        ("Job", "spec/template/spec"), ("DaemonSet", "spec/template/spec"),
    ]

    static let rules: [NameReferences.Rule] = {
        var rules: [NameReferences.Rule] = []
        func add(_ referenced: Selector, _ referrer: Selector, _ path: String) {
            rules.append(NameReferences.Rule(referenced: referenced, referrer: referrer, path: path))
        }
        for kind in ["Deployment", "ReplicationController", "ReplicaSet", "StatefulSet"] {
            add(Selector(kind: kind), Selector(kind: "HorizontalPodAutoscaler"), "spec/scaleTargetRef/name")
        }
        for (referrer, spec) in podSpecs {
            for containers in ["containers", "initContainers"] {
                add(configMap, referrer, "\(spec)/\(containers)/env/valueFrom/configMapKeyRef/name")
                add(configMap, referrer, "\(spec)/\(containers)/envFrom/configMapRef/name")
                add(secret, referrer, "\(spec)/\(containers)/env/valueFrom/secretKeyRef/name")
                add(secret, referrer, "\(spec)/\(containers)/envFrom/secretRef/name")
            }
            add(configMap, referrer, "\(spec)/volumes/configMap/name")
            add(configMap, referrer, "\(spec)/volumes/projected/sources/configMap/name")
            add(secret, referrer, "\(spec)/volumes/secret/secretName")
            add(secret, referrer, "\(spec)/volumes/projected/sources/secret/name")
            add(secret, referrer, "\(spec)/imagePullSecrets/name")
        }
        add(configMap, Selector(kind: "Node"), "spec/configSource/configMap")
        for kind in ["Role", "ClusterRole"] {
            add(configMap, Selector(kind: kind), "rules/resourceNames")
            add(secret, Selector(kind: kind), "rules/resourceNames")
        }
        let ingress = Selector(kind: "Ingress")
        add(configMap, ingress, #"metadata/annotations/nginx.ingress.kubernetes.io\/fastcgi-params-configmap"#)
        add(secret, ingress, "spec/tls/secretName")
        add(secret, ingress, #"metadata/annotations/ingress.kubernetes.io\/auth-secret"#)
        add(secret, ingress, #"metadata/annotations/nginx.ingress.kubernetes.io\/auth-secret"#)
        add(secret, ingress, #"metadata/annotations/nginx.ingress.kubernetes.io\/auth-tls-secret"#)
        add(secret, Selector(kind: "ServiceAccount"), "imagePullSecrets/name")
        for parameter in ["secretName", "adminSecretName", "userSecretName", "secretRef"] {
            add(secret, Selector(kind: "StorageClass"), "parameters/\(parameter)")
        }
        add(secret, Selector(group: "serving.knative.dev", version: "v1", kind: "Service"),
            "spec/template/spec/containers/env/valueFrom/secretKeyRef/name")
        add(secret, Selector(kind: "PersistentVolume"), "spec/azureFile/secretName")
        add(service, Selector(group: "apps", kind: "StatefulSet"), "spec/serviceName")
        add(service, ingress, "spec/rules/http/paths/backend/serviceName")
        add(service, ingress, "spec/backend/serviceName")
        add(service, ingress, "spec/rules/http/paths/backend/service/name")
        add(service, ingress, "spec/defaultBackend/service/name")
        add(service, Selector(group: "apiregistration.k8s.io", kind: "APIService"), "spec/service/name")
        add(service, Selector(group: admission, kind: "ValidatingWebhookConfiguration"), "webhooks/clientConfig/service")
        add(service, Selector(group: admission, kind: "MutatingWebhookConfiguration"), "webhooks/clientConfig/service")
        add(Selector(group: rbac, kind: "Role"), Selector(group: rbac, kind: "RoleBinding"), "roleRef/name")
        add(Selector(group: rbac, kind: "ClusterRole"), Selector(group: rbac, kind: "RoleBinding"), "roleRef/name")
        add(Selector(group: rbac, kind: "ClusterRole"), Selector(group: rbac, kind: "ClusterRoleBinding"), "roleRef/name")
        add(serviceAccount, Selector(group: rbac, kind: "RoleBinding"), "subjects")
        add(serviceAccount, Selector(group: rbac, kind: "ClusterRoleBinding"), "subjects")
        for (kind, spec) in workloads {
            add(serviceAccount, Selector(kind: kind), "\(spec)/serviceAccountName")
            add(pvc, Selector(kind: kind), "\(spec)/volumes/persistentVolumeClaim/claimName")
            add(Selector(group: "scheduling.k8s.io", version: "v1", kind: "PriorityClass"), Selector(kind: kind),
                "\(spec)/priorityClassName")
        }
        let pv = Selector(version: "v1", kind: "PersistentVolume")
        add(pv, Selector(kind: "PersistentVolumeClaim"), "spec/volumeName")
        add(pv, Selector(kind: "ClusterRole"), "rules/resourceNames")
        let storageClass = Selector(group: "storage.k8s.io", version: "v1", kind: "StorageClass")
        add(storageClass, Selector(kind: "PersistentVolume"), "spec/storageClassName")
        add(storageClass, Selector(kind: "PersistentVolumeClaim"), "spec/storageClassName")
        add(storageClass, Selector(kind: "StatefulSet"), "spec/volumeClaimTemplates/spec/storageClassName")
        add(Selector(group: "networking.k8s.io/v1", version: "v1", kind: "IngressClass"), ingress, "spec/ingressClassName")
        add(Selector(group: admission, kind: "ValidatingAdmissionPolicy"),
            Selector(group: admission, kind: "ValidatingAdmissionPolicyBinding"), "spec/policyName")
        return rules
    }()
}
