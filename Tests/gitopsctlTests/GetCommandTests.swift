import Foundation
import Testing
import TestSupport

/// `gitopsctl get ks|hr|sources git` against the loopback API server, compared with golden
/// files in Tests/Fixtures/get. `UPDATE_GOLDEN=1 swift test --filter GetCommandTests` rewrites
/// them after a deliberate change.
@Suite("get from a cluster", .serialized)
struct GetCommandTests {
    static let manifests = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: flux-system}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: apps}
        ---
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata: {name: flux-system, namespace: flux-system, labels: {tier: platform}}
        spec: {interval: 10m, prune: true, path: ./clusters/prod, sourceRef: {kind: GitRepository, name: flux-system}}
        ---
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata: {name: infrastructure, namespace: flux-system, labels: {tier: platform}}
        spec: {interval: 1h, prune: true, suspend: true, path: ./infrastructure, sourceRef: {kind: GitRepository, name: flux-system}}
        ---
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata: {name: podinfo, namespace: apps}
        spec: {interval: 5m, prune: true, path: ./apps/podinfo, sourceRef: {kind: GitRepository, name: flux-system, namespace: flux-system}}
        ---
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: GitRepository
        metadata: {name: flux-system, namespace: flux-system}
        spec: {interval: 1m, url: "ssh://git@github.com/example/fleet", ref: {branch: main}}
        ---
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata: {name: podinfo, namespace: apps}
        spec: {interval: 10m, chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: podinfo}}}}
        """

    static let sha = "696f056df216eea4f9401adbee0ff744d4df390f"

    /// One cluster for the whole suite: the tests only read it.
    static let shared = Result { try makeCluster() }

    /// The suite's cluster; started off the concurrency pool, since starting it waits for Python
    /// and kubectl.
    static func cluster() async throws -> KubeAPIServer { try await offPool { try shared.get() } }

    static func makeCluster() throws -> KubeAPIServer {
        let server = try KubeAPIServer(preloadCRDs: true)
        try server.kubectlApply(manifests)
        func status(_ group: String, _ resource: String, _ ns: String, _ name: String, _ body: String) throws {
            try server.setStatus(#"{"group":"\#(group)","resource":"\#(resource)","namespace":"\#(ns)","name":"\#(name)","status":\#(body)}"#)
        }
        try status("kustomize.toolkit.fluxcd.io", "kustomizations", "flux-system", "flux-system",
                   #"{"observedGeneration":1,"lastAppliedRevision":"main@sha1:\#(sha)","conditions":[{"type":"Ready","status":"True","reason":"ReconciliationSucceeded","message":"Applied revision: main@sha1:\#(sha)","lastTransitionTime":"2026-01-01T00:00:00Z"}]}"#)
        try status("kustomize.toolkit.fluxcd.io", "kustomizations", "apps", "podinfo",
                   #"{"observedGeneration":1,"conditions":[{"type":"Ready","status":"False","reason":"BuildFailed","message":"kustomize build failed: accumulating resources","lastTransitionTime":"2026-01-01T00:00:00Z"},{"type":"Reconciling","status":"True","reason":"ProgressingWithRetry","message":"retrying","lastTransitionTime":"2026-01-01T00:00:00Z"}]}"#)
        try status("source.toolkit.fluxcd.io", "gitrepositories", "flux-system", "flux-system",
                   #"{"observedGeneration":1,"artifact":{"revision":"main@sha1:\#(sha)","path":"x","url":"http://x","lastUpdateTime":"2026-01-01T00:00:00Z","digest":"sha256:0"},"conditions":[{"type":"Ready","status":"True","reason":"Succeeded","message":"stored artifact for revision 'main@sha1:\#(sha)'","lastTransitionTime":"2026-01-01T00:00:00Z"}]}"#)
        try status("helm.toolkit.fluxcd.io", "helmreleases", "apps", "podinfo",
                   #"{"observedGeneration":1,"history":[{"chartVersion":"6.5.4","chartName":"podinfo","name":"podinfo","namespace":"apps","version":1,"status":"deployed","digest":"sha256:1","configDigest":"sha256:2","firstDeployed":"2026-01-01T00:00:00Z","lastDeployed":"2026-01-01T00:00:00Z"}],"conditions":[{"type":"Ready","status":"True","reason":"InstallSucceeded","message":"Helm install succeeded for release apps/podinfo.v1 with chart podinfo@6.5.4","lastTransitionTime":"2026-01-01T00:00:00Z"}]}"#)
        return server
    }

    static let cases: [(String, [String])] = [
        ("ks.txt", ["get", "ks"]),
        ("ks.txt", ["get", "ks", "-o", "table", "-n", "flux-system"]),
        ("ks-all.txt", ["get", "kustomizations", "-A"]),
        ("ks-all-no-header.txt", ["get", "ks", "-A", "--no-header"]),
        ("ks-not-ready.txt", ["get", "ks", "-A", "--status-selector", "ready=false"]),
        ("ks-selector.txt", ["get", "ks", "-l", "tier=platform"]),
        ("ks-one.json", ["get", "ks", "flux-system", "-o", "json"]),
        ("hr.txt", ["get", "hr", "-n", "apps"]),
        ("hr.yaml", ["get", "helmreleases", "-A", "-o", "yaml"]),
        ("git.txt", ["get", "sources", "git"]),
    ]

    @Test func tablesMatchGoldenFiles() async throws {
        let server = try await Self.cluster()
        for (golden, arguments) in Self.cases {
            let result = try await ProcessRunner.gitopsctlOffPool(arguments, environment: ["KUBECONFIG": server.kubeconfig])
            #expect(result.status == 0, "\(arguments): \(result.stderrText)")
            let file = TestPaths.fixtures.appendingPathComponent("get/\(golden)")
            if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
                try result.stdout.write(to: file)
            }
            let expected = try String(contentsOf: file, encoding: .utf8)
            #expect(result.stdoutText == expected, "\(arguments) differs from \(golden)")
        }
    }

    @Test func nothingFoundMessagesAndExitCodes() async throws {
        let server = try await Self.cluster()
        let env: [String: String?] = ["KUBECONFIG": server.kubeconfig]
        let missing = try await ProcessRunner.gitopsctlOffPool(["get", "ks", "nope"], environment: env)
        #expect(missing.status == 1)
        #expect(missing.stderrText.contains("Kustomization object 'nope' not found in \"flux-system\" namespace"))
        let empty = try await ProcessRunner.gitopsctlOffPool(["get", "hr", "-n", "default"], environment: env)
        #expect(empty.status == 1)
        #expect(empty.stderrText.contains("no HelmRelease objects found in \"default\" namespace"))
        let namespace = try await ProcessRunner.gitopsctlOffPool(["get", "ks", "-n", "Not_A_Label"], environment: env)
        #expect(namespace.status == 1)
        #expect(namespace.stderrText.contains("namespace must be a valid DNS label: \"Not_A_Label\""))
        let bad = try await ProcessRunner.gitopsctlOffPool(["get", "ks", "--status-selector", "ready"], environment: env)
        #expect(bad.status == 1)
        #expect(bad.stderrText.contains("expected status selector in type=status or type!=status format, but found: ready"))
    }

    @Test func connectionProblemsAreOneClearLine() async throws {
        let server = try await Self.cluster()
        let unknown = try await ProcessRunner.gitopsctlOffPool(["get", "ks", "--context", "prod"], environment: ["KUBECONFIG": server.kubeconfig])
        #expect(unknown.status == 1)
        #expect(unknown.stderrText.contains("context \"prod\" does not exist in the kubeconfig; contexts: test"))
        let tmp = try TemporaryDirectory()
        let config = try String(contentsOfFile: server.kubeconfig, encoding: .utf8)
            .replacingOccurrences(of: "127.0.0.1:\(server.port)", with: "127.0.0.1:1")
        let file = try tmp.write("kubeconfig", config)
        let refused = try await ProcessRunner.gitopsctlOffPool(["get", "ks", "--kubeconfig", file.path])
        #expect(refused.status == 1)
        #expect(refused.stderrText.contains("cannot reach https://127.0.0.1:1: connection refused"))
        let noFlux = try await offPool { try KubeAPIServer() }
        let absent = try await ProcessRunner.gitopsctlOffPool(["get", "ks"], environment: ["KUBECONFIG": noFlux.kubeconfig])
        #expect(absent.stderrText.contains("no Kustomization (kustomize.toolkit.fluxcd.io/v1) on this cluster — is Flux installed?"))
    }

    /// A kubeconfig for the suite's cluster with `cluster` and `user` fields of its own.
    private func kubeconfig(_ server: KubeAPIServer, cluster: String, user: String) throws -> String {
        // In the server's directory, which lives as long as the suite's cluster.
        let file = try server.directory.write("config-\(UUID().uuidString)", """
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster: {server: "\(server.server)", \(cluster)}
            users:
            - name: ci-bot
              user: {client-certificate: "\(server.file("admin.crt"))", client-key: "\(server.file("admin.key"))", \(user)}
            contexts:
            - name: ci
              context: {cluster: test, user: ci-bot}
            current-context: ci
            """)
        return file.path
    }

    @Test func badTLSAndCredentialsNameTheServerAndUser() async throws {
        let server = try await Self.cluster()
        let ca = "certificate-authority: \"\(server.file("ca.pem"))\""
        let wrongCA = try await ProcessRunner.gitopsctlOffPool(["get", "ks", "--kubeconfig",
                                           try kubeconfig(server, cluster: "certificate-authority: \"\(server.file("other-ca.pem"))\"", user: "")])
        #expect(wrongCA.status == 1)
        #expect(wrongCA.stderrText.hasPrefix("✗ TLS connection to \(server.server) failed: "), "\(wrongCA.stderrText)")
        #expect(wrongCA.stderrText.contains("certificate"))
        let wrongHost = try await ProcessRunner.gitopsctlOffPool(["get", "ks", "--kubeconfig",
                                             try kubeconfig(server, cluster: "\(ca), tls-server-name: api.wrong.example", user: "")])
        #expect(wrongHost.status == 1)
        #expect(wrongHost.stderrText.contains("TLS connection to \(server.server) failed: "), "\(wrongHost.stderrText)")
        #expect(wrongHost.stderrText.contains("'api.wrong.example'"), "\(wrongHost.stderrText)")
        let expired = try await ProcessRunner.gitopsctlOffPool(["get", "ks", "--kubeconfig", try kubeconfig(server, cluster: ca, user: "token: expired-token")])
        #expect(expired.status == 1)
        #expect(expired.stderrText == "✗ \(server.server) rejected the credentials of user \"ci-bot\": Unauthorized\n")
    }

    @Test func kubeconfigSyntaxErrorPointsAtFileLineAndColumn() async throws {
        let tmp = try TemporaryDirectory()
        let file = try tmp.write("config", """
            apiVersion: v1
            clusters:
            - name: test
              cluster: {server: "https://127.0.0.1:6443"
            current-context: test
            """)
        let result = try await ProcessRunner.gitopsctlOffPool(["get", "ks", "--kubeconfig", file.path])
        #expect(result.status == 1)
        let lines = result.stderrText.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("✗ \(file.path):5:1: kubeconfig is not valid YAML: "), "\(result.stderrText)")
    }

    @Test func verboseLogsRequestsButNoCredential() async throws {
        let server = try await Self.cluster()
        let config = try kubeconfig(server, cluster: "certificate-authority: \"\(server.file("ca.pem"))\"",
                                    user: "token: admin-token")
        let result = try await ProcessRunner.gitopsctlOffPool(["get", "ks", "-v", "--kubeconfig", config])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stderrText.contains("GET \(server.server)/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations?limit=500 200 in "),
                "\(result.stderrText)")
        let key = try String(contentsOfFile: server.file("admin.key"), encoding: .utf8).split(separator: "\n")[1]
        #expect(!result.stderrText.contains("admin-token") && !result.stderrText.contains(key))
        #expect(!result.stdoutText.contains("admin-token"))
    }

    @Test func namesCompleteFromTheClusterAndAreCached() async throws {
        let server = try await Self.cluster()
        let cache = try TemporaryDirectory()
        let env: [String: String?] = ["KUBECONFIG": server.kubeconfig, "XDG_CACHE_HOME": cache.url.path]
        let ks = try await ProcessRunner.gitopsctlOffPool(["__complete", "get", "ks", ""], environment: env)
        #expect(ks.stdoutText.split(separator: "\n").prefix(2) == ["flux-system", "infrastructure"])
        let hr = try await ProcessRunner.gitopsctlOffPool(["__complete", "get", "hr", "-n", "apps", ""], environment: env)
        #expect(hr.stdoutText.split(separator: "\n").first == "podinfo")
        let path = "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations"
        let before = try await offPool { try server.requests(path: path) }
        _ = try await ProcessRunner.gitopsctlOffPool(["__complete", "get", "ks", ""], environment: env)
        #expect(try await offPool { try server.requests(path: path) } == before,
                "the second completion is answered from the cache")
        let contexts = try await ProcessRunner.gitopsctlOffPool(["__complete", "get", "ks", "--context", ""], environment: env)
        #expect(contexts.stdoutText.hasPrefix("test\tcurrent context\n"))
    }

    /// Completion gives up after its 1 s budget: a server answering in 4 s completes nothing,
    /// and the next TAB (answered in time) lists the names.
    @Test func completionGivesUpOnASlowServer() async throws {
        let server = try await Self.cluster()
        let cache = try TemporaryDirectory()
        let env: [String: String?] = ["KUBECONFIG": server.kubeconfig, "XDG_CACHE_HOME": cache.url.path]
        try await offPool {
            try server.inject(#"{"path": "/namespaces/apps/helmreleases$", "action": "slow", "seconds": 4}"#)
        }
        let slow = try await ProcessRunner.gitopsctlOffPool(["__complete", "get", "hr", "-n", "apps", ""], environment: env)
        #expect(slow.status == 0)
        #expect(!slow.stdoutText.contains("podinfo"), "\(slow.stdoutText)")
        let fast = try await ProcessRunner.gitopsctlOffPool(["__complete", "get", "hr", "-n", "apps", ""], environment: env)
        #expect(fast.stdoutText.split(separator: "\n").first == "podinfo")
    }
}

private extension KubeAPIServer {
    /// How many requests the server saw for `path`.
    func requests(path: String) throws -> Int {
        let log = try admin("GET", "requests")
        let json = try JSONSerialization.jsonObject(with: log) as? [String: Any]
        let entries = json?["requests"] as? [[String: Any]] ?? []
        return entries.filter { $0["path"] as? String == path }.count
    }
}
