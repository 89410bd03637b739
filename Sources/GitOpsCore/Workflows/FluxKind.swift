/// The Flux kinds the cluster workflows act on, with the nouns flux prints for them.
public enum FluxKind: String, Sendable, CaseIterable {
    case kustomization, helmRelease, gitRepository, ociRepository, helmRepository, helmChart

    public var groupVersionKind: GroupVersionKind {
        switch self {
        case .kustomization: return .kustomization
        case .helmRelease: return .helmRelease
        case .gitRepository: return .gitRepository
        case .ociRepository: return GroupVersionKind(group: "source.toolkit.fluxcd.io", version: "v1", kind: "OCIRepository")
        case .helmRepository: return GroupVersionKind(group: "source.toolkit.fluxcd.io", version: "v1", kind: "HelmRepository")
        case .helmChart: return GroupVersionKind(group: "source.toolkit.fluxcd.io", version: "v1", kind: "HelmChart")
        }
    }

    /// The Kubernetes kind (`Kustomization`).
    public var kind: String { groupVersionKind.kind }

    /// The CLI noun flux uses in suspend/resume lines (`kustomization`, `source git`).
    public var humanKind: String {
        switch self {
        case .kustomization: return "kustomization"
        case .helmRelease: return "helmrelease"
        case .gitRepository: return "source git"
        case .ociRepository: return "source oci"
        case .helmRepository: return "source helm"
        case .helmChart: return "source chart"
        }
    }

    /// The kind a `sourceRef`/`chartRef` names, if it is one we can reconcile.
    init?(sourceKind: String) {
        switch sourceKind {
        case "GitRepository": self = .gitRepository
        case "OCIRepository": self = .ociRepository
        case "HelmRepository": self = .helmRepository
        case "HelmChart": self = .helmChart
        default: return nil
        }
    }

    /// The per-kind behaviour: how its result reads and which sources it depends on.
    var behaviour: any ReconcilableKind {
        switch self {
        case .kustomization: return KustomizationBehaviour()
        case .helmRelease: return HelmReleaseBehaviour()
        case .helmChart: return HelmChartBehaviour()
        case .gitRepository, .ociRepository: return ArtifactSourceBehaviour()
        case .helmRepository: return HelmRepositoryBehaviour()
        }
    }
}

/// A source to reconcile before an object: which kind, where, and whether it has a source of its
/// own to reconcile first (a HelmChart's HelmRepository).
struct SourceReference: Sendable, Equatable {
    var kind: FluxKind
    var name: String
    var namespace: String
}

/// What differs between Flux kinds when reconciling them (flux2's `reconcilable` interface).
protocol ReconcilableKind: Sendable {
    /// The revision the controller reports having applied or fetched (flux2 `successMessage`).
    func revision(_ object: KubeObject) -> String
    /// The `✔` line after a successful reconciliation.
    func successMessage(_ object: KubeObject) -> String
    /// The sources `--with-source` reconciles first, nearest last (a HelmRelease's HelmChart
    /// comes after the chart's HelmRepository); throws for a source kind that has no reconciler.
    func sources(of object: KubeObject) throws(ReconcileError) -> [SourceReference]
    /// False when the controller has nothing to reconcile (a HelmRepository of type oci).
    func isReconcilable(_ object: KubeObject) -> Bool
}

extension ReconcilableKind {
    func successMessage(_ object: KubeObject) -> String { "fetched revision \(revision(object))" }
    func sources(of object: KubeObject) throws(ReconcileError) -> [SourceReference] { [] }
    func isReconcilable(_ object: KubeObject) -> Bool { true }
}

/// Whether an object is suspended, and the patches that change it (flux2's `suspendable`).
enum Suspension {
    static func isSuspended(_ object: KubeObject) -> Bool { object.json.at("spec.suspend")?.boolValue ?? false }

    /// flux patches the typed object with `suspend: true`; resume removes the field, since it is
    /// `omitempty` in the API types.
    static func patch(suspend: Bool) -> KubePatch {
        .merge(.object([("spec", .object([("suspend", suspend ? .bool(true) : .null)]))]))
    }
}

struct KustomizationBehaviour: ReconcilableKind {
    func revision(_ object: KubeObject) -> String { object.json.at("status.lastAppliedRevision")?.stringValue ?? "" }
    func successMessage(_ object: KubeObject) -> String { "applied revision \(revision(object))" }

    func sources(of object: KubeObject) throws(ReconcileError) -> [SourceReference] {
        let kind = object.json.at("spec.sourceRef.kind")?.stringValue ?? ""
        // flux2 reconcile_kustomization.go: only these source kinds have a reconciler to ask.
        guard let source = FluxKind(sourceKind: kind), source == .gitRepository || source == .ociRepository else {
            throw .unsupportedSource(kind: kind, object: object.reference)
        }
        let name = object.json.at("spec.sourceRef.name")?.stringValue ?? ""
        let namespace = object.json.at("spec.sourceRef.namespace")?.stringValue ?? object.namespace ?? ""
        return [SourceReference(kind: source, name: name, namespace: namespace)]
    }
}

struct HelmReleaseBehaviour: ReconcilableKind {
    func revision(_ object: KubeObject) -> String {
        object.json.at("status.history")?.arrayValue?.first?["chartVersion"]?.stringValue
            ?? object.json.at("status.lastAttemptedRevision")?.stringValue ?? ""
    }
    func successMessage(_ object: KubeObject) -> String { "applied revision \(revision(object))" }

    func sources(of object: KubeObject) throws(ReconcileError) -> [SourceReference] {
        let namespace = object.namespace ?? ""
        if let chartRef = object.json.at("spec.chartRef") {
            let kind = chartRef["kind"]?.stringValue ?? ""
            let name = chartRef["name"]?.stringValue ?? ""
            let refNamespace = chartRef["namespace"]?.stringValue ?? namespace
            switch kind {
            case "OCIRepository": return [SourceReference(kind: .ociRepository, name: name, namespace: refNamespace)]
            case "HelmChart": return [SourceReference(kind: .helmChart, name: name, namespace: refNamespace)]
            default: throw .unsupportedSource(kind: kind, object: object.reference)
            }
        }
        // helm-controller names the HelmChart it creates for a chart template `<hr-ns>-<hr-name>`,
        // in the namespace of the chart's source.
        let chartNamespace = object.json.at("spec.chart.spec.sourceRef.namespace")?.stringValue ?? namespace
        return [SourceReference(kind: .helmChart, name: "\(namespace)-\(object.name)", namespace: chartNamespace)]
    }
}

struct HelmChartBehaviour: ReconcilableKind {
    func revision(_ object: KubeObject) -> String { object.json.at("status.artifact.revision")?.stringValue ?? "" }

    func sources(of object: KubeObject) throws(ReconcileError) -> [SourceReference] {
        let kind = object.json.at("spec.sourceRef.kind")?.stringValue ?? ""
        guard let source = FluxKind(sourceKind: kind), source != .helmChart, source != .ociRepository else {
            throw .unsupportedSource(kind: kind, object: object.reference)
        }
        let name = object.json.at("spec.sourceRef.name")?.stringValue ?? ""
        return [SourceReference(kind: source, name: name, namespace: object.namespace ?? "")]
    }
}

struct ArtifactSourceBehaviour: ReconcilableKind {
    func revision(_ object: KubeObject) -> String { object.json.at("status.artifact.revision")?.stringValue ?? "" }
}

struct HelmRepositoryBehaviour: ReconcilableKind {
    func revision(_ object: KubeObject) -> String { object.json.at("status.artifact.revision")?.stringValue ?? "" }

    func successMessage(_ object: KubeObject) -> String {
        if !isReconcilable(object) { return object.condition("Ready")?.message ?? "" }
        return "fetched revision \(revision(object))"
    }

    /// source-controller has no reconciler for OCI Helm repositories; flux2 says so and succeeds.
    func isReconcilable(_ object: KubeObject) -> Bool { object.json.at("spec.type")?.stringValue != "oci" }
}

extension FluxKind {
    /// flux rejects a `-n` that is not a DNS-1123 label before asking the cluster anything.
    public static func validatedNamespace(_ namespace: String) throws(ReconcileError) -> String {
        guard FluxStatusListing.isDNSLabel(namespace) else { throw .cluster(.invalidNamespace(namespace)) }
        return namespace
    }
}
