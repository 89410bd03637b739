import Foundation
import Testing
import TestSupport

/// `reconcile ks --local` with kustomize-controller's apply switches, prune rule and `flux diff`
/// style dry run, on a small fixture (Tests/Fixtures/local-reconcile/switches) whose objects
/// each carry one switch, against the test API server.
@Suite("reconcile ks --local: switches, prune, dry-run diff", .serialized)
struct LocalReconcileSwitchesTests {
    final class Fixture {
        let server: KubeAPIServer
        let repo: TemporaryDirectory
        var root: URL { repo.path("switches") }

        init(_ serverArguments: [String] = []) throws {
            server = try KubeAPIServer(serverArguments, preloadCRDs: true)
            repo = try TemporaryDirectory(prefix: "local-switches")
            try FileManager.default.copyItem(
                at: TestPaths.repoRoot.appendingPathComponent("Tests/Fixtures/local-reconcile/switches"), to: root)
            try server.kubectlApply("""
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: flux-system
                """)
            try server.kubectlApply(try read("clusters/test/flux-system/gotk-sync.yaml"))
        }

        func reconcile(_ extra: [String] = [], kubeconfig: String? = nil) throws -> ProcessResult {
            try ProcessRunner.gitopsctl(["reconcile", "ks", "apps", "--local", "--path", "clusters/test", "--repo", root.path,
                                         "--kubeconfig", kubeconfig ?? server.kubeconfig, "--timeout", "3s"] + extra)
        }

        func read(_ file: String) throws -> String {
            try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
        }

        func edit(_ file: String, _ change: (String) -> String) throws {
            try change(try read(file)).write(to: root.appendingPathComponent(file), atomically: true, encoding: .utf8)
        }

        func kubectl(_ arguments: [String]) throws -> ProcessResult {
            try ProcessRunner.run(tool: "kubectl", arguments, environment: ["KUBECONFIG": server.kubeconfig])
        }

        func field(_ object: [String], _ jsonPath: String) throws -> String {
            try kubectl(["get"] + object + ["-o", "jsonpath={\(jsonPath)}"]).stdoutText
        }

        func exists(_ object: [String]) throws -> Bool { try kubectl(["get"] + object).status == 0 }
    }

    @Test func ssaSwitchesFollowKustomizeController() throws {
        let fixture = try Fixture()
        // What an operator did by hand with kubectl before Flux took the objects over.
        try fixture.server.kubectlApply("""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: apps
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: apps}
            data: {color: red, extra: kubectl}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: merged, namespace: apps}
            data: {a: "0", extra: kubectl}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: ignored, namespace: apps}
            data: {version: live}
            """)
        let first = try fixture.reconcile()
        #expect(first.status == 0, "\(first.stderrText)")
        #expect(first.stdoutText.contains("ConfigMap/apps/ignored skipped\n"), "\(first.stdoutText)")
        // Override (the default) takes kubectl's fields over, so the one Git lacks is removed;
        // Merge leaves kubectl's field alone; Ignore (lower case here) never touches the object.
        #expect(try fixture.field(["cm", "-n", "apps", "settings"], ".data") == #"{"color":"blue"}"#)
        #expect(try fixture.field(["cm", "-n", "apps", "merged"], ".data") == #"{"a":"1","extra":"kubectl"}"#)
        #expect(try fixture.field(["cm", "-n", "apps", "ignored"], ".data") == #"{"version":"live"}"#)
        let managers = try fixture.field(["cm", "-n", "apps", "settings", "--show-managed-fields"], ".metadata.managedFields[*].manager")
        #expect(managers == "kustomize-controller")

        // IfNotPresent creates once and never patches.
        try fixture.edit("apps/once.yaml") { $0.replacingOccurrences(of: #"version: "1""#, with: #"version: "2""#) }
        let second = try fixture.reconcile()
        #expect(second.status == 0, "\(second.stderrText)")
        #expect(second.stdoutText.contains("ConfigMap/apps/once skipped\n"))
        #expect(try fixture.field(["cm", "-n", "apps", "once"], ".data.version") == "1")
    }

    @Test(arguments: ["annotation", "spec.force"])
    func immutableFieldChangesRecreateOnlyWhenForced(_ how: String) throws {
        let fixture = try Fixture()
        #expect(try fixture.reconcile().status == 0)
        let uid = try fixture.field(["cm", "-n", "apps", "frozen"], ".metadata.uid")
        try fixture.edit("apps/frozen.yaml") { $0.replacingOccurrences(of: #"version: "1""#, with: #"version: "2""#) }
        let refused = try fixture.reconcile()
        #expect(refused.status == 1)
        #expect(refused.stderrText.contains(
            "apply failed: ConfigMap/apps/frozen: ConfigMap \"frozen\" is invalid: data: Forbidden: field is immutable"),
            "\(refused.stderrText)")

        if how == "annotation" {
            try fixture.edit("apps/frozen.yaml") {
                $0.replacingOccurrences(of: "  namespace: apps\n",
                                        with: "  namespace: apps\n  annotations:\n    kustomize.toolkit.fluxcd.io/force: Enabled\n")
            }
        } else {
            try fixture.edit("clusters/test/flux-system/gotk-sync.yaml") {
                $0.replacingOccurrences(of: "  prune: true\n", with: "  prune: true\n  force: true\n")
            }
        }
        let dry = try fixture.reconcile(["--dry-run"])
        #expect(dry.stdoutText.contains("► ConfigMap/apps/frozen created\n"), "\(dry.stdoutText)")
        #expect(try fixture.field(["cm", "-n", "apps", "frozen"], ".metadata.uid") == uid)
        let forced = try fixture.reconcile()
        #expect(forced.status == 0, "\(forced.stderrText)")
        #expect(forced.stdoutText.contains("ConfigMap/apps/frozen created\n"))
        #expect(try fixture.field(["cm", "-n", "apps", "frozen"], ".metadata.uid") != uid)
        #expect(try fixture.field(["cm", "-n", "apps", "frozen"], ".data.version") == "2")
    }

    /// `spec.prune: true` prunes without a flag; upstream exempts no kind (the Namespace goes
    /// too), only `prune: disabled` (any case) and objects that lost the owner labels.
    @Test func specPruneDecidesAndUpstreamExemptionsHold() throws {
        let fixture = try Fixture()
        #expect(try fixture.reconcile().status == 0)
        #expect(try fixture.kubectl(["label", "cm", "-n", "apps", "merged", "kustomize.toolkit.fluxcd.io/name-"]).status == 0)
        try fixture.edit("apps/kustomization.yaml") {
            $0.replacingOccurrences(of: "  - settings.yaml\n", with: "").replacingOccurrences(of: "  - kept.yaml\n", with: "")
                .replacingOccurrences(of: "  - merged.yaml\n", with: "")
        }
        try fixture.edit("apps/namespaces.yaml") { String($0.prefix { $0 != "-" }) }

        let dry = try fixture.reconcile(["--dry-run"])
        #expect(dry.status == 1)
        #expect(dry.stdoutText.contains("► ConfigMap/apps/settings deleted\n► Namespace/scratch deleted\n"), "\(dry.stdoutText)")
        #expect(try fixture.exists(["cm", "-n", "apps", "settings"]))

        let run = try fixture.reconcile()
        #expect(run.status == 0, "\(run.stderrText)")
        #expect(run.stdoutText.split(separator: "\n").filter { $0.hasSuffix(" pruned") }
                == ["ConfigMap/apps/settings pruned", "Namespace/scratch pruned"])
        #expect(try !fixture.exists(["cm", "-n", "apps", "settings"]))
        #expect(try fixture.exists(["cm", "-n", "apps", "kept"]))
        #expect(try fixture.exists(["cm", "-n", "apps", "merged"]))
    }

    @Test func pruneFlagOverridesSpecPruneBothWays() throws {
        let fixture = try Fixture()
        try fixture.edit("clusters/test/flux-system/gotk-sync.yaml") { $0.replacingOccurrences(of: "prune: true", with: "prune: false") }
        #expect(try fixture.reconcile().status == 0)
        try fixture.edit("apps/kustomization.yaml") { $0.replacingOccurrences(of: "  - settings.yaml\n", with: "") }
        let forced = try fixture.reconcile(["--prune"])
        #expect(forced.stdoutText.contains("ConfigMap/apps/settings pruned\n"), "\(forced.stdoutText)")

        try fixture.edit("clusters/test/flux-system/gotk-sync.yaml") { $0.replacingOccurrences(of: "prune: false", with: "prune: true") }
        try fixture.edit("apps/kustomization.yaml") { $0.replacingOccurrences(of: "  - once.yaml\n", with: "") }
        let kept = try fixture.reconcile(["--prune=false"])
        #expect(kept.status == 0)
        #expect(!kept.stdoutText.contains("pruned"))
        #expect(try fixture.exists(["cm", "-n", "apps", "once"]))

        // The previous run's inventory no longer lists `once` (kustomize-controller forgets what it
        // did not prune), so take `merged` out for --no-prune.
        try fixture.edit("apps/kustomization.yaml") { $0.replacingOccurrences(of: "  - merged.yaml\n", with: "") }
        let noPrune = try fixture.reconcile(["--no-prune"])
        #expect(noPrune.status == 0)
        #expect(!noPrune.stdoutText.contains("pruned"))
        #expect(try fixture.exists(["cm", "-n", "apps", "merged"]))
        let both = try fixture.reconcile(["--prune", "--no-prune"])
        #expect(both.status == 2)
    }

    @Test func dryRunPrintsFluxDiffStyleReportWithMaskedSecrets() throws {
        let fixture = try Fixture()
        #expect(try fixture.reconcile().status == 0)
        let nothing = try fixture.reconcile(["--dry-run"])
        #expect(nothing.status == 0, "\(nothing.stderrText)")
        #expect(nothing.stdoutText == "► ConfigMap/apps/ignored skipped\n► ConfigMap/apps/once skipped\n")

        try fixture.edit("apps/settings.yaml") { $0.replacingOccurrences(of: "color: blue", with: "color: green") }
        try fixture.edit("apps/creds.yaml") { $0.replacingOccurrences(of: "b2xkLXBhc3N3b3Jk", with: "bmV3LXBhc3N3b3Jk") }
        try fixture.edit("apps/kustomization.yaml") { $0 + "  - extra.yaml\n" }
        try "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: apps\n"
            .write(to: fixture.root.appendingPathComponent("apps/extra.yaml"), atomically: true, encoding: .utf8)
        let before = try fixture.kubectl(["get", "cm,secret", "-n", "apps", "-o", "yaml"]).stdoutText

        let dry = try fixture.reconcile(["--dry-run"])
        #expect(dry.status == 1)
        #expect(dry.stderrText.contains("⚠️ identified at least one change, exiting with non-zero exit code"))
        let out = dry.stdoutText
        #expect(out.contains("► ConfigMap/apps/extra created\n"), "\(out)")
        #expect(out.contains("""
            ► ConfigMap/apps/settings drifted

            --- a/ConfigMap/apps/settings
            +++ b/ConfigMap/apps/settings
            """))
        #expect(out.contains("-    \"color\": \"blue\"\n+    \"color\": \"green\"\n"))
        #expect(out.contains("► Secret/apps/creds drifted\n"))
        #expect(out.contains("-    \"password\": \"*** (before)\"\n+    \"password\": \"*** (after)\"\n"))
        #expect(!out.contains("b2xkLXBhc3N3b3Jk") && !out.contains("bmV3LXBhc3N3b3Jk"))
        for serverField in ["managedFields", "resourceVersion", "\"generation\""] { #expect(!out.contains(serverField)) }
        #expect(!out.contains("ConfigMap/apps/kept"), "unchanged objects are not listed")
        #expect(try fixture.kubectl(["get", "cm,secret", "-n", "apps", "-o", "yaml"]).stdoutText == before)
    }
}
