import Foundation
import Testing
import TestSupport

/// An RBAC denial names the verb, the resource and the user in one line and exits non-zero:
/// the test API server grants user "bob" (a bearer token) only some rules and answers the rest
/// with kube-apiserver's 403 `Status`.
@Suite("RBAC denials", .serialized)
struct RBACDenialCommandTests {
    final class Cluster: @unchecked Sendable {
        let server: KubeAPIServer
        let repo: TemporaryDirectory
        let bob: String

        init(rules: String) throws {
            server = try KubeAPIServer(["--client-auth", "optional"], preloadCRDs: true)
            repo = try TemporaryDirectory(prefix: "rbac")
            try FileManager.default.copyItem(
                at: TestPaths.repoRoot.appendingPathComponent("Tests/Fixtures/local-reconcile/switches"),
                to: repo.path("switches"))
            try server.kubectlApply("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n")
            try server.kubectlApply(try String(contentsOf: repo.path("switches/clusters/test/flux-system/gotk-sync.yaml"),
                                               encoding: .utf8))
            try server.admin("POST", "tokens", #"{"token": "bob-token", "user": "bob", "groups": ["developers"]}"#)
            try server.admin("POST", "roles", #"{"user": "bob", "rules": \#(rules)}"#)
            bob = try repo.write("kubeconfig-bob", """
                apiVersion: v1
                kind: Config
                clusters:
                - name: test
                  cluster: {server: "\(server.server)", certificate-authority: "\(server.file("ca.pem"))"}
                users:
                - name: bob
                  user: {token: bob-token}
                contexts:
                - name: bob
                  context: {cluster: test, user: bob}
                current-context: bob
                """).path
        }

        /// Starts a cluster off the concurrency pool (it waits for Python and kubectl).
        static func start(rules: String) async throws -> Cluster { try await offPool { try Cluster(rules: rules) } }

        func run(_ arguments: [String]) async throws -> ProcessResult {
            try await offPool { try ProcessRunner.gitopsctl(arguments + ["--kubeconfig", self.bob]) }
        }
    }

    /// Everything on ConfigMaps in `apps` and on Namespaces, Secrets read and patch but not create.
    static let developer = """
        [{"verbs": ["*"], "apiGroups": [""], "resources": ["configmaps"], "namespaces": ["apps"]},
         {"verbs": ["*"], "apiGroups": [""], "resources": ["namespaces"]},
         {"verbs": ["get", "list", "watch", "patch"], "apiGroups": [""], "resources": ["secrets"]},
         {"verbs": ["get", "list", "watch"], "apiGroups": ["kustomize.toolkit.fluxcd.io"], "resources": ["kustomizations"]}]
        """

    @Test func localReconcileNamesTheDenialAndWhatWasApplied() async throws {
        let cluster = try await Cluster.start(rules: Self.developer)
        let result = try await cluster.run(["reconcile", "ks", "apps", "--local", "--path", "clusters/test",
                                      "--repo", cluster.repo.path("switches").path])
        #expect(result.status == 1)
        let lines = result.stderrText.split(separator: "\n").map(String.init)
        #expect(lines.contains("""
            ✗ Kustomization flux-system/apps: forbidden: User "bob" cannot create resource "secrets" in API group "" \
            in the namespace "apps" (Secret/apps/creds)
            """), "\(result.stderrText)")
        #expect(lines.contains("applied: Namespace/apps, Namespace/scratch"))
        #expect(lines.contains { $0.hasPrefix("not applied: ConfigMap/apps/frozen,") && $0.hasSuffix("Secret/apps/creds") })
        // The stage whose dry run was denied changed nothing; the namespaces before it are there.
        let get = try await offPool {
            try ProcessRunner.run(tool: "kubectl", ["get", "ns", "scratch", "cm", "-n", "apps"],
                                  environment: ["KUBECONFIG": cluster.server.kubeconfig])
        }
        #expect(get.stdoutText.contains("scratch") && !get.stdoutText.contains("settings"))
    }

    @Test(arguments: [
        (["reconcile", "ks", "apps", "-n", "flux-system", "--timeout", "2s"], "patch"),
        (["suspend", "ks", "apps", "-n", "flux-system"], "patch"),
        (["resume", "ks", "apps", "-n", "flux-system"], "patch"),
    ])
    func fluxCommandsNameVerbResourceAndUser(_ arguments: [String], _ verb: String) async throws {
        let cluster = try await Cluster.start(rules: Self.developer)
        let result = try await cluster.run(arguments)
        #expect(result.status == 1)
        #expect(result.stderrText.contains("""
            kustomizations.kustomize.toolkit.fluxcd.io "apps" is forbidden: User "bob" cannot \(verb) resource \
            "kustomizations" in API group "kustomize.toolkit.fluxcd.io" in the namespace "flux-system"
            """), "\(result.stderrText)")
    }

    @Test func getNamesTheListDenial() async throws {
        let cluster = try await Cluster.start(rules: #"[{"verbs": ["get"], "apiGroups": [""], "resources": ["namespaces"]}]"#)
        let result = try await cluster.run(["get", "ks", "-n", "flux-system"])
        #expect(result.status == 1)
        #expect(result.stderrText == """
            ✗ kustomizations.kustomize.toolkit.fluxcd.io is forbidden: User "bob" cannot list resource "kustomizations" \
            in API group "kustomize.toolkit.fluxcd.io" in the namespace "flux-system"

            """)
    }

    /// A 403 from something other than RBAC (a proxy, a webhook) has no sentence naming who and
    /// what: the request and the kubeconfig user are added.
    @Test func aForbiddenAnswerWithoutTheRBACSentenceGetsTheRequestAndUser() async throws {
        let cluster = try await Cluster.start(rules: Self.developer)
        let result = try await offPool {
            try cluster.server.inject(#"{"path": "kustomizations/apps$", "method": "PATCH", "action": "403"}"#)
            return try ProcessRunner.gitopsctl(["suspend", "ks", "apps", "-n", "flux-system",
                                                "--kubeconfig", cluster.server.kubeconfig])
        }
        #expect(result.status == 1)
        #expect(result.stderrText.contains("""
            forbidden: injected fault (PATCH /apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps \
            as user "admin")
            """), "\(result.stderrText)")
    }
}
