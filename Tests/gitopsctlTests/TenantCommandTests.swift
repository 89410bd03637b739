import Foundation
import Testing
import TestSupport

/// `gitopsctl tenant add|list|remove` run as a user runs them, on a git checkout of the
/// sample platform repository.
@Suite struct TenantCommandTests {
    /// A git repository holding a copy of examples/platform, committed once.
    struct Checkout {
        let directory: TemporaryDirectory
        var root: URL { directory.url.appendingPathComponent("platform") }

        init() throws {
            directory = try TemporaryDirectory(prefix: "gitopsctl-tenant-cli")
            try FileManager.default.copyItem(at: TestPaths.examples.appendingPathComponent("platform"), to: root)
            for arguments in [["init", "-q"], ["config", "user.name", "Platform Team"],
                              ["config", "user.email", "platform@example.com"], ["add", "-A"], ["commit", "-qm", "init"]] {
                let result = try git(arguments)
                guard result.status == 0 else { throw CocoaError(.fileWriteUnknown) }
            }
        }

        func git(_ arguments: [String]) throws -> ProcessResult {
            try ProcessRunner.run(tool: "git", ["-c", "init.defaultBranch=main"] + arguments, in: root)
        }

        func run(_ arguments: [String], in directory: URL? = nil) throws -> ProcessResult {
            try ProcessRunner.gitopsctl(arguments, environment: ["NO_COLOR": "1"], in: directory ?? root)
        }

        func text(_ path: String) throws -> String {
            try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        }

        func exists(_ path: String) -> Bool {
            FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path)
        }
    }

    static let fullAdd = [
        "tenant", "add", "acme", "--owner", "Group:acme-admins,User:alice", "--namespace-quota", "5",
        "--cpu-requests", "4", "--cpu-limits", "8", "--memory-requests", "8Gi", "--memory-limits", "16Gi",
        "--gateway-host", "*.acme.example.com", "--issuer", "letsencrypt-production",
        "--apps-repo", "https://git.example.com/acme/apps.git", "--apps-interval", "10m",
    ]

    /// What `tenant add` writes joins the repository's Flux graph cleanly: the tenants
    /// Kustomization still builds, and nothing it adds is a problem `validate` reports.
    @Test func addedTenantPassesValidate() throws {
        let checkout = try Checkout()
        let added = try checkout.run(Self.fullAdd)
        #expect(added.status == 0, "\(added.stderrText)")
        let keyFile = TestPaths.examples.appendingPathComponent("demo-age-key.txt").path
        let validate = try ProcessRunner.gitopsctl(["validate", "-o", "json"],
                                                   environment: ["NO_COLOR": "1", "SOPS_AGE_KEY_FILE": keyFile],
                                                   in: checkout.root)
        #expect(validate.status == 0, "\(validate.stdoutText)\(validate.stderrText)")
        let tree = try checkout.run(["tree", "ks", "tenants"])
        #expect(tree.stdoutText.contains("Tenant/acme"), "\(tree.stdoutText)")
        #expect(tree.stdoutText.contains("Kustomization/acme-system/acme-apps"), "\(tree.stdoutText)")
    }

    @Test func addWithCommitIsReadableWithGitShowStat() throws {
        try #require(ProcessRunner.has(tool: "git"))
        let checkout = try Checkout()
        let result = try checkout.run(Self.fullAdd + ["--commit"])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText == """
            create  tenants/acme/tenant.yaml
            create  tenants/acme/gateway.yaml
            create  tenants/acme/apps.yaml
            create  tenants/acme/kustomization.yaml
            create  tenants/acme/secrets/.gitkeep  (keep secrets/ for SOPS-encrypted Secrets)
            modify  tenants/kustomization.yaml  (register acme)

            """)
        #expect(result.stderrText.contains("► adding tenant acme\n"))
        #expect(result.stderrText.contains("✔ tenant acme added\n"))
        let show = try checkout.git(["show", "--stat", "--format=%s", "HEAD"])
        #expect(show.stdoutText.hasPrefix("Add tenant acme\n"))
        #expect(show.stdoutText.contains("6 files changed"))
        // Registration is one inserted line.
        #expect(show.stdoutText.split(separator: "\n").contains { $0.hasPrefix(" tenants/kustomization.yaml ") && $0.hasSuffix(" 1 +") && $0.contains("|") })
        #expect(try checkout.git(["status", "--porcelain"]).stdoutText.isEmpty)
        let build = try ProcessRunner.run(tool: "kubectl", ["kustomize", "tenants"], in: checkout.root)
        #expect(build.status == 0, "\(build.stderrText)")
        #expect(build.stdoutText.contains("name: acme-wildcard-tls"))
    }

    @Test func secondAddIsRefusedWithAClearMessage() throws {
        let checkout = try Checkout()
        #expect(try checkout.run(["tenant", "add", "acme", "--owner", "User:alice"]).status == 0)
        let before = try checkout.text("tenants/kustomization.yaml")
        let second = try checkout.run(["tenant", "add", "acme", "--owner", "User:bob"])
        #expect(second.status == 1)
        #expect(second.stderrText.hasPrefix("✗ tenant acme already exists (tenants/acme)\n"))
        #expect(second.stdoutText.isEmpty)
        #expect(try checkout.text("tenants/kustomization.yaml") == before)
    }

    @Test func dryRunPrintsADiffAndWritesNothing() throws {
        let checkout = try Checkout()
        let result = try checkout.run(["tenant", "add", "acme", "--owner", "User:alice", "--dry-run"])
        #expect(result.status == 0)
        #expect(result.stdoutText.hasPrefix("--- /dev/null\n+++ b/tenants/acme/tenant.yaml\n@@ -0,0 +1,"))
        #expect(result.stdoutText.contains("""
            --- a/tenants/kustomization.yaml
            +++ b/tenants/kustomization.yaml
            @@ -6,5 +6,6 @@
             # Add a tenant with `gitopsctl tenant add NAME --owner ...`: it writes tenants/NAME/ and
             # appends NAME below, leaving this file's comments alone. Keep the list sorted.
             resources:
            +  - acme
            """))
        #expect(!checkout.exists("tenants/acme"))
        #expect(try checkout.git(["status", "--porcelain"]).stdoutText.isEmpty)
        // The diff applies cleanly with git: it is the change `add` would make.
        let patch = checkout.directory.url.appendingPathComponent("plan.diff")
        try result.stdout.write(to: patch)
        let check = try checkout.git(["apply", "--check", patch.path])
        #expect(check.status == 0, "\(check.stderrText)")
    }

    @Test func jsonPlanNamesEveryChange() throws {
        let checkout = try Checkout()
        let result = try checkout.run(["tenant", "add", "acme", "--owner", "User:alice", "--dry-run", "-o", "json"])
        #expect(result.status == 0)
        let plan = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        #expect(plan["operation"] as? String == "add")
        #expect(plan["tenant"] as? String == "acme")
        #expect(plan["applied"] as? Bool == false)
        let changes = try #require(plan["changes"] as? [[String: String]])
        #expect(changes.map { $0["path"] ?? "" } == ["tenants/acme/tenant.yaml", "tenants/acme/kustomization.yaml",
                                                     "tenants/acme/secrets/.gitkeep", "tenants/kustomization.yaml"])
        #expect(changes.last?["action"] == "modify")
    }

    @Test func listAndRemoveRoundTripRestoresTheRepository() throws {
        try #require(ProcessRunner.has(tool: "git"))
        let checkout = try Checkout()
        #expect(try checkout.run(Self.fullAdd).status == 0)
        let list = try checkout.run(["tenant", "list", "-o", "json"])
        let tenants = try #require(try JSONSerialization.jsonObject(with: list.stdout) as? [[String: Any]])
        #expect(tenants.map { $0["name"] as? String } == ["acme", "xonery"])
        #expect(tenants[0]["namespaceQuota"] as? Int == 5)
        #expect(tenants[0]["gateway"] as? Bool == true && tenants[0]["apps"] as? Bool == true)
        let table = try checkout.run(["tenant", "list"])
        #expect(table.stdoutText.hasPrefix("NAME  \tOWNERS"))
        #expect(table.stdoutText.contains("\nacme  \tGroup:acme-admins,User:alice,ServiceAccount:system:serviceaccount:acme-system:acme-reconciler\t5"))

        let remove = try checkout.run(["tenant", "rm", "acme"])
        #expect(remove.status == 0, "\(remove.stderrText)")
        #expect(try checkout.git(["status", "--porcelain"]).stdoutText.isEmpty)
        #expect(!checkout.exists("tenants/acme"))
    }

    @Test func worksFromASubdirectoryAndWithTenantsDir() throws {
        let checkout = try Checkout()
        let nested = checkout.root.appendingPathComponent("tenants/xonery")
        let list = try checkout.run(["tenant", "list", "-o", "json"], in: nested)
        #expect(list.status == 0)
        let elsewhere = try TemporaryDirectory()
        let explicit = try checkout.run(["tenant", "list", "--repo", checkout.root.path,
                                         "--tenants-dir", checkout.root.appendingPathComponent("tenants").path],
                                        in: elsewhere.url)
        #expect(explicit.status == 0)
        #expect(explicit.stdoutText.contains("xonery"))
    }

    @Test func tenantNamesCompleteWithTheirOwners() throws {
        let checkout = try Checkout()
        #expect(try checkout.run(["tenant", "add", "acme", "--owner", "User:alice"]).status == 0)
        let result = try checkout.run(["__complete", "tenant", "remove", "a"])
        #expect(result.stdoutText == "acme\tUser:alice\n:none\n")
    }

    struct BadInput: Sendable, CustomStringConvertible {
        var arguments: [String]
        var message: String
        var hint: String?
        var description: String { arguments.joined(separator: " ") }
    }

    static let badInputs: [BadInput] = [
        BadInput(arguments: ["tenant", "add", "Acme", "--owner", "User:a"],
                 message: "✗ invalid tenant name 'Acme': only lowercase letters, digits and '-' are allowed"),
        BadInput(arguments: ["tenant", "add", "../etc", "--owner", "User:a"],
                 message: "✗ invalid tenant name '../etc': it must not contain '/' or '..'"),
        BadInput(arguments: ["tenant", "add", "a/b", "--owner", "User:a"],
                 message: "✗ invalid tenant name 'a/b': it must not contain '/' or '..'"),
        BadInput(arguments: ["tenant", "add", "acme", "--owner", "alice"],
                 message: "✗ invalid owner 'alice': an owner needs a kind",
                 hint: "accepted forms: User:NAME, Group:NAME, ServiceAccount:NAMESPACE:NAME"),
        BadInput(arguments: ["tenant", "add", "acme"],
                 message: "✗ a tenant needs at least one owner (--owner)"),
        BadInput(arguments: ["tenant", "add", "acme", "--owner", "User:a", "--memory-limits", "8GB"],
                 message: "✗ --memory-limits: '8GB' is not a Kubernetes quantity", hint: "did you mean 8Gi?"),
        BadInput(arguments: ["tenant", "add", "acme", "--owner", "User:a", "--gateway-host", "acme.example.com"],
                 message: "✗ --gateway-host needs --issuer (the ClusterIssuer of its certificate)"),
        BadInput(arguments: ["tenant", "add", "acme", "--owner", "User:a", "--apps-repo", "git@example.com:a.git"],
                 message: "✗ --apps-repo: 'git@example.com:a.git' is not an http://, https:// or ssh:// URL"),
        BadInput(arguments: ["tenant", "add", "xonery", "--owner", "User:a"],
                 message: "✗ tenant xonery already exists (tenants/xonery)"),
        BadInput(arguments: ["tenant", "remove", "nobody"], message: "✗ no tenant nobody in tenants"),
    ]

    @Test(arguments: badInputs)
    func badInputIsRefusedBeforeAnythingIsWritten(_ input: BadInput) throws {
        let checkout = try Checkout()
        let result = try checkout.run(input.arguments)
        #expect(result.status == 1)
        #expect(result.stderrText.hasPrefix(input.message + "\n"), "\(result.stderrText)")
        if let hint = input.hint { #expect(result.stderrText.contains(hint)) }
        #expect(result.stdoutText.isEmpty)
        #expect(try checkout.git(["status", "--porcelain"]).stdoutText.isEmpty)
    }

    @Test func commitOutsideAGitRepositoryIsRefusedBeforeWriting() throws {
        let directory = try TemporaryDirectory()
        let root = directory.url.appendingPathComponent("platform")
        try FileManager.default.copyItem(at: TestPaths.examples.appendingPathComponent("platform"), to: root)
        let result = try ProcessRunner.gitopsctl(["tenant", "add", "acme", "--owner", "User:a", "--repo", root.path, "--commit"],
                                                 environment: ["NO_COLOR": "1"],
                                                 in: root)
        #expect(result.status == 1)
        #expect(result.stderrText.contains("is not inside a git repository"), "\(result.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("tenants/acme").path))
    }

    @Test func missingTenantsLayoutExplainsWhatWasLookedFor() throws {
        let empty = try TemporaryDirectory()
        let result = try ProcessRunner.gitopsctl(["tenant", "add", "acme", "--owner", "User:a"],
                                                 environment: ["NO_COLOR": "1"], in: empty.url)
        #expect(result.status == 1)
        #expect(result.stderrText.contains("✗ no tenants layout found: looked for "))
        #expect(result.stderrText.contains("tenants/kustomization.yaml"))
        #expect(result.stderrText.contains("--tenants-dir"))
    }
}

/// The built binary on the comment-heavy fixture repository (Tests/Fixtures/tenant/repo), held
/// against the golden files the library tests check: every flag of `tenant add`, and only the
/// owner. Registration edits are read back with git.
extension TenantCommandTests {
    /// A git checkout of a copy of `source`, committed once.
    struct FixtureCheckout {
        let directory: TemporaryDirectory
        var root: URL { directory.url.appendingPathComponent("repo") }

        init(copying source: URL = TestPaths.fixtures.appendingPathComponent("tenant/repo")) throws {
            directory = try TemporaryDirectory(prefix: "gitopsctl-tenant-golden")
            try FileManager.default.copyItem(at: source, to: root)
            for arguments in [["init", "-q", "-b", "main"], ["config", "user.name", "Platform Team"],
                              ["config", "user.email", "platform@example.com"], ["add", "-A"], ["commit", "-qm", "init"]] {
                let result = try git(arguments)
                try #require(result.status == 0, "git \(arguments): \(result.stderrText)")
            }
        }

        func git(_ arguments: [String]) throws -> ProcessResult {
            try ProcessRunner.run(tool: "git", arguments, environment: ["GIT_CONFIG_GLOBAL": "/dev/null"], in: root)
        }

        func run(_ arguments: [String]) throws -> ProcessResult {
            try ProcessRunner.gitopsctl(arguments, environment: ["NO_COLOR": "1"], in: root)
        }

        /// Every file under the root except .git, with its bytes.
        func snapshot() throws -> [String: Data] {
            try BootstrapCommandGoldenTests.snapshot(root)
        }
    }

    static let golden = TestPaths.fixtures.appendingPathComponent("tenant/golden")

    /// Every flag CLI.md lists for `tenant add` (plus --gateway-class), with the values the
    /// every-option golden files were made from; and the bare minimum, one owner.
    static let goldenCases: [(name: String, arguments: [String])] = [
        ("every-option", ["tenant", "add", "green",
                          "--owner", "Group:green-admins,User:alice", "--owner", "ServiceAccount:ci:deployer",
                          "--namespace-quota", "5",
                          "--cpu-requests", "4", "--cpu-limits", "8", "--memory-requests", "8Gi", "--memory-limits", "16Gi",
                          "--default-cpu", "250m", "--default-memory", "256Mi",
                          "--gateway-host", "*.green.example.com", "--issuer", "letsencrypt-production",
                          "--gateway-class", "cilium",
                          "--apps-repo", "https://git.example.com/green/apps.git", "--apps-branch", "production",
                          "--apps-path", "./deploy/production", "--apps-interval", "10m"]),
        ("no-options", ["tenant", "add", "plain", "--owner", "User:bob"]),
    ]

    @Test(arguments: ["every-option", "no-options"])
    func binaryOutputMatchesTheGoldenFiles(_ name: String) throws {
        let arguments = try #require(Self.goldenCases.first { $0.name == name }?.arguments)
        let tenant = arguments[2]
        let checkout = try FixtureCheckout()
        let original = try checkout.snapshot()
        let directory = Self.golden.appendingPathComponent(name)

        // --dry-run prints exactly the golden plan and writes nothing.
        let dryRun = try checkout.run(arguments + ["--dry-run"])
        #expect(dryRun.status == 0, "\(dryRun.stderrText)")
        #expect(dryRun.stdoutText == (try String(contentsOf: directory.appendingPathComponent("plan.diff"), encoding: .utf8)))
        #expect(try checkout.snapshot() == original)

        let added = try checkout.run(arguments)
        #expect(added.status == 0, "\(added.stderrText)")
        // The files written are the golden ones, byte for byte, and nothing else under the tenant.
        let written = try checkout.snapshot().filter { $0.key.hasPrefix("tenants/\(tenant)/") }
        let goldenFiles = try FixtureCheckout.files(under: directory.appendingPathComponent("tenants/\(tenant)"),
                                                    prefix: "tenants/\(tenant)/")
        #expect(written == goldenFiles)
        #expect(written.keys.contains("tenants/\(tenant)/secrets/.gitkeep"))
        // Registration: only added lines in the two shared files, every other byte as it was.
        let numstat = try checkout.git(["diff", "--numstat"]).stdoutText
        #expect(numstat == "3\t0\t.sops.yaml\n1\t0\ttenants/kustomization.yaml\n")
        let registration = try checkout.git(["diff", "-U0", "--", "tenants/kustomization.yaml"]).stdoutText
        #expect(registration.hasSuffix("\n+    - \(tenant)\n"), "\(registration)")
    }

    /// Add with every option, list, remove: the comment-heavy registration files and the whole tree
    /// come back byte for byte, and each step commits with --commit.
    @Test func addListRemoveWithCommitsRestoresTheOriginalBytes() throws {
        let checkout = try FixtureCheckout()
        let original = try checkout.snapshot()
        let arguments = try #require(Self.goldenCases.first?.arguments)
        let added = try checkout.run(arguments + ["--commit"])
        #expect(added.status == 0, "\(added.stderrText)")
        let show = try checkout.git(["show", "--stat", "--format=%s", "HEAD"]).stdoutText
        #expect(show.hasPrefix("Add tenant green\n"))
        #expect(show.contains(" 7 files changed, 182 insertions(+)"), "\(show)")

        let list = try checkout.run(["tenant", "list", "-o", "json"])
        let tenants = try #require(try JSONSerialization.jsonObject(with: list.stdout) as? [[String: Any]])
        #expect(tenants.map { $0["name"] as? String } == ["blue", "green", "orange"])
        let green = tenants[1]
        #expect(green["namespaceQuota"] as? Int == 5)
        #expect(green["gateway"] as? Bool == true && green["apps"] as? Bool == true && green["secrets"] as? Bool == true)
        #expect((green["owners"] as? [[String: String]])?.last?["name"] == "system:serviceaccount:green-system:green-reconciler")

        let removed = try checkout.run(["tenant", "remove", "green", "--commit"])
        #expect(removed.status == 0, "\(removed.stderrText)")
        #expect(try checkout.git(["log", "-1", "--format=%s"]).stdoutText == "Remove tenant green\n")
        #expect(try checkout.snapshot() == original)
        #expect(try checkout.git(["diff", "--stat", "HEAD~2", "HEAD"]).stdoutText.isEmpty)
    }

    /// A home-ops style repository (kubernetes/apps/…) has no tenants/ layout: add says what it
    /// looked for and how to point elsewhere, and writes nothing.
    @Test func aRepositoryWithoutTenantsLayoutIsExplained() throws {
        let checkout = try FixtureCheckout(copying: TestPaths.fixtures.appendingPathComponent("repos/home-ops"))
        let result = try checkout.run(["tenant", "add", "acme", "--owner", "User:alice"])
        #expect(result.status == 1)
        let root = checkout.root.resolvingSymlinksInPath().path
        let lines = result.stderrText.split(separator: "\n").map(String.init)
        #expect(lines.first == "✗ no tenants layout found: looked for \(root)/tenants/kustomization.yaml", "\(result.stderrText)")
        #expect(lines.dropFirst().joined().contains("point --tenants-dir at the directory that lists the tenants"))
        #expect(try checkout.git(["status", "--porcelain"]).stdoutText.isEmpty)
    }

    /// --commit commits only the tenant's change: with something else already staged it refuses
    /// before writing, naming what is staged.
    @Test func commitRefusesUnrelatedStagedChangesBeforeWriting() throws {
        let checkout = try FixtureCheckout()
        try Data("x: 1\n".utf8).write(to: checkout.root.appendingPathComponent("staged.yaml"))
        #expect(try checkout.git(["add", "staged.yaml"]).status == 0)
        let result = try checkout.run(["tenant", "add", "red", "--owner", "User:r", "--commit"])
        #expect(result.status == 1)
        #expect(result.stderrText == """
            ✗ the index has staged changes unrelated to this commit: staged.yaml
              commit or unstage them first (git restore --staged PATH)

            """)
        #expect(try checkout.git(["status", "--porcelain"]).stdoutText == "A  staged.yaml\n")
        #expect(try checkout.git(["rev-list", "--count", "HEAD"]).stdoutText == "1\n")
    }
}

extension TenantCommandTests.FixtureCheckout {
    /// Files under `directory` keyed `prefix + relative path`.
    static func files(under directory: URL, prefix: String) throws -> [String: Data] {
        Dictionary(uniqueKeysWithValues: try BootstrapCommandGoldenTests.snapshot(directory).map { (prefix + $0.key, $0.value) })
    }
}
