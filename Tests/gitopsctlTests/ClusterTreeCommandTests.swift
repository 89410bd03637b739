import Foundation
import Testing
import TestSupport

/// `gitopsctl tree ks NAME --cluster` against the test API server: inventories as
/// kustomize-controller records them, a HelmRelease expanded from its Helm storage Secret
/// (base64 of gzip, as Helm writes it), and an inventory loop shown once.
@Suite("tree --cluster", .serialized)
struct ClusterTreeCommandTests {
    static let manifest = """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: cert-manager, namespace: cert-manager}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: cert-manager-controller}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: cert-manager}
        """

    static func cluster() throws -> KubeAPIServer {
        let server = try KubeAPIServer(preloadCRDs: true)
        // Helm's storage: the release JSON, gzipped, base64 (the Secret adds its own base64).
        let script = "import gzip,base64,json,sys; print(base64.b64encode(base64.b64encode(gzip.compress(json.dumps({'name':'cert-manager','manifest':sys.stdin.read()}).encode()))).decode())"
        let release = try ProcessRunner.run(tool: "python3", ["-c", script], stdin: Data(manifest.utf8)).stdoutText
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try server.kubectlApply("""
            apiVersion: v1
            kind: Namespace
            metadata: {name: flux-system}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: cert-manager}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: sh.helm.release.v1.cert-manager.v2, namespace: cert-manager}
            type: helm.sh/release.v1
            data: {release: \(release)}
            ---
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata: {name: flux-system, namespace: flux-system}
            spec: {interval: 10m, prune: true, path: ./clusters/prod, sourceRef: {kind: GitRepository, name: flux-system}}
            ---
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata: {name: infrastructure, namespace: flux-system}
            spec: {interval: 10m, prune: true, path: ./infrastructure, sourceRef: {kind: GitRepository, name: flux-system}}
            ---
            apiVersion: helm.toolkit.fluxcd.io/v2
            kind: HelmRelease
            metadata: {name: cert-manager, namespace: cert-manager}
            spec: {interval: 10m, chart: {spec: {chart: cert-manager, sourceRef: {kind: HelmRepository, name: cert-manager}}}}
            """)
        func inventory(_ name: String, _ ids: [String]) throws {
            let entries = ids.map { #"{"id":"\#($0)","v":"v1"}"# }.joined(separator: ",")
            try server.setStatus(#"{"group":"kustomize.toolkit.fluxcd.io","resource":"kustomizations","namespace":"flux-system","name":"\#(name)","status":{"inventory":{"entries":[\#(entries)]}}}"#)
        }
        try inventory("flux-system", ["_flux-system__Namespace", "flux-system_flux-system_kustomize.toolkit.fluxcd.io_Kustomization",
                                      "flux-system_infrastructure_kustomize.toolkit.fluxcd.io_Kustomization",
                                      "flux-system_flux-system_source.toolkit.fluxcd.io_GitRepository"])
        try inventory("infrastructure", ["_cert-manager__Namespace", "cert-manager_cert-manager_source.toolkit.fluxcd.io_HelmRepository",
                                         "cert-manager_cert-manager_helm.toolkit.fluxcd.io_HelmRelease",
                                         "flux-system_flux-system_kustomize.toolkit.fluxcd.io_Kustomization"])
        try server.setStatus(#"{"group":"helm.toolkit.fluxcd.io","resource":"helmreleases","namespace":"cert-manager","name":"cert-manager","status":{"storageNamespace":"cert-manager","history":[{"chartName":"cert-manager","chartVersion":"1.16.0","configDigest":"sha256:0","digest":"sha256:0","firstDeployed":"2026-01-01T00:00:00Z","lastDeployed":"2026-01-01T00:00:00Z","name":"cert-manager","namespace":"cert-manager","status":"deployed","version":2}]}}"#)
        return server
    }

    @Test func textTreeFollowsChildrenExpandsHelmAndMarksTheLoop() throws {
        let server = try Self.cluster()
        let result = try ProcessRunner.gitopsctl(["tree", "ks", "flux-system", "--cluster", "--kubeconfig", server.kubeconfig])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText == """
            Kustomization/flux-system/flux-system
            ├── Namespace/flux-system
            ├── Kustomization/flux-system/infrastructure
            │   ├── Namespace/cert-manager
            │   ├── HelmRepository/cert-manager/cert-manager
            │   ├── HelmRelease/cert-manager/cert-manager
            │   │   ├── ServiceAccount/cert-manager/cert-manager
            │   │   ├── ClusterRole/cert-manager-controller
            │   │   └── Deployment/cert-manager/cert-manager
            │   └── Kustomization/flux-system/flux-system (cycle: already shown above, not followed)
            └── GitRepository/flux-system/flux-system


            """)

        let compact = try ProcessRunner.gitopsctl(["tree", "ks", "flux-system", "--cluster", "--compact", "--kubeconfig", server.kubeconfig])
        #expect(compact.stdoutText == """
            Kustomization/flux-system/flux-system
            ├── Kustomization/flux-system/infrastructure
            │   ├── HelmRepository/cert-manager/cert-manager
            │   ├── HelmRelease/cert-manager/cert-manager
            │   └── Kustomization/flux-system/flux-system (cycle: already shown above, not followed)
            └── GitRepository/flux-system/flux-system


            """)
    }

    @Test func jsonUsesFluxFieldNames() throws {
        let server = try Self.cluster()
        let result = try ProcessRunner.gitopsctl(["tree", "ks", "infrastructure", "--cluster", "--compact", "-o", "json",
                                                  "--kubeconfig", server.kubeconfig])
        #expect(result.status == 0, "\(result.stderrText)")
        let root = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        let resource = try #require(root["resource"] as? [String: Any])
        #expect(resource["Name"] as? String == "infrastructure")
        #expect((resource["GroupKind"] as? [String: String])?["Group"] == "kustomize.toolkit.fluxcd.io")
        let children = try #require(root["resources"] as? [[String: Any]])
        #expect(children.count == 3)
        #expect(result.stdoutText.hasPrefix("{\n  \"resource\": {\n    \"Namespace\": \"flux-system\",\n    \"Name\": \"infrastructure\","))
    }

    @Test func missingKustomizationFails() throws {
        let server = try KubeAPIServer(preloadCRDs: true)
        let result = try ProcessRunner.gitopsctl(["tree", "ks", "nope", "--cluster", "--kubeconfig", server.kubeconfig])
        #expect(result.status == 1)
        #expect(result.stderrText.contains("Kustomization nope not found in flux-system namespace"))
    }
}
