import Foundation
import TestSupport
@testable import GitOpsCore

/// A test API server with Flux's CRDs and a small fleet: a GitRepository, Kustomizations
/// (one suspended), a HelmRelease with its HelmChart and HelmRepository.
struct WorkflowCluster {
    static let sha = "696f056df216eea4f9401adbee0ff744d4df390f"
    static let revision = "main@sha1:\(sha)"

    static let manifests = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: flux-system}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: apps}
        ---
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: GitRepository
        metadata: {name: flux-system, namespace: flux-system}
        spec: {interval: 1m, url: "ssh://git@github.com/example/fleet", ref: {branch: main}}
        ---
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata: {name: apps, namespace: flux-system}
        spec: {interval: 10m, prune: true, path: ./apps, sourceRef: {kind: GitRepository, name: flux-system}}
        ---
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata: {name: infrastructure, namespace: flux-system}
        spec: {interval: 10m, prune: true, path: ./infrastructure, sourceRef: {kind: GitRepository, name: flux-system}}
        ---
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata: {name: tenants, namespace: flux-system}
        spec: {interval: 10m, prune: true, suspend: true, path: ./tenants, sourceRef: {kind: GitRepository, name: flux-system}}
        ---
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: HelmRepository
        metadata: {name: podinfo, namespace: flux-system}
        spec: {interval: 1h, url: "https://stefanprodan.github.io/podinfo"}
        ---
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: HelmChart
        metadata: {name: apps-podinfo, namespace: flux-system}
        spec: {interval: 1h, chart: podinfo, sourceRef: {kind: HelmRepository, name: podinfo}}
        ---
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata: {name: podinfo, namespace: apps}
        spec: {interval: 10m, chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: podinfo, namespace: flux-system}}}}
        """

    let server: KubeAPIServer
    let controller: FakeFluxController
    let client: KubeClient
    let events = EventLog()

    init() throws {
        server = try KubeAPIServer(preloadCRDs: true)
        try server.kubectlApply(Self.manifests)
        controller = FakeFluxController(server: server)
        client = try server.client()
    }

    var reconciler: Reconciler {
        let events = self.events
        return Reconciler(client: client, events: { events.append($0) })
    }

    /// The controller answers one request for a Kustomization with `status`.
    func answerKustomization(_ name: String, ready: String = "True", message: String? = nil, stalled: Bool = false) {
        controller.handle(group: "kustomize.toolkit.fluxcd.io", resource: "kustomizations", namespace: "flux-system",
                          name: name) { request in
            [FakeFluxController.kustomizationStatus(request, ready: ready, reason: ready == "True" ? "ReconciliationSucceeded" : "BuildFailed",
                                                    message: message, revision: Self.revision, stalled: stalled)]
        }
    }

    func answer(group: String, resource: String, namespace: String, name: String, revision: String = revision,
                trigger: FakeFluxController.Trigger = .reconcileRequest) {
        controller.handle(group: group, resource: resource, namespace: namespace, name: name, trigger: trigger) { request in
            [FakeFluxController.kustomizationStatus(request, revision: revision, helmHistory: resource == "helmreleases")]
        }
    }

    func object(_ kind: GroupVersionKind, _ name: String, _ namespace: String = "flux-system") async throws -> KubeObject {
        try await client.get(kind, name: name, namespace: namespace)
    }
}

/// The events a workflow reported, in order.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [WorkflowEvent] = []

    func append(_ event: WorkflowEvent) { lock.withLock { items.append(event) } }

    /// Every event but progress updates, as flux-style lines.
    var lines: [String] {
        lock.withLock { items }.compactMap { event in
            switch event {
            case let .action(m): return "► \(m)"
            case let .success(m): return "✔ \(m)"
            case let .waiting(m): return "◎ \(m)"
            case let .failure(m): return "✗ \(m)"
            case let .warning(m): return "⚠️ \(m)"
            case .progress: return nil
            }
        }
    }
}
