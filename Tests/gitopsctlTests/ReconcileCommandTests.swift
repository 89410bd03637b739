import Foundation
import Testing
import TestSupport

/// `gitopsctl reconcile|suspend|resume` through the built binary against the test API server,
/// with a fake controller answering the way kustomize-controller does.
@Suite("reconcile, suspend, resume commands", .serialized)
struct ReconcileCommandTests {
    static let revision = "main@sha1:696f056df216eea4f9401adbee0ff744d4df390f"

    func cluster() throws -> (KubeAPIServer, FakeFluxController) {
        let server = try KubeAPIServer(preloadCRDs: true)
        try server.kubectlApply(try String(contentsOf: TestPaths.repoRoot.appendingPathComponent("Tests/Fixtures/workflows/fleet.yaml"), encoding: .utf8))
        return (server, FakeFluxController(server: server))
    }

    func answer(_ controller: FakeFluxController, _ resource: String, _ name: String, group: String = "kustomize.toolkit.fluxcd.io",
                trigger: FakeFluxController.Trigger = .reconcileRequest) {
        controller.handle(group: group, resource: resource, namespace: "flux-system", name: name, trigger: trigger) { request in
            [FakeFluxController.kustomizationStatus(request, revision: Self.revision)]
        }
    }

    @Test func reconcileWithSourcePrintsFluxLinesAndExitsZero() throws {
        let (server, controller) = try cluster()
        answer(controller, "gitrepositories", "flux-system", group: "source.toolkit.fluxcd.io")
        answer(controller, "kustomizations", "apps")
        let result = try ProcessRunner.gitopsctl(["reconcile", "ks", "apps", "--with-source", "--kubeconfig", server.kubeconfig])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText == "")
        #expect(result.stderrText == """
            ► annotating GitRepository flux-system in flux-system namespace
            ✔ GitRepository annotated
            ◎ waiting for GitRepository reconciliation
            ✔ fetched revision \(Self.revision)
            ► annotating Kustomization apps in flux-system namespace
            ✔ Kustomization annotated
            ◎ waiting for Kustomization reconciliation
            ✔ applied revision \(Self.revision)

            """)
    }

    @Test func reconcileJSONResultOnStdout() throws {
        let (server, controller) = try cluster()
        answer(controller, "kustomizations", "apps")
        let result = try ProcessRunner.gitopsctl(["reconcile", "ks", "apps", "-o", "json", "--kubeconfig", server.kubeconfig])
        #expect(result.status == 0, "\(result.stderrText)")
        let parsed = try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]]
        let entry = try #require(parsed?.first)
        #expect(entry["name"] as? String == "apps")
        #expect(entry["ready"] as? Bool == true)
        #expect(entry["revision"] as? String == Self.revision)
    }

    @Test func reconcileSuspendedFailsWithHint() throws {
        let (server, _) = try cluster()
        let result = try ProcessRunner.gitopsctl(["reconcile", "ks", "tenants", "--kubeconfig", server.kubeconfig])
        #expect(result.status == 1)
        #expect(result.stderrText.hasPrefix("✗ Kustomization/flux-system/tenants is suspended; resume it first\n"))
    }

    @Test func reconcileTimeoutExitsOneWithTheLastMessage() throws {
        let (server, _) = try cluster()
        let result = try ProcessRunner.gitopsctl(["reconcile", "ks", "apps", "--timeout", "2s", "--kubeconfig", server.kubeconfig])
        #expect(result.status == 1)
        #expect(result.stderrText.contains("✗ timed out after 2s waiting for Kustomization/flux-system/apps"), "\(result.stderrText)")
    }

    @Test func suspendThenResumeRoundTrip() throws {
        let (server, controller) = try cluster()
        let suspend = try ProcessRunner.gitopsctl(["suspend", "ks", "apps", "missing", "--kubeconfig", server.kubeconfig])
        #expect(suspend.status == 1)
        #expect(suspend.stderrText.contains("► suspending kustomization apps in flux-system namespace\n✔ kustomization suspended\n"))
        #expect(suspend.stderrText.contains("✗ Kustomization missing not found in flux-system namespace\n"))
        answer(controller, "kustomizations", "apps", trigger: .newGeneration)
        let resume = try ProcessRunner.gitopsctl(["resume", "ks", "apps", "--kubeconfig", server.kubeconfig])
        #expect(resume.status == 0, "\(resume.stderrText)")
        #expect(resume.stderrText == """
            ► resuming kustomization apps in flux-system namespace
            ✔ kustomization resumed
            ◎ waiting for Kustomization reconciliation
            ✔ Kustomization apps reconciliation completed
            ✔ applied revision \(Self.revision)

            """)
    }

    @Test func suspendAndResumeASourceWithoutWaiting() throws {
        let (server, _) = try cluster()
        func suspended() throws -> String {
            try ProcessRunner.run(tool: "kubectl", ["get", "gitrepository", "flux-system", "-n", "flux-system",
                                                    "-o", "jsonpath={.spec.suspend}"],
                                  environment: ["KUBECONFIG": server.kubeconfig]).stdoutText
        }
        let suspend = try ProcessRunner.gitopsctl(["suspend", "source", "git", "flux-system", "--kubeconfig", server.kubeconfig])
        #expect(suspend.status == 0, "\(suspend.stderrText)")
        #expect(suspend.stderrText == "► suspending source git flux-system in flux-system namespace\n✔ source git suspended\n")
        #expect(try suspended() == "true")
        let resume = try ProcessRunner.gitopsctl(["resume", "source", "git", "flux-system", "--wait=false",
                                                  "--kubeconfig", server.kubeconfig])
        #expect(resume.status == 0, "\(resume.stderrText)")
        #expect(try suspended() == "")
    }

    @Test func missingNameIsAUsageError() throws {
        let result = try ProcessRunner.gitopsctl(["suspend", "ks"])
        #expect(result.status == 2)
    }
}
