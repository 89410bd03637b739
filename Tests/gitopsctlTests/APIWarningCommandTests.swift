import Foundation
import Testing
import TestSupport

/// The API server's `Warning` headers through the built binary: printed on stderr as kubectl
/// prints them, once per text per process, with stdout and the exit status untouched.
@Suite("API server warnings", .serialized)
struct APIWarningCommandTests {
    static let fixtures = TestPaths.repoRoot.appendingPathComponent("Tests/Fixtures/warnings")
    static let defaultText = "warn.example.com/v1beta1 Gadget is deprecated; use warn.example.com/v1 Gadget"
    static let customText = #"warn.example.com/v1beta2 "Gadget" is going away \ use warn.example.com/v1"#

    /// A server with the Gadget CRD (deprecated versions as in the fixture, or none deprecated)
    /// and the Flux objects of the fixture repository's cluster path.
    static func server(deprecated: Bool) throws -> KubeAPIServer {
        let server = try KubeAPIServer(preloadCRDs: true)
        var crd = try String(contentsOf: fixtures.appendingPathComponent("gadgets-crd.yaml"), encoding: .utf8)
        if !deprecated {
            crd = crd.replacingOccurrences(of: "deprecated: true", with: "deprecated: false")
                .split(separator: "\n").filter { !$0.contains("deprecationWarning:") }.joined(separator: "\n")
        }
        try server.kubectlApply(crd)
        try server.kubectlApply("apiVersion: v1\nkind: Namespace\nmetadata: {name: flux-system}\n")
        try server.kubectlApply(try String(contentsOf: fixtures.appendingPathComponent("repo/clusters/test/flux-system/gotk-sync.yaml"),
                                           encoding: .utf8))
        return server
    }

    static func reconcile(_ server: KubeAPIServer) throws -> ProcessResult {
        try ProcessRunner.gitopsctl(["reconcile", "ks", "gadgets", "--local", "--path", "clusters/test",
                                     "--repo", fixtures.appendingPathComponent("repo").path,
                                     "--kubeconfig", server.kubeconfig, "--timeout", "3s"])
    }

    static func warningLines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { $0.hasPrefix("Warning: ") }
    }

    /// Applying Gadgets of deprecated versions (discovery, a read and an apply per object, all
    /// warned about by the server) prints each warning once; the same apply against a server
    /// where nothing is deprecated prints the same stdout and exits the same way.
    @Test func applyOfDeprecatedVersionsWarnsOncePerText() throws {
        let deprecated = try Self.server(deprecated: true)
        let current = try Self.server(deprecated: false)
        let warned = try Self.reconcile(deprecated)
        let plain = try Self.reconcile(current)
        #expect(warned.status == 0, "\(warned.stderrText)")
        #expect(warned.status == plain.status)
        #expect(warned.stdoutText == plain.stdoutText)
        #expect(warned.stdoutText.contains("Gadget/default/first created\n"))
        // Objects of a stage are applied in parallel, so the two texts may come in either order.
        #expect(Self.warningLines(warned.stderrText).sorted() == ["Warning: \(Self.defaultText)", "Warning: \(Self.customText)"],
                "\(warned.stderrText)")
        #expect(Self.warningLines(plain.stderrText).isEmpty)
        #expect(!warned.stdoutText.contains("Warning"))
        let stderrWithoutWarnings = warned.stderrText.split(separator: "\n").filter { !$0.hasPrefix("Warning: ") }
        #expect(stderrWithoutWarnings == plain.stderrText.split(separator: "\n"))

        // kubectl, applying the same objects to the same server, prints the same lines.
        let objects = try String(contentsOf: Self.fixtures.appendingPathComponent("repo/gadgets/gadgets.yaml"), encoding: .utf8)
        let kubectl = try ProcessRunner.run(tool: "kubectl", ["apply", "--server-side", "--validate=false", "-n", "default",
                                                              "--field-manager", "kustomize-controller", "-f", "-"],
                                            stdin: Data(objects.utf8), environment: ["KUBECONFIG": deprecated.kubeconfig])
        #expect(kubectl.status == 0, "\(kubectl.stderrText)")
        #expect(Set(Self.warningLines(kubectl.stderrText)) == Set(Self.warningLines(warned.stderrText)))
    }

    /// `get ks -o json` of a Kustomization version the cluster marks deprecated: the JSON on
    /// stdout is byte for byte what it was before the deprecation; the warning goes to stderr.
    @Test func jsonOutputIsUnaffected() throws {
        let server = try KubeAPIServer(preloadCRDs: true)
        try server.kubectlApply("apiVersion: v1\nkind: Namespace\nmetadata: {name: flux-system}\n")
        try server.kubectlApply(try String(contentsOf: Self.fixtures.appendingPathComponent("repo/clusters/test/flux-system/gotk-sync.yaml"),
                                           encoding: .utf8))
        let arguments = ["get", "ks", "-A", "-o", "json", "--kubeconfig", server.kubeconfig]
        let before = try ProcessRunner.gitopsctl(arguments)
        #expect(before.status == 0, "\(before.stderrText)")
        #expect(Self.warningLines(before.stderrText).isEmpty)

        let crd = "kustomizations.kustomize.toolkit.fluxcd.io"
        let environment = ["KUBECONFIG": server.kubeconfig]
        let names = try ProcessRunner.run(tool: "kubectl", ["get", "crd", crd, "-o", "jsonpath={.spec.versions[*].name}"],
                                          environment: environment).stdoutText.split(separator: " ")
        let index = try #require(names.firstIndex(of: "v1"))
        let patch = #"[{"op":"add","path":"/spec/versions/\#(index)/deprecated","value":true}]"#
        let patched = try ProcessRunner.run(tool: "kubectl", ["patch", "crd", crd, "--type=json", "-p", patch],
                                            environment: environment)
        #expect(patched.status == 0, "\(patched.stderrText)")

        let after = try ProcessRunner.gitopsctl(arguments)
        #expect(after.status == 0, "\(after.stderrText)")
        #expect(after.stdout == before.stdout)
        #expect(Self.warningLines(after.stderrText) == ["Warning: kustomize.toolkit.fluxcd.io/v1 Kustomization is deprecated"])
        let kubectl = try ProcessRunner.run(tool: "kubectl", ["get", "\(crd.replacingOccurrences(of: "kustomizations.", with: "kustomizations.v1."))", "-A"],
                                            environment: environment)
        #expect(Self.warningLines(kubectl.stderrText) == Self.warningLines(after.stderrText))
    }
}
