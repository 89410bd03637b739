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

/// A real OpenSSH server on a loopback port, serving the current user's repositories with a
/// key made for the test; stopped when the value goes away.
final class LocalSSHD: @unchecked Sendable {
    let directory: TemporaryDirectory
    let port: Int
    let user: String
    /// The client key the server accepts.
    let clientKey: String
    /// The server's key as a known_hosts line (`[127.0.0.1]:PORT ssh-ed25519 …`).
    let knownHostsLine: String

    init() throws {
        directory = try TemporaryDirectory(prefix: "bootstrap-sshd")
        let hostKey = directory.path("host_ed25519").path
        clientKey = directory.path("client_ed25519").path
        for key in [hostKey, clientKey] {
            let made = try ProcessRunner.run(tool: "ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key])
            try #require(made.status == 0, "ssh-keygen: \(made.stderrText)")
        }
        try FileManager.default.copyItem(atPath: clientKey + ".pub", toPath: directory.path("authorized_keys").path)
        user = try ProcessRunner.run(tool: "id", ["-un"]).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        let free = try ProcessRunner.run(tool: "python3", ["-c", "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])"])
        port = try #require(Int(free.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)))
        let config = try directory.write("sshd_config", """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(hostKey)
            AuthorizedKeysFile \(directory.path("authorized_keys").path)
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            PermitRootLogin prohibit-password
            PidFile \(directory.path("sshd.pid").path)

            """)
        // sshd checks for its privilege separation directory when started as root.
        if getuid() == 0 { try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true) }
        try LocalSSHD.startDetached(["/usr/sbin/sshd", "-D", "-f", config.path, "-E", directory.path("sshd.log").path],
                                    pidFile: directory.path("sshd.pid").path)
        // Ready once it answers a key scan; the scan's line is what known_hosts needs.
        var line = ""
        for _ in 0..<100 where line.isEmpty {
            let scan = try ProcessRunner.run(tool: "ssh-keyscan", ["-t", "ed25519", "-p", "\(port)", "127.0.0.1"])
            line = scan.stdoutText.split(separator: "\n").first { !$0.hasPrefix("#") }.map(String.init) ?? ""
            if line.isEmpty { usleep(100_000) }
        }
        knownHostsLine = line
        try #require(!line.isEmpty, "sshd did not start on port \(port)")
    }

    /// An ssh:// URL of `path` on this server.
    func url(_ path: String) -> String { "ssh://\(user)@127.0.0.1:\(port)\(path)" }

    deinit {
        LocalSSHD.stop(pidFile: directory.path("sshd.pid").path)
    }

    /// Starts a long-running program with every inherited descriptor closed, writing its pid to
    /// `pidFile`. Foundation's Process notices a child's exit only when every holder of a socket
    /// it hands the child has closed it, so a server started through it directly (or a daemon
    /// forked by it) would keep every later ProcessRunner call from returning.
    static func startDetached(_ command: [String], pidFile: String) throws {
        let script = """
            import subprocess, sys
            p = subprocess.Popen(sys.argv[2:], close_fds=True, start_new_session=True,
                                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            open(sys.argv[1], "w").write(str(p.pid))
            """
        let started = try ProcessRunner.run(tool: "python3", ["-c", script, pidFile] + command)
        try #require(started.status == 0, "\(command[0]): \(started.stderrText)")
    }

    /// Kills the process whose id the file holds. SIGKILL: a child inherits the test runner's
    /// blocked-signal mask, and ssh-agent never unblocks SIGTERM again.
    static func stop(pidFile: String) {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
              let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return }
        kill(pid, SIGKILL)
    }
}

/// `--push` over SSH to a real sshd: with --private-key-file, with ssh-agent, and refused with a
/// hint when the host key is unknown.
extension BootstrapCommandTests {
    /// The environment with HOME at a directory whose ~/.ssh/known_hosts holds `knownHosts`.
    static func sshEnvironment(knownHosts: String, extra: [String: String?] = [:]) throws -> ([String: String?], TemporaryDirectory) {
        let home = try TemporaryDirectory(prefix: "bootstrap-ssh-home")
        try home.write(".ssh/known_hosts", knownHosts)
        var environment = Self.environment
        environment["HOME"] = home.url.path
        environment["SSH_AUTH_SOCK"] = nil
        for (key, value) in extra { environment[key] = value }
        return (environment, home)
    }

    /// A checkout whose origin is a new bare repository served by `sshd`.
    static func sshCheckout(_ sshd: LocalSSHD) throws -> (checkout: TemporaryDirectory, remote: TemporaryDirectory) {
        let remote = try TemporaryDirectory(prefix: "bootstrap-ssh-remote")
        try Self.git(["init", "-q", "--bare", "-b", "main"], in: remote.url)
        let checkout = try Self.checkout()
        try Self.git(["remote", "add", "origin", sshd.url(remote.url.path)], in: checkout.url)
        return (checkout, remote)
    }

    @Test func pushOverSSHWithAPrivateKeyFileOrSSHAgent() throws {
        let sshd = try LocalSSHD()
        let key = TestPaths.examples.appendingPathComponent("demo-age-key.txt").path

        // --private-key-file
        let (repository, remote) = try Self.sshCheckout(sshd)
        let (environment, home) = try Self.sshEnvironment(knownHosts: sshd.knownHostsLine + "\n")
        let pushed = try ProcessRunner.gitopsctl(["bootstrap", "--path", "clusters/dev", "--age-key", key, "--no-apply",
                                                  "--push", "--private-key-file", sshd.clientKey],
                                                 environment: environment, in: repository.url)
        #expect(pushed.status == 0, "\(pushed.stderrText)")
        #expect(pushed.stderrText.contains("► pushing to \"\(sshd.url(remote.url.path))\"\n✔ pushed\n"))
        #expect(try Self.git(["log", "--format=%s", "main"], in: remote.url) == "Add Flux sync manifests\nAdd Flux component manifests\nInitial commit")
        #expect(try Self.git(["rev-parse", "main"], in: remote.url) == (try Self.git(["rev-parse", "HEAD"], in: repository.url)))
        _ = home

        // ssh-agent: the key is offered by a running agent, no --private-key-file.
        let agentDirectory = try TemporaryDirectory(prefix: "bootstrap-agent")
        let socket = agentDirectory.path("agent.sock").path
        try LocalSSHD.startDetached(["/usr/bin/ssh-agent", "-D", "-a", socket], pidFile: agentDirectory.path("agent.pid").path)
        defer { LocalSSHD.stop(pidFile: agentDirectory.path("agent.pid").path) }
        var added: ProcessResult?
        for _ in 0..<100 where added?.status != 0 {
            if added != nil { usleep(100_000) }
            added = try ProcessRunner.run(tool: "ssh-add", ["-q", sshd.clientKey], environment: ["SSH_AUTH_SOCK": socket])
        }
        try #require(added?.status == 0, "ssh-add: \(added?.stderrText ?? "")")
        let (other, agentRemote) = try Self.sshCheckout(sshd)
        let (agentEnvironment, agentHome) = try Self.sshEnvironment(knownHosts: sshd.knownHostsLine + "\n",
                                                                    extra: ["SSH_AUTH_SOCK": socket])
        let viaAgent = try ProcessRunner.gitopsctl(["bootstrap", "--path", "clusters/dev", "--age-key", key, "--no-apply", "--push"],
                                                   environment: agentEnvironment, in: other.url)
        #expect(viaAgent.status == 0, "\(viaAgent.stderrText)")
        #expect(try Self.git(["rev-parse", "main"], in: agentRemote.url) == (try Self.git(["rev-parse", "HEAD"], in: other.url)))
        _ = agentHome
    }

    @Test func pushToAnSSHHostWithAnUnknownKeyIsRefusedWithAHint() throws {
        let sshd = try LocalSSHD()
        let key = TestPaths.examples.appendingPathComponent("demo-age-key.txt").path
        let (repository, remote) = try Self.sshCheckout(sshd)
        // known_hosts names another key for this host.
        let (environment, home) = try Self.sshEnvironment(
            knownHosts: "[127.0.0.1]:\(sshd.port) ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHWwQ2sGUtgVoOTXa218POmrWr1Lfrx7rChJBqfBj28e\n")
        let result = try ProcessRunner.gitopsctl(["bootstrap", "--path", "clusters/dev", "--age-key", key, "--no-apply",
                                                  "--push", "--private-key-file", sshd.clientKey],
                                                 environment: environment, in: repository.url)
        #expect(result.status == 1)
        #expect(result.stderrText.contains("""
            ✗ cannot push to \(sshd.url(remote.url.path)): the SSH host key is not in ~/.ssh/known_hosts or does not match it
              check the host's key fingerprint, then add it: ssh-keyscan -p \(sshd.port) 127.0.0.1 >> ~/.ssh/known_hosts; \
            the commits are on the local branch: run again with --push (or git push) once fixed

            """), "\(result.stderrText)")
        #expect(try Self.git(["rev-list", "--all", "--count"], in: remote.url) == "0")
        _ = home
    }
}
