import Foundation
import Testing
import TestSupport

/// `gitopsctl bootstrap` as a user runs it: the built binary on a real git checkout (the sample
/// repository, and an empty one) against the loopback API server, then `validate` and `tree`
/// on the result.
@Suite("bootstrap command", .serialized)
struct BootstrapCommandTests {
    /// A home without git configuration, so only the repository's own user.name/user.email count.
    static let home: URL = {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("gitopsctl-bootstrap-home-\(getpid())")
        // A failure here surfaces as a failing git or gitopsctl call below.
        try? FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        return home
    }()

    static var environment: [String: String?] {
        ["HOME": home.path, "XDG_CONFIG_HOME": home.appendingPathComponent("config").path, "GIT_CONFIG_NOSYSTEM": "1",
         "GIT_CONFIG_GLOBAL": "/dev/null", "KUBECONFIG": nil, "NO_COLOR": "1"]
    }

    @discardableResult
    static func git(_ arguments: [String], in directory: URL) throws -> String {
        let result = try ProcessRunner.run(tool: "git", arguments, environment: environment, in: directory)
        try #require(result.status == 0, "git \(arguments.joined(separator: " ")): \(result.stderrText)")
        return result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A checkout holding `files` (a copy of a directory), committed on main.
    static func checkout(copying source: URL? = nil) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory(prefix: "bootstrap-checkout")
        if let source {
            for item in try FileManager.default.contentsOfDirectory(atPath: source.path) {
                try FileManager.default.copyItem(at: source.appendingPathComponent(item),
                                                 to: directory.path(item))
            }
        } else {
            try directory.write("README.md", "# fleet\n")
        }
        try git(["init", "-q", "-b", "main"], in: directory.url)
        try git(["config", "user.name", "Platform Team"], in: directory.url)
        try git(["config", "user.email", "platform@example.com"], in: directory.url)
        try git(["add", "-A"], in: directory.url)
        try git(["commit", "-q", "-m", "Initial commit"], in: directory.url)
        return directory
    }

    static func bootstrap(_ arguments: [String], in directory: URL) throws -> ProcessResult {
        try ProcessRunner.gitopsctl(["bootstrap"] + arguments, environment: environment, in: directory)
    }

    /// The sample repository was laid out as flux bootstrap leaves it, with the demo key's rules:
    /// bootstrapping it only adds the `*.agekey` ignore entry, then applies, and the result
    /// validates and shows its layers in `tree`.
    @Test func sampleRepositoryBootstrapsValidatesAndReRunsAsANoOp() throws {
        let repository = try Self.checkout(copying: TestPaths.examples.appendingPathComponent("platform"))
        let server = try KubeAPIServer(preloadCRDs: true)
        let key = TestPaths.examples.appendingPathComponent("demo-age-key.txt").path
        let arguments = ["--path", "clusters/production", "--url", "ssh://git@github.com/example-org/platform",
                         "--age-key", key, "--kubeconfig", server.kubeconfig]

        let first = try Self.bootstrap(arguments, in: repository.url)
        #expect(first.status == 0, "\(first.stderrText)")
        #expect(first.stdoutText.isEmpty)
        #expect(first.stderrText.contains("✔ component manifests are up to date\n"))
        #expect(first.stderrText.contains("► installing components in \"flux-system\" namespace\n"))
        #expect(first.stderrText.contains("► applying decryption secret \"flux-system/sops-age\"\n"))
        #expect(first.stderrText.contains("✔ reconciled sync configuration\n"))
        #expect(try Self.git(["log", "--format=%s"], in: repository.url) == "Add Flux sync manifests\nInitial commit")
        #expect(try Self.git(["show", "--format=", "--name-only", "HEAD"], in: repository.url) == ".gitignore")

        let secrets = try ProcessRunner.run(tool: "kubectl", ["get", "secret", "sops-age", "-n", "flux-system",
                                                               "-o", "jsonpath={.data.age\\.agekey}"],
                                            environment: ["KUBECONFIG": server.kubeconfig])
        #expect(Data(base64Encoded: secrets.stdoutText) == (try Data(contentsOf: URL(fileURLWithPath: key))))

        let validate = try ProcessRunner.gitopsctl(["validate"], environment: Self.environment, in: repository.url)
        #expect(validate.status == 0, "\(validate.stdoutText)\(validate.stderrText)")
        let tree = try ProcessRunner.gitopsctl(["tree", "ks", "flux-system", "--path", "clusters/production"],
                                               environment: Self.environment, in: repository.url)
        #expect(tree.status == 0)
        for layer in ["Kustomization/flux-system/infra-controllers", "Kustomization/flux-system/infra-configs",
                      "Kustomization/flux-system/tenants"] {
            #expect(tree.stdoutText.contains(layer))
        }

        let second = try Self.bootstrap(arguments, in: repository.url)
        #expect(second.status == 0)
        #expect(second.stderrText.contains("✔ already bootstrapped\n"))
        #expect(try Self.git(["rev-list", "--count", "HEAD"], in: repository.url) == "2")
    }

    @Test func emptyRepositoryGetsFluxFilesAndAGeneratedKeyWithoutACluster() throws {
        let repository = try Self.checkout()
        let result = try Self.bootstrap(["--path", "clusters/staging", "--url", "ssh://git@github.com/acme/fleet",
                                         "--generate-age-key", "--no-apply"], in: repository.url)
        #expect(result.status == 0, "\(result.stderrText)")
        let keyPath = Self.home.appendingPathComponent("config/gitopsctl/age/\(repository.url.lastPathComponent)-staging.agekey").path
        #expect(result.stderrText.contains("age identity written to \(keyPath) (mode 0600)"))
        #expect(!result.stderrText.contains("AGE-SECRET-KEY-"))
        #expect(try Self.git(["log", "--format=%an <%ae> %s"], in: repository.url).split(separator: "\n") == [
            "Platform Team <platform@example.com> Add Flux sync manifests",
            "Platform Team <platform@example.com> Add Flux component manifests",
            "Platform Team <platform@example.com> Initial commit"])
        #expect(try Self.git(["ls-files"], in: repository.url).split(separator: "\n") == [
            ".gitignore", ".sops.yaml", "README.md", "clusters/staging/flux-system/gotk-components.yaml",
            "clusters/staging/flux-system/gotk-sync.yaml", "clusters/staging/flux-system/kustomization.yaml"])
        let validate = try ProcessRunner.gitopsctl(["validate"], environment: Self.environment, in: repository.url)
        #expect(validate.status == 0, "\(validate.stdoutText)\(validate.stderrText)")
        try? FileManager.default.removeItem(atPath: keyPath)
    }

    @Test(arguments: [
        (["--path", "c/x", "--no-apply"], "✗ no age key: give --age-key FILE or --generate-age-key"),
        (["--path", "c/x", "--no-apply", "--generate-age-key", "--age-key", "k"],
         "✗ --age-key and --generate-age-key cannot be used together"),
    ])
    func missingOrConflictingKeyOptionsFail(arguments: [String], message: String) throws {
        let repository = try Self.checkout()
        let result = try Self.bootstrap(arguments, in: repository.url)
        #expect(result.status == 1)
        #expect(result.stderrText.hasPrefix(message))
    }

    @Test func anUnreachableClusterFailsWithAHintAndNoCommit() throws {
        let repository = try Self.checkout()
        let server = try KubeAPIServer()
        let kubeconfig = try String(contentsOfFile: server.kubeconfig, encoding: .utf8)
        let elsewhere = try repository.write("../\(repository.url.lastPathComponent)-kubeconfig",
                                             kubeconfig.replacingOccurrences(of: server.server, with: "https://127.0.0.1:1"))
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let key = TestPaths.examples.appendingPathComponent("demo-age-key.txt").path
        let result = try Self.bootstrap(["--path", "clusters/x", "--url", "u", "--age-key", key,
                                         "--kubeconfig", elsewhere.path], in: repository.url)
        #expect(result.status == 1)
        #expect(result.stderrText.contains("✗ cannot reach the cluster: "))
        #expect(result.stderrText.contains("nothing was committed"))
        #expect(try Self.git(["rev-list", "--count", "HEAD"], in: repository.url) == "1")
        #expect(try Self.git(["status", "--porcelain"], in: repository.url).isEmpty)
    }

    @Test func outsideAGitRepositoryItSaysSo() throws {
        let plain = try TemporaryDirectory(prefix: "bootstrap-plain")
        let key = TestPaths.examples.appendingPathComponent("demo-age-key.txt").path
        let result = try Self.bootstrap(["--path", "c/x", "--age-key", key, "--no-apply", "--url", "u"], in: plain.url)
        #expect(result.status == 1)
        #expect(result.stderrText == "✗ \(plain.url.path) is not inside a git repository\n")
    }
}
