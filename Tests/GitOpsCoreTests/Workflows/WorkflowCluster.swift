import Foundation
import TestSupport
@testable import GitOpsCore

/// A test API server with Flux's CRDs and a small fleet: a GitRepository, Kustomizations
/// (one suspended), a HelmRelease with its HelmChart and HelmRepository.
struct WorkflowCluster {
    static let sha = "696f056df216eea4f9401adbee0ff744d4df390f"
    static let revision = "main@sha1:\(sha)"

    /// Tests/Fixtures/workflows/fleet.yaml, shared with the black-box tests.
    static var manifests: String {
        get throws { try String(contentsOf: TestPaths.repoRoot.appendingPathComponent("Tests/Fixtures/workflows/fleet.yaml"), encoding: .utf8) }
    }

    let server: KubeAPIServer
    let controller: FakeFluxController
    let client: KubeClient
    let events = WorkflowEventLog()

    init() throws {
        server = try KubeAPIServer(preloadCRDs: true)
        try server.kubectlApply(try Self.manifests)
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
final class WorkflowEventLog: @unchecked Sendable {
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
