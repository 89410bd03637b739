import Foundation
import Testing
import TestSupport

/// `gitopsctl bootstrap` from the built binary against golden files (Tests/Fixtures/bootstrap/
/// golden/<shape>), on a checkout with a bare repository as its remote and the loopback API
/// server, for both repository shapes: seed-style `clusters/NAME` and home-ops
/// `kubernetes/flux/cluster`. `GITOPSCTL_UPDATE_GOLDEN=1` rewrites the golden files.
@Suite("bootstrap command golden", .serialized)
struct BootstrapCommandGoldenTests {
    static let golden = TestPaths.fixtures.appendingPathComponent("bootstrap/golden")
    static let demoKey = TestPaths.examples.appendingPathComponent("demo-age-key.txt").path
    typealias Base = BootstrapCommandTests

    /// Every file under `root` except .git, with its bytes.
    static func snapshot(_ root: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let base = root.standardizedFileURL.path
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            let relative = String(url.standardizedFileURL.path.dropFirst(base.count + 1))
            if relative == ".git" { enumerator?.skipDescendants(); continue }
            if (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
                files[relative] = try Data(contentsOf: url)
            }
        }
        return files
    }

    /// The files bootstrap changed (compared with `before`) equal the golden directory `shape`.
    static func expectGolden(_ shape: String, root: URL, before: [String: Data]) throws {
        let changed = try snapshot(root).filter { before[$0.key] != $0.value }
        let directory = golden.appendingPathComponent(shape)
        if ProcessInfo.processInfo.environment["GITOPSCTL_UPDATE_GOLDEN"] == "1" {
            try? FileManager.default.removeItem(at: directory)
            for (path, bytes) in changed {
                let url = directory.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try bytes.write(to: url)
            }
        }
        let expected = try snapshot(directory)
        #expect(Set(changed.keys) == Set(expected.keys))
        for (path, bytes) in expected {
            #expect(changed[path] == bytes, "\(shape)/\(path) differs from its golden file")
        }
    }

    /// A checkout (empty, or a copy of `source`) whose origin is a new bare repository.
    static func checkoutWithRemote(copying source: URL? = nil) throws -> (TemporaryDirectory, TemporaryDirectory) {
        let checkout = try Base.checkout(copying: source)
        let remote = try TemporaryDirectory(prefix: "bootstrap-bare")
        try Base.git(["init", "-q", "--bare", "-b", "main"], in: remote.url)
        try Base.git(["remote", "add", "origin", remote.url.absoluteString], in: checkout.url)
        return (checkout, remote)
    }

    static func kubectl(_ arguments: [String], _ server: KubeAPIServer) throws -> String {
        let result = try ProcessRunner.run(tool: "kubectl", arguments, environment: ["KUBECONFIG": server.kubeconfig])
        try #require(result.status == 0, "kubectl \(arguments.joined(separator: " ")): \(result.stderrText)")
        return result.stdoutText
    }

    static func resourceVersions(_ server: KubeAPIServer) throws -> String {
        try kubectl(["get", "namespace/flux-system", "-o", "jsonpath={.metadata.resourceVersion}"], server) + " "
            + kubectl(["get", "-n", "flux-system", "secret/sops-age", "gitrepositories.source.toolkit.fluxcd.io/flux-system",
                       "kustomizations.kustomize.toolkit.fluxcd.io/flux-system",
                       "-o", "jsonpath={.items[*].metadata.resourceVersion}"], server)
    }

    @Test func seedRepositoryFirstRunWritesCommitsPushesAndAppliesSecondRunIsANoOp() throws {
        let (checkout, remote) = try Self.checkoutWithRemote()
        let server = try KubeAPIServer(preloadCRDs: true)
        let before = try Self.snapshot(checkout.url)
        let arguments = ["--path", "clusters/staging", "--url", "ssh://git@github.com/acme/fleet", "--interval", "5m",
                         "--age-key", Self.demoKey, "--kubeconfig", server.kubeconfig, "--push"]

        let first = try Base.bootstrap(arguments, in: checkout.url)
        #expect(first.status == 0, "\(first.stderrText)")
        try Self.expectGolden("seed", root: checkout.url, before: before)
        #expect(try Base.git(["log", "--format=%an <%ae> %s"], in: checkout.url).split(separator: "\n") == [
            "Platform Team <platform@example.com> Add Flux sync manifests",
            "Platform Team <platform@example.com> Add Flux component manifests",
            "Platform Team <platform@example.com> Initial commit"])
        #expect(try Base.git(["show", "--format=", "--name-only", "HEAD~1"], in: checkout.url)
                == "clusters/staging/flux-system/gotk-components.yaml")
        #expect(try Base.git(["rev-parse", "main"], in: remote.url) == (try Base.git(["rev-parse", "HEAD"], in: checkout.url)))
        #expect(try Base.git(["status", "--porcelain"], in: checkout.url).isEmpty)
        #expect(first.stderrText.contains("⚠️ no Flux controllers in clusters/staging/flux-system/gotk-components.yaml"))

        // The cluster holds the objects, the Kustomization with its decryption stanza, and the key.
        #expect(try Self.kubectl(["get", "namespace", "flux-system", "-o", "name"], server) == "namespace/flux-system\n")
        #expect(try Self.kubectl(["get", "-n", "flux-system", "gitrepositories.source.toolkit.fluxcd.io/flux-system",
                                  "-o", "jsonpath={.spec.url} {.spec.interval} {.spec.ref.branch} {.spec.secretRef.name}"], server)
                == "ssh://git@github.com/acme/fleet 5m0s main flux-system")
        #expect(try Self.kubectl(["get", "-n", "flux-system", "kustomizations.kustomize.toolkit.fluxcd.io/flux-system",
                                  "-o", "jsonpath={.spec.path} {.spec.prune} {.spec.decryption.provider} {.spec.decryption.secretRef.name}"],
                                 server) == "./clusters/staging true sops sops-age")
        let stored = try Self.kubectl(["get", "-n", "flux-system", "secret/sops-age", "-o", "jsonpath={.data.age\\.agekey}"], server)
        #expect(Data(base64Encoded: stored) == (try Data(contentsOf: URL(fileURLWithPath: Self.demoKey))))

        let versions = try Self.resourceVersions(server)
        let second = try Base.bootstrap(arguments, in: checkout.url)
        #expect(second.status == 0, "\(second.stderrText)")
        #expect(second.stderrText.contains("✔ component manifests are up to date\n► generating sync manifests\n✔ sync manifests are up to date\n"))
        #expect(second.stderrText.contains("✔ decryption secret \"flux-system/sops-age\" up to date\n"))
        #expect(second.stderrText.contains("✔ already bootstrapped\n"))
        #expect(try Base.git(["rev-list", "--count", "HEAD"], in: checkout.url) == "3")
        #expect(try Self.resourceVersions(server) == versions)

        let validate = try ProcessRunner.gitopsctl(["validate"], environment: Base.environment, in: checkout.url)
        #expect(validate.status == 0, "\(validate.stdoutText)\(validate.stderrText)")
        let tree = try ProcessRunner.gitopsctl(["tree", "ks", "flux-system", "--path", "clusters/staging"],
                                               environment: Base.environment, in: checkout.url)
        #expect(tree.stdoutText == """
            Kustomization/flux-system/flux-system
            ├── Namespace/flux-system
            └── GitRepository/flux-system/flux-system


            """, "\(tree.stdoutText)")
    }

    static let homeOps = TestPaths.fixtures.appendingPathComponent("repos/home-ops")
    static let homeOpsArguments = ["--path", "kubernetes/flux/cluster", "--url", "ssh://git@github.com/me/home-ops",
                                   "--age-key", demoKey]

    /// A home-ops repository keeps its cluster at kubernetes/flux/cluster, already has a
    /// .sops.yaml rule for the key and declares the flux-system Namespace itself (in cluster-apps):
    /// bootstrap writes flux-system/ there with a stand-in that does not declare the Namespace
    /// again, leaves .sops.yaml alone, the result validates, `tree` shows cluster-apps and the
    /// app layers under the new root, and a second run is a no-op.
    @Test func homeOpsRepositoryGetsFluxSystemUnderItsClusterPath() throws {
        let (checkout, _) = try Self.checkoutWithRemote(copying: Self.homeOps)
        let before = try Self.snapshot(checkout.url)
        let arguments = Self.homeOpsArguments + ["--no-apply", "--commit-author", "Fleet Bot <bot@example.com>"]
        let result = try Base.bootstrap(arguments, in: checkout.url)
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stderrText.contains("""
            ✔ generated component manifests
            ✔ left Namespace/flux-system out of the component manifests: the repository declares it in \
            Kustomization/flux-system/cluster-apps (./kubernetes/apps)

            """), "\(result.stderrText)")
        try Self.expectGolden("home-ops", root: checkout.url, before: before)
        #expect(try Base.git(["log", "--format=%an <%ae> %s"], in: checkout.url).split(separator: "\n")
                == ["Fleet Bot <bot@example.com> Add Flux sync manifests", "Fleet Bot <bot@example.com> Add Flux component manifests",
                    "Platform Team <platform@example.com> Initial commit"])
        let tree = try ProcessRunner.gitopsctl(["tree", "ks", "flux-system", "--path", "kubernetes/flux/cluster"],
                                               environment: Base.environment, in: checkout.url)
        #expect(tree.status == 0, "\(tree.stderrText)")
        for layer in ["├── Kustomization/flux-system/cluster-apps\n", "│   ├── Kustomization/cert-manager/cert-manager\n",
                      "│   │   ├── HelmRelease/cert-manager/cert-manager", "GitRepository/flux-system/flux-system\n"] {
            #expect(tree.stdoutText.contains(layer), "\(layer) not in \(tree.stdoutText)")
        }
        // The Namespace has one owner, cluster-apps, not the root too.
        #expect(!tree.stdoutText.contains("\n├── Namespace/flux-system\n"))
        #expect(tree.stdoutText.contains("\n│   ├── Namespace/flux-system\n"))
        let validate = try ProcessRunner.gitopsctl(["validate"], environment: Base.environment, in: checkout.url)
        #expect(validate.status == 0, "\(validate.stdoutText)\(validate.stderrText)")
        let kustomize = try ProcessRunner.run(tool: "kubectl", ["kustomize", "kubernetes/flux/cluster/flux-system"], in: checkout.url)
        #expect(kustomize.status == 0, "\(kustomize.stderrText)")
        #expect(!kustomize.stdoutText.contains("kind: Namespace"))

        let second = try Base.bootstrap(arguments, in: checkout.url)
        #expect(second.status == 0, "\(second.stderrText)")
        #expect(second.stderrText.contains("✔ component manifests are up to date\n"))
        #expect(second.stderrText.contains("✔ already bootstrapped\n"))
        #expect(try Base.git(["rev-list", "--count", "HEAD"], in: checkout.url) == "3")
    }

    /// On the cluster, the Namespace the stand-in leaves out is created before the sops-age
    /// Secret that lives in it; a second run writes nothing.
    @Test func homeOpsBootstrapCreatesTheNamespaceBeforeTheSecret() throws {
        let (checkout, _) = try Self.checkoutWithRemote(copying: Self.homeOps)
        let server = try KubeAPIServer(preloadCRDs: true)
        let arguments = Self.homeOpsArguments + ["--kubeconfig", server.kubeconfig]
        let first = try Base.bootstrap(arguments, in: checkout.url)
        #expect(first.status == 0, "\(first.stderrText)")
        #expect(!first.stderrText.contains("installing components"))
        #expect(first.stderrText.contains("""
            ► creating namespace "flux-system"
            ✔ created namespace "flux-system"
            ► applying decryption secret "flux-system/sops-age"

            """), "\(first.stderrText)")
        #expect(try Self.kubectl(["get", "namespace", "flux-system", "-o", "name"], server) == "namespace/flux-system\n")
        let stored = try Self.kubectl(["get", "-n", "flux-system", "secret/sops-age", "-o", "jsonpath={.data.age\\.agekey}"], server)
        #expect(Data(base64Encoded: stored) == (try Data(contentsOf: URL(fileURLWithPath: Self.demoKey))))
        #expect(try Self.kubectl(["get", "-n", "flux-system", "kustomizations.kustomize.toolkit.fluxcd.io/flux-system",
                                  "-o", "jsonpath={.spec.path} {.spec.decryption.secretRef.name}"], server)
                == "./kubernetes/flux/cluster sops-age")

        let versions = try Self.resourceVersions(server)
        let second = try Base.bootstrap(arguments, in: checkout.url)
        #expect(second.status == 0, "\(second.stderrText)")
        #expect(!second.stderrText.contains("namespace \"flux-system\""))
        #expect(second.stderrText.contains("✔ already bootstrapped\n"))
        #expect(try Self.resourceVersions(server) == versions)
    }

    /// Install manifests given with --components-file are kept as given; when they declare the
    /// Namespace the repository declares too, bootstrap says where both are.
    @Test func givenComponentsThatDuplicateTheNamespaceAreKeptWithAWarning() throws {
        let (checkout, _) = try Self.checkoutWithRemote(copying: Self.homeOps)
        let components = try TemporaryDirectory(prefix: "bootstrap-components")
        let file = try components.write("gotk-components.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n")
        let result = try Base.bootstrap(Self.homeOpsArguments + ["--no-apply", "--components-file", file.path], in: checkout.url)
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stderrText.contains("""
            ⚠️ Namespace/flux-system is declared both in kubernetes/flux/cluster/flux-system/gotk-components.yaml and in \
            Kustomization/flux-system/cluster-apps (./kubernetes/apps)
            """), "\(result.stderrText)")
        #expect(try Data(contentsOf: checkout.path("kubernetes/flux/cluster/flux-system/gotk-components.yaml"))
                == (try Data(contentsOf: file)))
        let validate = try ProcessRunner.gitopsctl(["validate"], environment: Base.environment, in: checkout.url)
        #expect(validate.status == 1)
        #expect((validate.stdoutText + validate.stderrText).contains(
            "Namespace/flux-system is applied by both Kustomization/flux-system/cluster-apps and Kustomization/flux-system/flux-system"),
                "\(validate.stdoutText)")
    }

    /// Bad input from the command line: each stops with one clear line and commits nothing.
    @Test func badInputStopsBeforeAnyCommit() throws {
        let (checkout, _) = try Self.checkoutWithRemote()
        let base = ["--path", "clusters/x", "--url", "ssh://git@github.com/acme/fleet", "--no-apply"]

        let bad = TestPaths.fixtures.appendingPathComponent("bootstrap/bad-identity.txt").path
        let key = try Base.bootstrap(base + ["--age-key", bad], in: checkout.url)
        #expect(key.status == 1)
        #expect(key.stderrText == "✗ \(bad):3: not an age identity: invalid character\n")
        #expect(!key.stderrText.contains("AGE-SECRET-KEY"))

        try checkout.write("clusters/x/flux-system/kustomization.yaml", "resources: []\n")
        try checkout.write(".gitignore", "*.log\n")
        try Base.git(["add", ".gitignore"], in: checkout.url)
        try checkout.write("unrelated.txt", "not bootstrap's\n")
        let dirty = try Base.bootstrap(base + ["--age-key", Self.demoKey], in: checkout.url)
        #expect(dirty.status == 1)
        #expect(dirty.stderrText == """
            ✗ uncommitted changes in files bootstrap writes: .gitignore, clusters/x/flux-system/kustomization.yaml
              commit or stash them first

            """)
        #expect(try Base.git(["rev-list", "--count", "HEAD"], in: checkout.url) == "1")
    }

    /// An existing sops-age Secret with another identity is never silently replaced.
    @Test func aDifferentKeyInTheClusterIsRefusedUnlessForced() throws {
        let (checkout, _) = try Self.checkoutWithRemote()
        let server = try KubeAPIServer(preloadCRDs: true)
        let other = try TemporaryDirectory(prefix: "bootstrap-other-key")
        let otherKey = other.path("other.agekey").path
        #expect(try ProcessRunner.run(tool: "age-keygen", ["-o", otherKey]).status == 0)
        try server.applySopsAgeSecret(try String(contentsOfFile: otherKey, encoding: .utf8))
        let arguments = ["--path", "clusters/x", "--url", "ssh://git@github.com/acme/fleet", "--age-key", Self.demoKey,
                         "--kubeconfig", server.kubeconfig]

        let refused = try Base.bootstrap(arguments, in: checkout.url)
        #expect(refused.status == 1)
        #expect(refused.stderrText.hasPrefix("✗ Secret flux-system/sops-age already holds a different age identity\n"))
        #expect(refused.stderrText.contains("pass --force to replace it"))
        #expect(try Base.git(["rev-list", "--count", "HEAD"], in: checkout.url) == "1")
        let kept = try Self.kubectl(["get", "-n", "flux-system", "secret/sops-age", "-o", "jsonpath={.data.age\\.agekey}"], server)
        #expect(Data(base64Encoded: kept) == (try Data(contentsOf: URL(fileURLWithPath: otherKey))))

        let forced = try Base.bootstrap(arguments + ["--force"], in: checkout.url)
        #expect(forced.status == 0, "\(forced.stderrText)")
        let replaced = try Self.kubectl(["get", "-n", "flux-system", "secret/sops-age", "-o", "jsonpath={.data.age\\.agekey}"], server)
        #expect(Data(base64Encoded: replaced) == (try Data(contentsOf: URL(fileURLWithPath: Self.demoKey))))
    }

    /// --generate-age-key writes a 0600 identity outside the checkout and never commits it;
    /// a key that git would track is refused before anything is written.
    @Test func generatedKeyStaysOutOfGitAndATrackableKeyIsRefused() throws {
        let (checkout, _) = try Self.checkoutWithRemote()
        let inside = checkout.path("cluster-key.txt").path
        try FileManager.default.copyItem(atPath: Self.demoKey, toPath: inside)
        let refused = try Base.bootstrap(["--path", "clusters/x", "--url", "u", "--age-key", inside, "--no-apply"], in: checkout.url)
        #expect(refused.status == 1)
        #expect(refused.stderrText.hasPrefix("✗ the age identity \(inside) is inside the repository and would be committed\n"))
        #expect(try Base.git(["rev-list", "--count", "HEAD"], in: checkout.url) == "1")
        try FileManager.default.removeItem(atPath: inside)

        let generated = try Base.bootstrap(["--path", "clusters/x", "--url", "u", "--generate-age-key", "--no-apply"], in: checkout.url)
        #expect(generated.status == 0, "\(generated.stderrText)")
        let keyPath = Base.home.appendingPathComponent("config/gitopsctl/age/\(checkout.url.lastPathComponent)-x.agekey").path
        defer { try? FileManager.default.removeItem(atPath: keyPath) }
        let mode = try FileManager.default.attributesOfItem(atPath: keyPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let recipient = try ProcessRunner.run(tool: "age-keygen", ["-y", keyPath]).stdoutText
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(generated.stderrText.contains("✔ age recipient: \(recipient)\n"))
        #expect(try Base.git(["show", "HEAD:.sops.yaml"], in: checkout.url).contains("age: \(recipient)"))
        #expect(try Base.git(["show", "HEAD:.gitignore"], in: checkout.url) == "*.agekey")
        #expect(!(try Base.git(["log", "-p", "--all"], in: checkout.url)).contains("AGE-SECRET-KEY-"))
    }

    /// With --components-file holding the Flux CRDs, a cluster that has none gets them first
    /// (waited for until Established), then the sync objects of those kinds; the commit message
    /// names the version from the file's header, as flux's does.
    @Test func componentsFileInstallsTheCRDsOnABareCluster() throws {
        let (checkout, _) = try Self.checkoutWithRemote()
        let server = try KubeAPIServer()
        var components = "---\n# This manifest was generated by flux. DO NOT EDIT.\n# Flux Version: v2.9.4\n"
            + "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n"
        for crd in ["source.toolkit.fluxcd.io_gitrepositories", "kustomize.toolkit.fluxcd.io_kustomizations"] {
            components += "---\n" + (try String(contentsOf: TestPaths.crds.appendingPathComponent("\(crd).yaml"), encoding: .utf8))
        }
        let file = try checkout.write("../\(checkout.url.lastPathComponent)-components.yaml", components)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try Base.bootstrap(["--path", "clusters/c1", "--url", "ssh://git@github.com/acme/fleet",
                                         "--age-key", Self.demoKey, "--components-file", file.path,
                                         "--kubeconfig", server.kubeconfig], in: checkout.url)
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stderrText.contains("► installing components in \"flux-system\" namespace\n✔ installed components\n"))
        #expect(try Base.git(["log", "--format=%s"], in: checkout.url).split(separator: "\n")
                == ["Add Flux sync manifests", "Add Flux v2.9.4 component manifests", "Initial commit"])
        #expect(try Base.git(["show", "HEAD~1:clusters/c1/flux-system/gotk-components.yaml"], in: checkout.url)
                == components.trimmingCharacters(in: .newlines))
        let established = try Self.kubectl(["get", "crd", "kustomizations.kustomize.toolkit.fluxcd.io", "-o",
                                            "jsonpath={.status.conditions[?(@.type=='Established')].status}"], server)
        #expect(established == "True")
        #expect(try Self.kubectl(["get", "-n", "flux-system", "kustomizations.kustomize.toolkit.fluxcd.io/flux-system",
                                  "-o", "jsonpath={.spec.decryption.secretRef.name}"], server) == "sops-age")
    }

    /// Existing kustomization.yaml, .sops.yaml and .gitignore are extended, never rewritten:
    /// every original line stays, in place, and only the decryption patch, the rule for the
    /// new recipient and the ignore entry are added.
    @Test func existingFilesAreEditedSurgically() throws {
        let (checkout, _) = try Self.checkoutWithRemote()
        let kustomization = try String(contentsOf: TestPaths.fixtures.appendingPathComponent("bootstrap/kustomization-with-comments.yaml"),
                                       encoding: .utf8)
        try checkout.write("clusters/x/flux-system/kustomization.yaml", kustomization)
        let sops = """
            # Platform rules.
            creation_rules:
                # Old cluster key.
                -   path_regex: old/.*\\.yaml$
                    age: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
            # end

            """
        try checkout.write(".sops.yaml", sops)
        try checkout.write(".gitignore", "*.log\n# editors\n.idea/")
        try Base.git(["add", "-A"], in: checkout.url)
        try Base.git(["commit", "-q", "-m", "Existing files"], in: checkout.url)

        let result = try Base.bootstrap(["--path", "clusters/x", "--url", "ssh://git@github.com/acme/fleet",
                                         "--age-key", Self.demoKey, "--no-apply"], in: checkout.url)
        #expect(result.status == 0, "\(result.stderrText)")
        // Only added lines in the two YAML files (git counts no deleted line), each original line kept.
        let numstat = try Base.git(["diff", "--numstat", "HEAD~1", "HEAD", "--", "clusters/x/flux-system/kustomization.yaml",
                                    ".sops.yaml"], in: checkout.url)
        #expect(numstat == "3\t0\t.sops.yaml\n12\t0\tclusters/x/flux-system/kustomization.yaml", "\(numstat)")
        // The ignore file's last line gains the newline it lacked, then the entry.
        let ignore = try Data(contentsOf: checkout.path(".gitignore"))
        #expect(ignore == Data("*.log\n# editors\n.idea/\n*.agekey\n".utf8))
        let newSops = try String(contentsOf: checkout.path(".sops.yaml"), encoding: .utf8)
        #expect(newSops == sops.replacingOccurrences(of: "# end\n", with: """
                - path_regex: .+\\.sops\\.ya?ml$
                  encrypted_regex: ^(data|stringData)$
                  age: age1qfmp7u393yr8nwtd6dmxtvu0jqmd76fa0dq5fjj8es7addc6cp4sw7wvpw
            # end

            """), "\(newSops)")
        let newKustomization = try Base.git(["show", "HEAD:clusters/x/flux-system/kustomization.yaml"], in: checkout.url) + "\n"
        #expect(newKustomization.hasPrefix(kustomization))
        // kustomize builds it with the decryption stanza on the flux-system Kustomization.
        let build = try ProcessRunner.run(tool: "kubectl", ["kustomize", "clusters/x/flux-system"], in: checkout.url)
        #expect(build.status == 0, "\(build.stderrText)")
        #expect(build.stdoutText.contains("  decryption:\n    provider: sops\n    secretRef:\n      name: sops-age\n"))
    }
}
