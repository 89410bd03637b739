import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

@Suite("reconcile the Flux way", .serialized)
struct ReconcileTests {
    static let kustomization = FluxKind.kustomization.groupVersionKind

    func options(timeout: Double = 120, _ change: (inout ReconcileOptions) -> Void = { _ in }) -> ReconcileOptions {
        var options = ReconcileOptions()
        options.timeout = timeout
        change(&options)
        return options
    }

    @Test func successAnnotatesWaitsAndReportsTheAppliedRevision() async throws {
        let cluster = try WorkflowCluster()
        cluster.answerKustomization("apps")
        let result = try await cluster.reconciler.reconcile(.kustomization, name: "apps", namespace: "flux-system",
                                                            options: options())
        #expect(result.succeeded)
        #expect(result.revision == WorkflowCluster.revision)
        #expect(cluster.events.lines == [
            "► annotating Kustomization apps in flux-system namespace",
            "✔ Kustomization annotated",
            "◎ waiting for Kustomization reconciliation",
            "✔ applied revision \(WorkflowCluster.revision)",
        ])
        let object = try await cluster.object(Self.kustomization, "apps")
        let token = try #require(object.annotations["reconcile.fluxcd.io/requestedAt"])
        #expect(object.json.at("status.lastHandledReconcileAt")?.stringValue == token)
        // Go's RFC3339Nano: no trailing zeros in the fraction, Z or ±hh:mm.
        #expect(token.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?(Z|[+-]\d\d:\d\d)$"#,
                            options: .regularExpression) != nil)
        // One write of ours: a merge patch (kubectl's server-side apply set the object up).
        let patches = try cluster.server.requests().filter {
            $0["method"]?.stringValue == "PATCH" && $0["path"]?.stringValue?.hasSuffix("/kustomizations/apps") == true
                && $0["contentType"]?.stringValue?.hasPrefix("application/apply-patch") != true
        }
        #expect(patches.map { $0["contentType"]?.stringValue ?? "" } == ["application/merge-patch+json"])
    }

    @Test func readyFalseAfterTheRequestFailsPromptlyWithTheMessage() async throws {
        let cluster = try WorkflowCluster()
        cluster.answerKustomization("apps", ready: "False", message: "kustomize build failed: missing resource")
        await #expect(throws: ReconcileError.failed(object: "Kustomization/flux-system/apps",
                                                    message: "kustomize build failed: missing resource")) {
            // The deadline is far away: only the prompt failure can end this test quickly.
            try await cluster.reconciler.reconcile(.kustomization, name: "apps", namespace: "flux-system",
                                                   options: options(timeout: 600))
        }
    }

    @Test func waitForRetryWaitsThroughAFailedAttempt() async throws {
        let cluster = try WorkflowCluster()
        cluster.controller.handle(group: "kustomize.toolkit.fluxcd.io", resource: "kustomizations",
                                  namespace: "flux-system", name: "apps") { request in
            [FakeFluxController.kustomizationStatus(request, ready: "False", reason: "HealthCheckFailed",
                                                    message: "timeout waiting for Deployment/apps/podinfo",
                                                    revision: WorkflowCluster.revision),
             FakeFluxController.kustomizationStatus(request, revision: WorkflowCluster.revision)]
        }
        let result = try await cluster.reconciler.reconcile(.kustomization, name: "apps", namespace: "flux-system",
                                                            options: options { $0.waitForRetry = true })
        #expect(result.succeeded)
        #expect(result.message == "applied revision \(WorkflowCluster.revision)")
    }

    @Test func stalledFailsWithTheStalledMessage() async throws {
        let cluster = try WorkflowCluster()
        cluster.answerKustomization("apps", ready: "False", message: "spec.path does not exist", stalled: true)
        await #expect(throws: ReconcileError.stalled(object: "Kustomization/flux-system/apps",
                                                     message: "spec.path does not exist")) {
            try await cluster.reconciler.reconcile(.kustomization, name: "apps", namespace: "flux-system",
                                                   options: options(timeout: 600) { $0.waitForRetry = true })
        }
    }

    @Test func aRequestNeverHandledTimesOutWithTheLastMessage() async throws {
        let cluster = try WorkflowCluster()
        do {
            _ = try await cluster.reconciler.reconcile(.kustomization, name: "apps", namespace: "flux-system",
                                                       options: options(timeout: 3))
            Issue.record("expected a timeout")
        } catch let ReconcileError.timedOut(object, _, last) {
            #expect(object == "Kustomization/flux-system/apps")
            #expect(last == "waiting for the controller to handle the request")
        }
    }

    @Test func suspendedObjectIsRefusedAndNotAnnotated() async throws {
        let cluster = try WorkflowCluster()
        await #expect(throws: ReconcileError.suspended(object: "Kustomization/flux-system/tenants")) {
            try await cluster.reconciler.reconcile(.kustomization, name: "tenants", namespace: "flux-system",
                                                   options: options())
        }
        let object = try await cluster.object(Self.kustomization, "tenants")
        #expect(object.annotations["reconcile.fluxcd.io/requestedAt"] == nil)
        #expect(ReconcileError.suspended(object: "Kustomization/flux-system/apps").description
                == "Kustomization/flux-system/apps is suspended; resume it first")
    }

    @Test func missingObjectIsNamed() async throws {
        let cluster = try WorkflowCluster()
        await #expect(throws: ReconcileError.notFound(kind: "Kustomization", name: "nope", namespace: "flux-system")) {
            try await cluster.reconciler.reconcile(.kustomization, name: "nope", namespace: "flux-system",
                                                   options: options())
        }
    }

    @Test func withSourceReconcilesTheGitRepositoryFirst() async throws {
        let cluster = try WorkflowCluster()
        cluster.answer(group: "source.toolkit.fluxcd.io", resource: "gitrepositories", namespace: "flux-system",
                       name: "flux-system")
        cluster.answerKustomization("apps")
        let result = try await cluster.reconciler.reconcile(.kustomization, name: "apps", namespace: "flux-system",
                                                            options: options { $0.withSource = true })
        #expect(result.succeeded)
        #expect(cluster.controller.handled == [
            "source.toolkit.fluxcd.io/gitrepositories/flux-system/flux-system",
            "kustomize.toolkit.fluxcd.io/kustomizations/flux-system/apps",
        ])
        #expect(cluster.events.lines == [
            "► annotating GitRepository flux-system in flux-system namespace",
            "✔ GitRepository annotated",
            "◎ waiting for GitRepository reconciliation",
            "✔ fetched revision \(WorkflowCluster.revision)",
            "► annotating Kustomization apps in flux-system namespace",
            "✔ Kustomization annotated",
            "◎ waiting for Kustomization reconciliation",
            "✔ applied revision \(WorkflowCluster.revision)",
        ])
    }

    @Test func helmReleaseWithSourceForceAndResetWalksRepositoryThenChart() async throws {
        let cluster = try WorkflowCluster()
        cluster.answer(group: "source.toolkit.fluxcd.io", resource: "helmrepositories", namespace: "flux-system",
                       name: "podinfo", revision: "sha256:abcd")
        cluster.answer(group: "source.toolkit.fluxcd.io", resource: "helmcharts", namespace: "flux-system",
                       name: "apps-podinfo", revision: "6.3.5")
        cluster.answer(group: "helm.toolkit.fluxcd.io", resource: "helmreleases", namespace: "apps",
                       name: "podinfo", revision: "6.3.5")
        let result = try await cluster.reconciler.reconcile(.helmRelease, name: "podinfo", namespace: "apps",
                                                            options: options {
                                                                $0.withSource = true
                                                                $0.force = true
                                                                $0.reset = true
                                                            })
        #expect(result.message == "applied revision 6.3.5")
        #expect(cluster.controller.handled == [
            "source.toolkit.fluxcd.io/helmrepositories/flux-system/podinfo",
            "source.toolkit.fluxcd.io/helmcharts/flux-system/apps-podinfo",
            "helm.toolkit.fluxcd.io/helmreleases/apps/podinfo",
        ])
        let annotations = try #require(cluster.controller.request("helmreleases", "podinfo")).annotations
        let token = try #require(annotations["reconcile.fluxcd.io/requestedAt"])
        #expect(annotations["reconcile.fluxcd.io/forceAt"] == token)
        #expect(annotations["reconcile.fluxcd.io/resetAt"] == token)
    }

    @Test func allReconcilesEveryUnsuspendedObjectAndReportsEach() async throws {
        let cluster = try WorkflowCluster()
        cluster.answerKustomization("apps")
        cluster.answerKustomization("infrastructure", ready: "False", message: "dependency 'flux-system/crds' is not ready")
        let results = try await cluster.reconciler.reconcileAll(.kustomization, namespace: "flux-system",
                                                                options: options(timeout: 20))
        #expect(results.map(\.name) == ["apps", "infrastructure"])
        #expect(results.map(\.succeeded) == [true, false])
        #expect(results[1].message.contains("dependency 'flux-system/crds' is not ready"))
        #expect(cluster.events.lines.first == "⚠️ Kustomization/flux-system/tenants is suspended; skipped")
        #expect(cluster.events.lines.contains(
            "✗ Kustomization/flux-system/infrastructure reconciliation failed: dependency 'flux-system/crds' is not ready"))
    }

    @Test(arguments: [
        (1687446937, 969587000, -5 * 3600, "2023-06-22T10:15:37.969587-05:00"),
        (1687446937, 0, 0, "2023-06-22T15:15:37Z"),
        (1687446937, 100, 5 * 3600 + 30 * 60, "2023-06-22T20:45:37.0000001+05:30"),
    ])
    func requestedAtIsGoRFC3339Nano(seconds: Int, nanoseconds: Int, offset: Int, expected: String) {
        #expect(ReconcileRequestedAt.format(seconds: seconds, nanoseconds: nanoseconds, offsetSeconds: offset) == expected)
    }
}
