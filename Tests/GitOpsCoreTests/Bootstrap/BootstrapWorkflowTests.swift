import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// A checkout on branch main with an initial commit and a bare repository as `origin`, plus an
/// age identity made by the real age-keygen outside it.
struct BootstrapSandbox {
    let repository: TemporaryDirectory
    let remote: TemporaryDirectory
    let keys: TemporaryDirectory
    let keyFile: String

    init() throws {
        repository = try GitSandbox.repository()
        remote = try TemporaryDirectory(prefix: "bootstrap-remote")
        try GitSandbox.git(["init", "-q", "--bare", "-b", "main"], in: remote.url)
        try GitSandbox.git(["remote", "add", "origin", remote.url.path], in: repository.url)
        keys = try TemporaryDirectory(prefix: "bootstrap-keys")
        keyFile = keys.path("cluster.agekey").path
        let made = try ProcessRunner.run(tool: "age-keygen", ["-o", keyFile])
        try #require(made.status == 0, "\(made.stderrText)")
    }

    func request(path: String = "clusters/dev", cluster server: KubeAPIServer?) -> BootstrapRequest {
        var request = BootstrapRequest(repository: repository.url, path: path, key: .file(keyFile))
        request.url = "ssh://git@github.com/acme/platform"
        request.cluster = server.map { KubeconfigSource(explicitPath: $0.kubeconfig, environment: [:]) }
        request.timeout = 20
        return request
    }

    func subjects() throws -> [String] {
        try GitSandbox.git(["log", "--format=%s"], in: repository.url).split(separator: "\n").map(String.init)
    }

    func read(_ path: String) throws -> String {
        try String(contentsOf: repository.path(path), encoding: .utf8)
    }
}

/// Events collected from a run, for asserting flux's messages.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [BootstrapEvent] = []
    var events: [BootstrapEvent] { lock.withLock { stored } }
    func append(_ event: BootstrapEvent) { lock.withLock { stored.append(event) } }
}

@Suite("bootstrap workflow", .serialized)
struct BootstrapWorkflowTests {
    private func run(_ request: BootstrapRequest, log: EventLog = EventLog()) async throws -> BootstrapResult {
        try await BootstrapWorkflow { log.append($0) }.run(request)
    }

    private func resourceVersions(_ client: KubeClient) async throws -> [String?] {
        [try await client.getIfPresent(.namespace, name: "flux-system")?.resourceVersion,
         try await client.getIfPresent(.secret, name: "sops-age", namespace: "flux-system")?.resourceVersion,
         try await client.getIfPresent(.gitRepository, name: "flux-system", namespace: "flux-system")?.resourceVersion,
         try await client.getIfPresent(.kustomization, name: "flux-system", namespace: "flux-system")?.resourceVersion]
    }

    @Test func firstRunWritesCommitsPushesAndAppliesSecondRunChangesNothing() async throws {
        let sandbox = try BootstrapSandbox()
        let server = try KubeAPIServer(preloadCRDs: true)
        var request = sandbox.request(cluster: server)
        request.push = true
        let log = EventLog()
        let first = try await run(request, log: log)

        #expect(first.commits.count == 2)
        #expect(try sandbox.subjects() == ["Add Flux sync manifests", "Add Flux component manifests", "Initial commit"])
        #expect(try GitSandbox.git(["log", "--format=%s", "main"], in: sandbox.remote.url).hasPrefix("Add Flux sync manifests"))
        #expect(try GitSandbox.git(["status", "--porcelain"], in: sandbox.repository.url).isEmpty)
        let manifests = BootstrapManifests(path: "clusters/dev", url: "ssh://git@github.com/acme/platform")
        #expect(try sandbox.read("clusters/dev/flux-system/gotk-sync.yaml") == manifests.sync)
        #expect(try sandbox.read("clusters/dev/flux-system/kustomization.yaml") == manifests.kustomization)
        #expect(try sandbox.read("clusters/dev/flux-system/gotk-components.yaml") == manifests.componentsPlaceholder)
        #expect(try sandbox.read(".gitignore") == "*.agekey\n")
        #expect(try sandbox.read(".sops.yaml").contains("age: \(first.recipient)"))
        #expect(log.events.contains(.success("committed sync manifests to \"main\" (\"\(first.commits[1])\")")))
        #expect(log.events.contains { if case .warning = $0 { return true }; return false })

        let client = try server.client()
        let secret = try await client.get(.secret, name: "sops-age", namespace: "flux-system")
        let stored = try #require(BootstrapCluster.decodedData(secret, key: "age.agekey"))
        #expect(stored == Array(try Data(contentsOf: URL(fileURLWithPath: sandbox.keyFile))))
        let kustomization = try await client.get(.kustomization, name: "flux-system", namespace: "flux-system")
        #expect(kustomization.json.at("spec.path")?.stringValue == "./clusters/dev")
        #expect(kustomization.json.at("spec.decryption.secretRef.name")?.stringValue == "sops-age")
        let gitRepository = try await client.get(.gitRepository, name: "flux-system", namespace: "flux-system")
        #expect(gitRepository.json.at("spec.url")?.stringValue == "ssh://git@github.com/acme/platform")
        #expect(kustomization.json.at("metadata.managedFields")?.arrayValue?.first?["manager"]?.stringValue == "flux")

        let before = try await resourceVersions(client)
        let secondLog = EventLog()
        let second = try await run(request, log: secondLog)
        #expect(second.commits.isEmpty)
        #expect(!second.changed)
        #expect(secondLog.events.last == .success("already bootstrapped"))
        #expect(try sandbox.subjects().count == 3)
        #expect(try await resourceVersions(client) == before)
    }

    @Test func privateKeyFileBecomesTheGitCredentialsSecret() async throws {
        let sandbox = try BootstrapSandbox()
        let server = try KubeAPIServer(preloadCRDs: true)
        let sshKey = sandbox.keys.path("deploy").path
        let made = try ProcessRunner.run(tool: "ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "flux", "-f", sshKey])
        try #require(made.status == 0, "\(made.stderrText)")
        var request = sandbox.request(cluster: server)
        request.privateKeyFile = sshKey
        // The host's key as ssh-keyscan would print it; another host's line is left out.
        let hostKey = try String(contentsOfFile: sshKey + ".pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        let knownHosts = try sandbox.keys.write("known_hosts", "# github\ngithub.com \(hostKey)\ngitlab.com \(hostKey)\n")
        request.knownHostsFile = knownHosts.path
        _ = try await run(request)
        let secret = try await server.client().get(.secret, name: "flux-system", namespace: "flux-system")
        #expect(BootstrapCluster.decodedData(secret, key: "known_hosts") == Array("github.com \(hostKey)\n".utf8))
        #expect(BootstrapCluster.decodedData(secret, key: "identity") == Array(try Data(contentsOf: URL(fileURLWithPath: sshKey))))
        #expect(BootstrapCluster.decodedData(secret, key: "identity.pub")
                == Array(try Data(contentsOf: URL(fileURLWithPath: sshKey + ".pub"))))
        let log = EventLog()
        let again = try await run(request, log: log)
        #expect(!again.changed)
        #expect(log.events.contains(.success("source secret up to date")))
    }

    @Test func anSSHHostWithoutAKeyStopsBeforeAnyCommit() async throws {
        let sandbox = try BootstrapSandbox()
        let server = try KubeAPIServer(preloadCRDs: true)
        let sshKey = sandbox.keys.path("deploy").path
        let made = try ProcessRunner.run(tool: "ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", sshKey])
        try #require(made.status == 0, "\(made.stderrText)")
        // A port nothing listens on: the real ssh-keyscan gets no key from it.
        let port = try ProcessRunner.run(tool: "python3", ["-c", "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])"])
            .stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        var request = sandbox.request(cluster: server)
        request.url = "ssh://git@127.0.0.1:\(port)/acme/platform"
        request.privateKeyFile = sshKey
        await #expect(throws: BootstrapError.knownHosts(host: "[127.0.0.1]:\(port)",
                                                        reason: "ssh-keyscan got no host key from 127.0.0.1 port \(port)")) {
            try await run(request)
        }
        #expect(try sandbox.subjects().count == 1)
    }

    @Test(arguments: [
        ("ssh://git@github.com/acme/platform", "github.com", 22),
        ("ssh://git@gitea.local:2222/acme/platform.git", "[gitea.local]:2222", 2222),
        ("git@github.com:acme/platform.git", "github.com", 22),
    ])
    func sshEndpointsAreNamedAsKnownHostsNamesThem(url: String, name: String, port: Int) throws {
        let endpoint = try #require(BootstrapKnownHosts.Endpoint(url: url))
        #expect(endpoint.knownHostsName == name)
        #expect(endpoint.port == port)
    }

    @Test func httpsURLsNeedNoHostKey() {
        #expect(BootstrapKnownHosts.Endpoint(url: "https://github.com/acme/platform") == nil)
    }

    @Test func noApplyTouchesOnlyTheRepository() async throws {
        let sandbox = try BootstrapSandbox()
        let server = try KubeAPIServer()
        let result = try await run(sandbox.request(cluster: nil))
        #expect(result.commits.count == 2)
        #expect(try server.requests().allSatisfy { !($0["path"]?.stringValue ?? "").hasPrefix("/api") })
        #expect(try await server.client().getIfPresent(.namespace, name: "flux-system") == nil)
    }

    @Test func unreachableClusterCommitsNothing() async throws {
        let sandbox = try BootstrapSandbox()
        let server = try KubeAPIServer()
        let kubeconfig = try String(contentsOfFile: server.kubeconfig, encoding: .utf8)
        let closed = try TemporaryDirectory(prefix: "bootstrap-closed")
        // A port nothing listens on: bind one, note it, let it go.
        let port = try ProcessRunner.run(tool: "python3", ["-c", "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])"])
            .stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        let unreachable = try closed.write("kubeconfig", kubeconfig.replacingOccurrences(of: server.server, with: "https://127.0.0.1:\(port)"))
        var request = sandbox.request(cluster: nil)
        request.cluster = KubeconfigSource(explicitPath: unreachable.path, environment: [:])
        await #expect {
            try await run(request)
        } throws: { error in
            if case .clusterUnreachable = error as? BootstrapError { return true }
            return false
        }
        #expect(try sandbox.subjects() == ["Initial commit"])
        #expect(!FileManager.default.fileExists(atPath: sandbox.repository.path("clusters").path))
    }

    @Test func aClusterWithoutFluxCRDsIsRefusedBeforeAnyCommit() async throws {
        let sandbox = try BootstrapSandbox()
        let server = try KubeAPIServer()
        await #expect {
            try await run(sandbox.request(cluster: server))
        } throws: { error in
            guard case let .cluster(reason) = error as? BootstrapError else { return false }
            return reason.hasPrefix("the Flux CRDs are not installed on the cluster")
        }
        #expect(try sandbox.subjects() == ["Initial commit"])
        #expect(try await server.client().getIfPresent(.namespace, name: "flux-system") == nil)
    }

    @Test func anotherPathIsRefusedAsFluxRefusesIt() async throws {
        let sandbox = try BootstrapSandbox()
        let server = try KubeAPIServer(preloadCRDs: true)
        _ = try await run(sandbox.request(cluster: server))
        await #expect(throws: BootstrapError.pathChanged(new: "./clusters/other", old: "./clusters/dev")) {
            try await run(sandbox.request(path: "clusters/other", cluster: server))
        }
        #expect(!FileManager.default.fileExists(atPath: sandbox.repository.path("clusters/other").path))
    }

    @Test func aDifferentIdentityInTheSecretIsRefusedUnlessForced() async throws {
        let sandbox = try BootstrapSandbox()
        let server = try KubeAPIServer(preloadCRDs: true)
        let other = X25519Identity.generateForTest()
        try server.applySopsAgeSecret("\(other)")
        await #expect(throws: BootstrapError.decryptionSecretDiffers(namespace: "flux-system", name: "sops-age")) {
            try await run(sandbox.request(cluster: server))
        }
        #expect(try sandbox.subjects() == ["Initial commit"])
        var forced = sandbox.request(cluster: server)
        forced.force = true
        _ = try await run(forced)
        let secret = try await server.client().get(.secret, name: "sops-age", namespace: "flux-system")
        #expect(BootstrapCluster.decodedData(secret, key: "age.agekey") == Array(try Data(contentsOf: URL(fileURLWithPath: sandbox.keyFile))))
    }

    @Test func dirtyFilesInBootstrapPathsAreListed() async throws {
        let sandbox = try BootstrapSandbox()
        try sandbox.repository.write(".gitignore", "*.log\n")
        try sandbox.repository.write("clusters/dev/flux-system/kustomization.yaml", "resources: []\n")
        await #expect(throws: BootstrapError.dirtyPaths([".gitignore", "clusters/dev/flux-system/kustomization.yaml"])) {
            try await run(sandbox.request(cluster: nil))
        }
        #expect(try sandbox.subjects() == ["Initial commit"])
    }

    @Test func notAGitRepositoryIsSaid() async throws {
        let sandbox = try BootstrapSandbox()
        let plain = try TemporaryDirectory(prefix: "bootstrap-plain")
        var request = sandbox.request(cluster: nil)
        request.repository = plain.url
        await #expect(throws: BootstrapError.notAGitRepository(path: plain.url.path)) { try await run(request) }
    }

    @Test func aKeyFileThatDoesNotParseNamesItsLine() async throws {
        let sandbox = try BootstrapSandbox()
        let bad = TestPaths.fixtures.appendingPathComponent("bootstrap/bad-identity.txt").path
        var request = sandbox.request(cluster: nil)
        request.key = .file(bad)
        await #expect {
            try await run(request)
        } throws: { error in
            guard case let .keyFile(path, line, _) = error as? BootstrapError else { return false }
            return path == bad && line == 3
        }
    }

    @Test func aKeyInsideTheRepositoryThatGitWouldCommitIsRefused() async throws {
        let sandbox = try BootstrapSandbox()
        let inside = sandbox.repository.path("keys.txt")
        try FileManager.default.copyItem(atPath: sandbox.keyFile, toPath: inside.path)
        var request = sandbox.request(cluster: nil)
        request.key = .file(inside.path)
        await #expect(throws: BootstrapError.keyWouldBeTracked(path: inside.path)) { try await run(request) }
        #expect(try sandbox.subjects() == ["Initial commit"])

        // Named *.agekey it is covered by the ignore entry bootstrap adds, and stays out of the commit.
        let ignored = sandbox.repository.path("cluster.agekey")
        try FileManager.default.moveItem(at: inside, to: ignored)
        request.key = .file(ignored.path)
        _ = try await run(request)
        #expect(try GitSandbox.git(["ls-files"], in: sandbox.repository.url).contains("agekey") == false)
    }

    @Test func generatedKeyIsPrivateOutsideTheRepositoryAndReused() async throws {
        let sandbox = try BootstrapSandbox()
        let target = sandbox.keys.path("generated/dev.agekey").path
        var request = sandbox.request(cluster: nil)
        request.key = .generate(at: target)
        let first = try await run(request)
        #expect(first.keyWasGenerated)
        let mode = try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let derived = try ProcessRunner.run(tool: "age-keygen", ["-y", target])
        #expect(derived.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == first.recipient)
        let second = try await run(request)
        #expect(!second.keyWasGenerated && second.recipient == first.recipient && !second.changed)
    }

    /// Plays source-controller and kustomize-controller for a bootstrap in flight: the
    /// GitRepository fetches HEAD, the Kustomization applies it, the controller Deployment
    /// reports `deployReady` replicas.
    private func playControllers(_ server: KubeAPIServer, sandbox: BootstrapSandbox, deployReady: Int) async throws {
        func watching(_ resource: String) async throws {
            try await server.waitForRequests { ($0["path"]?.stringValue ?? "").contains(resource) && $0["query"]?.stringValue?.contains("watch=1") == true }
        }
        try await watching("gitrepositories")
        try server.setStatus("""
            {"group": "apps", "resource": "deployments", "namespace": "flux-system", "name": "kustomize-controller",
             "status": {"observedGeneration": 1, "replicas": 1, "updatedReplicas": 1, "readyReplicas": \(deployReady),
                        "availableReplicas": \(deployReady)}}
            """)
        let head = try GitSandbox.git(["rev-parse", "HEAD"], in: sandbox.repository.url).trimmingCharacters(in: .whitespacesAndNewlines)
        let ready = #"[{"type": "Ready", "status": "True", "reason": "Succeeded", "message": "ok", "lastTransitionTime": "2026-01-01T00:00:00Z"}]"#
        try server.setStatus("""
            {"group": "source.toolkit.fluxcd.io", "resource": "gitrepositories", "namespace": "flux-system",
             "name": "flux-system", "status": {"observedGeneration": 1, "artifact": {"revision": "main@sha1:\(head)"},
             "conditions": \(ready)}}
            """)
        try await watching("kustomizations")
        try server.setStatus("""
            {"group": "kustomize.toolkit.fluxcd.io", "resource": "kustomizations", "namespace": "flux-system",
             "name": "flux-system", "status": {"observedGeneration": 1, "lastAttemptedRevision": "main@sha1:\(head)",
             "lastAppliedRevision": "main@sha1:\(head)", "conditions": \(ready)}}
            """)
    }

    @Test func controllersAreWaitedForUntilTheyHaveTheCommitAndAreHealthy() async throws {
        let sandbox = try BootstrapSandbox()
        let server = try KubeAPIServer(preloadCRDs: true)
        var request = sandbox.request(cluster: server)
        request.componentsFile = TestPaths.fixtures.appendingPathComponent("bootstrap/components-with-controllers.yaml").path
        let log = EventLog()
        async let result = run(request, log: log)
        try await playControllers(server, sandbox: sandbox, deployReady: 1)
        let done = try await result
        #expect(try sandbox.subjects() == ["Add Flux sync manifests", "Add Flux v2.9.4 component manifests", "Initial commit"])
        #expect(done.changed)
        let tail = log.events.filter { if case .progress = $0 { return false }; return true }.suffix(6)
        #expect(Array(tail) == [
            .success("GitRepository reconciled successfully"),
            .waiting("waiting for Kustomization \"flux-system/flux-system\" to be reconciled"),
            .success("Kustomization reconciled successfully"),
            .action("confirming components are healthy"),
            .success("kustomize-controller: deployment ready"),
            .success("all components are healthy"),
        ])
        #expect(!log.events.contains { if case .warning = $0 { return true }; return false })
    }

    @Test func anUnhealthyControllerFailsTheBootstrapNamingIt() async throws {
        let sandbox = try BootstrapSandbox()
        let server = try KubeAPIServer(preloadCRDs: true)
        var request = sandbox.request(cluster: server)
        request.componentsFile = TestPaths.fixtures.appendingPathComponent("bootstrap/components-with-controllers.yaml").path
        let bootstrap = Task { try await run(request) }
        try await playControllers(server, sandbox: sandbox, deployReady: 0)
        await #expect(throws: BootstrapError.cluster(
            reason: "bootstrap failed with 1 health check failure(s): kustomize-controller: deployment not ready")) {
            _ = try await bootstrap.value
        }
    }

    @Test func aStaleRevisionIsNotTakenForSuccess() throws {
        let object = KubeObject(try KubeJSON.parse("""
            {"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
             "metadata": {"name": "flux-system", "namespace": "flux-system", "generation": 1},
             "status": {"observedGeneration": 1, "artifact": {"revision": "main@sha1:old"},
                        "conditions": [{"type": "Ready", "status": "True", "reason": "Succeeded", "message": "stored artifact"}]}}
            """))
        #expect(BootstrapCluster.synced(object, revisionPath: "status.artifact.revision", expected: "main@sha1:new")
                == .keepWaiting("stored artifact"))
        #expect(BootstrapCluster.synced(object, revisionPath: "status.artifact.revision", expected: "main@sha1:old") == .done)
    }
}

extension X25519Identity {
    /// A fresh identity's secret string, for a Secret that holds some other key.
    static func generateForTest() -> String {
        (try? X25519Identity.generate().secretKeyString) ?? ""
    }
}
