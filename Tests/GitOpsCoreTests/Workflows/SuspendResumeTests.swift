import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

@Suite("suspend and resume", .serialized)
struct SuspendResumeTests {
    static let kustomization = FluxKind.kustomization.groupVersionKind

    @Test func suspendSetsSpecSuspendAndReportsMissingNamesAsFailures() async throws {
        let cluster = try WorkflowCluster()
        let events = cluster.events
        let suspender = Suspender(client: cluster.client, events: { events.append($0) })
        let results = try await suspender.suspend(.kustomization, .named(["apps", "nope", "apps"], namespace: "flux-system"))
        #expect(results.map(\.name) == ["apps", "nope"])
        #expect(results.map(\.succeeded) == [true, false])
        #expect(events.lines == [
            "► suspending kustomization apps in flux-system namespace",
            "✔ kustomization suspended",
            "✗ Kustomization nope not found in flux-system namespace",
        ])
        let object = try await cluster.object(Self.kustomization, "apps")
        #expect(object.json.at("spec.suspend") == .bool(true))
    }

    @Test func suspendAllListsTheNamespace() async throws {
        let cluster = try WorkflowCluster()
        let results = try await Suspender(client: cluster.client).suspend(.kustomization, .all(namespace: "flux-system"))
        #expect(results.map(\.name).sorted() == ["apps", "infrastructure", "tenants"])
        for name in ["apps", "infrastructure"] {
            #expect(try await cluster.object(Self.kustomization, name).json.at("spec.suspend") == .bool(true))
        }
        await #expect(throws: ReconcileError.noObjects(kind: "Kustomization", scope: "apps namespace")) {
            try await Suspender(client: cluster.client).suspend(.kustomization, .all(namespace: "apps"))
        }
    }

    @Test func resumeRemovesSuspendAndWaitsForTheNewGeneration() async throws {
        let cluster = try WorkflowCluster()
        cluster.answer(group: "kustomize.toolkit.fluxcd.io", resource: "kustomizations", namespace: "flux-system",
                       name: "tenants", trigger: .newGeneration)
        let events = cluster.events
        let results = try await Resumer(client: cluster.client, events: { events.append($0) })
            .resume(.kustomization, .named(["tenants"], namespace: "flux-system"), wait: true, timeout: 30)
        #expect(results.map(\.succeeded) == [true])
        #expect(events.lines == [
            "► resuming kustomization tenants in flux-system namespace",
            "✔ kustomization resumed",
            "◎ waiting for Kustomization reconciliation",
            "✔ Kustomization tenants reconciliation completed",
            "✔ applied revision \(WorkflowCluster.revision)",
        ])
        let object = try await cluster.object(Self.kustomization, "tenants")
        #expect(object.json.at("spec.suspend") == nil)
        // resume does not annotate; the generation bump is the request.
        #expect(object.annotations["reconcile.fluxcd.io/requestedAt"] == nil)
        #expect(cluster.controller.request("kustomizations", "tenants")?.generation == object.generation)
    }

    @Test func resumeWithoutWaitOnlyPatches() async throws {
        let cluster = try WorkflowCluster()
        let results = try await Resumer(client: cluster.client)
            .resume(.kustomization, .named(["tenants", "missing"], namespace: "flux-system"), wait: false, timeout: 30)
        #expect(results.map(\.succeeded) == [true, false])
        #expect(try await cluster.object(Self.kustomization, "tenants").json.at("spec.suspend") == nil)
    }

    @Test func resumeReportsAFailedReconciliation() async throws {
        let cluster = try WorkflowCluster()
        cluster.controller.handle(group: "kustomize.toolkit.fluxcd.io", resource: "kustomizations",
                                  namespace: "flux-system", name: "tenants", trigger: .newGeneration) { request in
            [FakeFluxController.kustomizationStatus(request, ready: "False", reason: "BuildFailed",
                                                    message: "accumulating resources: missing tenants/acme",
                                                    revision: WorkflowCluster.revision)]
        }
        let results = try await Resumer(client: cluster.client)
            .resume(.kustomization, .named(["tenants"], namespace: "flux-system"), wait: true, timeout: 60)
        #expect(results.map(\.succeeded) == [false])
        #expect(results.first?.message
                == "Kustomization/flux-system/tenants reconciliation failed: accumulating resources: missing tenants/acme")
    }
}
