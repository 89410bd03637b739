import Foundation
import Testing
import TestSupport

/// `gitopsctl reconcile ks NAME --local` through the built binary: examples/platform's layers
/// applied to the test API server in dependsOn order, with the demo age key, as
/// kustomize-controller would apply them.
@Suite("reconcile ks --local", .serialized)
struct LocalReconcileCommandTests {
    /// A private copy of examples/platform (tests delete files in it) and a server that has what
    /// bootstrap and the HelmReleases would have installed, plus the Kustomizations themselves.
    final class Platform {
        let server: KubeAPIServer
        let repo: TemporaryDirectory
        var root: URL { repo.path("platform") }

        init() throws {
            server = try KubeAPIServer(preloadCRDs: true)
            repo = try TemporaryDirectory(prefix: "local-reconcile")
            try FileManager.default.copyItem(at: TestPaths.repoRoot.appendingPathComponent("examples/platform"), to: root)
            try server.kubectlApply(try fixture("cluster-prerequisites.yaml"))
            for file in ["infrastructure.yaml", "tenants.yaml"] {
                try server.kubectlApply(try String(contentsOf: root.appendingPathComponent("clusters/production/\(file)"),
                                                   encoding: .utf8))
            }
        }

        func reconcile(_ name: String, _ extra: [String] = [], ageKey: Bool = true) throws -> ProcessResult {
            var arguments = ["reconcile", "ks", name, "--local", "--path", "clusters/production", "--repo", root.path,
                             "--kubeconfig", server.kubeconfig, "--timeout", "3s"] + extra
            if ageKey { arguments += ["--age-key", TestPaths.repoRoot.appendingPathComponent("examples/demo-age-key.txt").path] }
            return try ProcessRunner.gitopsctl(arguments, environment: ["SOPS_AGE_KEY_FILE": nil, "SOPS_AGE_KEY": nil])
        }

        /// What helm-controller, cert-manager and the gateway controller would report.
        func markReady(group: String, resource: String, namespace: String?, name: String) throws {
            let ns = namespace.map { "\"namespace\": \"\($0)\", " } ?? ""
            try server.setStatus("""
                {"group": "\(group)", "resource": "\(resource)", \(ns)"name": "\(name)", "status": {"observedGeneration": 1,
                 "conditions": [{"type": "Ready", "status": "True", "reason": "Succeeded", "message": "ready"}]}}
                """)
        }

        func kubectl(_ arguments: [String]) throws -> ProcessResult {
            try ProcessRunner.run(tool: "kubectl", arguments, environment: ["KUBECONFIG": server.kubeconfig])
        }

        func json(_ arguments: [String]) throws -> [String: Any] {
            let result = try kubectl(["get"] + arguments + ["-o", "json", "--show-managed-fields"])
            return try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any] ?? [:]
        }

        func exists(_ arguments: [String]) throws -> Bool { try kubectl(["get"] + arguments).status == 0 }

        /// All four layers; health checks fail until the fake controllers mark objects Ready,
        /// then the same command succeeds and changes nothing more.
        func applyAllLayers() throws {
            #expect(try reconcile("infra-crds").status == 0)
            let controllers = try reconcile("infra-controllers")
            #expect(controllers.status == 1)
            #expect(controllers.stderrText.contains("health check failed"), "\(controllers.stderrText)")
            for (namespace, name) in [("kube-system", "cilium"), ("cert-manager", "cert-manager"),
                                      ("capsule-system", "capsule"), ("kyverno", "kyverno")] {
                try markReady(group: "helm.toolkit.fluxcd.io", resource: "helmreleases", namespace: namespace, name: name)
            }
            let again = try reconcile("infra-controllers")
            #expect(again.status == 0, "\(again.stderrText)")
            #expect(again.stdoutText.contains("HelmRelease/kube-system/cilium unchanged\n"))
            // ClusterIssuer and Gateway without conditions count as Current (kstatus), as in flux.
            let configs = try reconcile("infra-configs")
            #expect(configs.status == 0, "\(configs.stderrText)")
            let tenants = try reconcile("tenants")
            #expect(tenants.status == 0, "\(tenants.stderrText)")
        }
    }

    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: TestPaths.repoRoot.appendingPathComponent("Tests/Fixtures/local-reconcile/\(name)"),
                   encoding: .utf8)
    }

    @Test func appliesPlatformLayersAsKustomizeController() throws {
        let platform = try Platform()
        let first = try platform.reconcile("infra-crds")
        #expect(first.status == 0, "\(first.stderrText)")
        #expect(first.stdoutText == """
            CustomResourceDefinition/gatewayclasses.gateway.networking.k8s.io created
            CustomResourceDefinition/gateways.gateway.networking.k8s.io created
            CustomResourceDefinition/httproutes.gateway.networking.k8s.io created

            """)
        try platform.applyAllLayers()

        // The decrypted Secret reached the server, labelled and owned as Flux would own it.
        let secret = try platform.json(["secret", "-n", "cert-manager", "cloudflare-api-token"])
        // The test server keeps stringData as sent; a real one folds it into data.
        var values = (secret["stringData"] as? [String: String] ?? [:]).map(\.value)
        values += (secret["data"] as? [String: String] ?? [:]).compactMap { Data(base64Encoded: $0.value) }
            .map { String(decoding: $0, as: UTF8.self) }
        #expect(!values.isEmpty)
        let build = try ProcessRunner.gitopsctl(["build", "ks", "infra-configs", "--decrypt", "--path", "clusters/production",
                                                 "--repo", platform.root.path, "--age-key",
                                                 TestPaths.repoRoot.appendingPathComponent("examples/demo-age-key.txt").path])
        for value in values { #expect(build.stdoutText.contains(value)) }
        #expect(!build.stdoutText.contains("ENC["))
        let metadata = try #require(secret["metadata"] as? [String: Any])
        let labels = try #require(metadata["labels"] as? [String: String])
        #expect(labels["kustomize.toolkit.fluxcd.io/name"] == "infra-configs")
        #expect(labels["kustomize.toolkit.fluxcd.io/namespace"] == "flux-system")
        let managers = (metadata["managedFields"] as? [[String: Any]] ?? []).compactMap { $0["manager"] as? String }
        #expect(managers.contains("kustomize-controller"))

        // status.inventory and Ready, as kustomize-controller writes them.
        let ks = try platform.json(["kustomization", "-n", "flux-system", "infra-configs"])
        let status = try #require(ks["status"] as? [String: Any])
        let ids = ((status["inventory"] as? [String: Any])?["entries"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(ids.contains("_disallow-latest-tag_kyverno.io_ClusterPolicy"))
        #expect(ids.contains("cert-manager_cloudflare-api-token__Secret"))
        let ready = (status["conditions"] as? [[String: Any]])?.first { $0["type"] as? String == "Ready" }
        #expect(ready?["status"] as? String == "True")
        #expect(ready?["reason"] as? String == "ReconciliationSucceeded")
    }

    @Test func secondRunAfterDeletingAFilePrunesExactlyThatObject() throws {
        let platform = try Platform()
        try platform.applyAllLayers()
        let configs = platform.root.appendingPathComponent("infrastructure/configs")
        try FileManager.default.removeItem(at: configs.appendingPathComponent("policies.yaml"))
        let kustomization = configs.appendingPathComponent("kustomization.yaml")
        let text = try String(contentsOf: kustomization, encoding: .utf8)
        try text.replacingOccurrences(of: "- policies.yaml\n", with: "").write(to: kustomization, atomically: true, encoding: .utf8)

        // The dry run shows the prune, exits 1 and leaves the server as it was.
        let before = try platform.kubectl(["get", "clusterpolicies,secrets,gateways", "-A", "-o", "yaml"]).stdoutText
        let dry = try platform.reconcile("infra-configs", ["--prune", "--dry-run"])
        #expect(dry.status == 1, "\(dry.stderrText)")
        #expect(dry.stdoutText.contains("► ClusterPolicy/disallow-latest-tag deleted\n"))
        #expect(!dry.stdoutText.contains("Gateway/gateway/platform"), "unchanged objects are not listed, as in flux diff")
        #expect(try platform.kubectl(["get", "clusterpolicies,secrets,gateways", "-A", "-o", "yaml"]).stdoutText == before)

        let run = try platform.reconcile("infra-configs", ["--prune"])
        #expect(run.status == 0, "\(run.stderrText)")
        let pruned = run.stdoutText.split(separator: "\n").filter { $0.hasSuffix(" pruned") }
        #expect(pruned == ["ClusterPolicy/disallow-latest-tag pruned"])
        #expect(try !platform.exists(["clusterpolicy", "disallow-latest-tag"]))
        #expect(try platform.exists(["gateway", "-n", "gateway", "platform"]))
        #expect(try platform.exists(["namespace", "gateway"]))
    }

    @Test func dryRunOnAnEmptyClusterReportsCreatesAndStoresNothing() throws {
        let platform = try Platform()
        let result = try platform.reconcile("infra-crds", ["--dry-run"])
        #expect(result.status == 1)
        #expect(result.stdoutText.contains("CustomResourceDefinition/gateways.gateway.networking.k8s.io created\n"))
        #expect(result.stderrText.contains("identified at least one change"))
        #expect(try !platform.exists(["crd", "gateways.gateway.networking.k8s.io"]))
    }

    /// Objects in Namespaces the same dry run would create cannot be checked by the server (it
    /// answers NotFound); they are reported as created, like objects of new CRDs.
    @Test func dryRunIntoNamespacesItWouldCreateReportsCreates() throws {
        let platform = try Platform()
        #expect(try platform.reconcile("infra-crds").status == 0)
        let result = try platform.reconcile("infra-controllers", ["--dry-run", "-o", "json"])
        #expect(result.status == 1, "\(result.stderrText)")
        let report = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]
        let objects = report?["objects"] as? [[String: String]] ?? []
        #expect(objects.contains(["object": "Namespace/cert-manager", "action": "created"]))
        #expect(objects.contains(["object": "HelmRelease/cert-manager/cert-manager", "action": "created"]))
        #expect(report?["dryRun"] as? Bool == true)
        #expect(try !platform.exists(["namespace", "cert-manager"]))
    }

    /// As fluxcd/pkg ssa's ApplyAll: a stage whose dry run fails for one object applies none of it.
    @Test func failedDryRunStopsTheWholeStage() throws {
        let platform = try Platform()
        #expect(try platform.reconcile("infra-crds").status == 0)
        try platform.server.inject(#"{"path": "helmrepositories", "method": "PATCH", "action": "500", "nth": 2, "times": 20}"#)
        let result = try platform.reconcile("infra-controllers", ["--timeout", "1s"])
        #expect(result.status == 1)
        #expect(result.stderrText.contains("apply failed: HelmRepository/flux-system/"), "\(result.stderrText)")
        #expect(result.stderrText.contains("\napplied: Namespace/capsule-system, Namespace/cert-manager, Namespace/kyverno\n"))
        #expect(result.stderrText.contains("\nnot applied: ConfigMap/kyverno/kyverno-values, HelmRelease/"))
        #expect(try !platform.exists(["helmrepository", "-n", "flux-system", "cilium"]))
    }

    @Test func failureMidStageSaysWhatWasAndWasNotApplied() throws {
        let platform = try Platform()
        #expect(try platform.reconcile("infra-crds").status == 0)
        // The first PATCH of kyverno's HelmRepository is its dry run, the second the real apply.
        try platform.server.inject(#"{"path": "helmrepositories/kyverno$", "method": "PATCH", "action": "500", "nth": 2, "times": 20}"#)
        let result = try platform.reconcile("infra-controllers", ["--timeout", "1s"])
        #expect(result.status == 1)
        #expect(result.stderrText.contains("apply failed: HelmRepository/flux-system/kyverno: Internal error occurred"),
                "\(result.stderrText)")
        #expect(result.stderrText.contains("\nnot applied: HelmRepository/flux-system/kyverno\n"))
        let applied = try #require(result.stderrText.split(separator: "\n").first { $0.hasPrefix("applied: ") })
        #expect(applied.contains("HelmRepository/flux-system/cilium") && applied.contains("HelmRelease/kyverno/kyverno"))
        #expect(try platform.exists(["helmrepository", "-n", "flux-system", "cilium"]))
        #expect(try !platform.exists(["helmrepository", "-n", "flux-system", "kyverno"]))
    }

    @Test func missingIdentityNamesTheSecretAndRecipientAndAppliesNothing() throws {
        let platform = try Platform()
        let result = try platform.reconcile("infra-configs", ageKey: false)
        #expect(result.status == 1)
        #expect(result.stderrText.contains("Secret/cert-manager/cloudflare-api-token is SOPS encrypted"))
        #expect(result.stderrText.contains("age1qfmp7u393yr8nwtd6dmxtvu0jqmd76fa0dq5fjj8es7addc6cp4sw7wvpw"))
        #expect(try !platform.exists(["namespace", "gateway"]))
    }

    @Test func unknownKindNamesTheMissingCRDBeforeApplyingAnything() throws {
        let platform = try Platform()
        // Without infra-crds the Gateway API kinds are served by nothing.
        let result = try platform.reconcile("infra-configs")
        #expect(result.status == 1)
        #expect(result.stderrText.contains("no CustomResourceDefinition in the cluster or in this build serves Gateway (gateway.networking.k8s.io/v1)"),
                "\(result.stderrText)")
        #expect(try !platform.exists(["namespace", "gateway"]))
    }

    @Test func withDependenciesAppliesTheChainInOrder() throws {
        let platform = try Platform()
        let result = try platform.reconcile("infra-controllers", ["--with-dependencies", "--timeout", "1s"])
        #expect(result.status == 1)
        let crds = try #require(result.stderrText.range(of: "reconciling Kustomization flux-system/infra-crds"))
        let controllers = try #require(result.stderrText.range(of: "reconciling Kustomization flux-system/infra-controllers"))
        #expect(crds.lowerBound < controllers.lowerBound)
        #expect(result.stdoutText.hasPrefix("CustomResourceDefinition/gatewayclasses.gateway.networking.k8s.io created\n"))
        #expect(try platform.exists(["crd", "gateways.gateway.networking.k8s.io"]))
    }

    @Test func worksOnAClusterWithoutFlux() throws {
        let server = try KubeAPIServer()
        let result = try ProcessRunner.gitopsctl([
            "reconcile", "ks", "infra-crds", "--local", "--path", "clusters/production",
            "--repo", TestPaths.repoRoot.appendingPathComponent("examples/platform").path, "--kubeconfig", server.kubeconfig,
        ])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText.contains("CustomResourceDefinition/gateways.gateway.networking.k8s.io created\n"))
    }

    /// A Kustomization with `spec.decryption` whose Secret carries SOPS files as data values:
    /// without a key the controller cannot decrypt them, so nothing may reach the cluster as
    /// ciphertext; the opted-out Secret (`decrypt: disabled`) is not the one named.
    @Test func sopsFilesInSecretDataNeedTheKeyToo() throws {
        let server = try KubeAPIServer()
        let copy = try TemporaryDirectory(prefix: "nested-sops")
        let root = copy.path("repo")
        try FileManager.default.copyItem(at: TestPaths.repoRoot.appendingPathComponent("Tests/Fixtures/flux/sops-in-builds"), to: root)
        try "resources:\n- nested-secret.yaml\n".write(to: root.appendingPathComponent("apps/kustomization.yaml"),
                                                     atomically: true, encoding: .utf8)
        let result = try ProcessRunner.gitopsctl(["reconcile", "ks", "apps", "--local", "--path", "clusters/test",
                                                  "--repo", root.path, "--kubeconfig", server.kubeconfig],
                                                 environment: ["SOPS_AGE_KEY_FILE": nil, "SOPS_AGE_KEY": nil, "HOME": copy.url.path])
        #expect(result.status == 1)
        #expect(result.stderrText.contains("Secret/shop/shop-files is SOPS encrypted"), "\(result.stderrText)")
        #expect(result.stderrText.contains("age1qfmp7u393yr8nwtd6dmxtvu0jqmd76fa0dq5fjj8es7addc6cp4sw7wvpw"))
        let listed = try ProcessRunner.run(tool: "kubectl", ["get", "secrets", "-A", "-o", "name"],
                                           environment: ["KUBECONFIG": server.kubeconfig])
        #expect(listed.status == 0)
        #expect(!listed.stdoutText.contains("shop-files"))
    }
}
