import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

private let dir = TestPaths.fixtures.appendingPathComponent("kubeconfig").path
private func fixture(_ name: String) -> String { "\(dir)/\(name)" }

private func source(kubeconfig: String? = nil, env: [String: String] = [:], context: String? = nil,
                    home: String = "/nonexistent-home") -> KubeconfigSource {
    KubeconfigSource(explicitPath: kubeconfig, context: context, environment: env, homeDirectory: home)
}

@Suite("kubeconfig loading as kubectl does it")
struct KubeconfigTests {
    @Test func firstFileInKUBECONFIGWins() throws {
        let env = ["KUBECONFIG": "\(fixture("a.yaml")):\(fixture("b.yaml"))"]
        let merged = try source(env: env).load()
        #expect(merged.currentContext == "a")
        #expect(merged.contextNames == ["a", "shared", "b", "dangling"])
        #expect(merged.clusters["shared"]?.server == "https://a.example:6443")
        #expect(merged.users["alice"]?.token == "token-from-a")
        let config = try source(env: env).resolve()
        #expect(config.server == "https://a.example:6443")
        #expect(config.namespace == "team-a")
        #expect(config.insecureSkipTLSVerify)
        #expect(config.credentials.token == "token-from-a")
    }

    @Test func reversedOrderFlipsPrecedence() throws {
        let env = ["KUBECONFIG": "\(fixture("b.yaml")):\(fixture("a.yaml"))"]
        let config = try source(env: env).resolve()
        #expect(config.contextName == "b")
        #expect(config.server == "https://only-b.example:6443")
        #expect(config.credentials.basic?.username == "bob")
        let shared = try source(env: env, context: "shared").resolve()
        #expect(shared.server == "https://only-b.example:6443", "context \"shared\" comes from b.yaml now")
    }

    @Test func explicitKubeconfigBeatsTheEnvironment() throws {
        let config = try source(kubeconfig: fixture("b.yaml"), env: ["KUBECONFIG": fixture("a.yaml")]).resolve()
        #expect(config.contextName == "b")
    }

    @Test func contextFlagPicksAnotherContext() throws {
        let config = try source(env: ["KUBECONFIG": "\(fixture("a.yaml")):\(fixture("b.yaml"))"], context: "b").resolve()
        #expect(config.server == "https://only-b.example:6443")
        #expect(config.userName == "bob")
    }

    @Test func clusterFieldsAreRead() throws {
        var merged = try source(kubeconfig: fixture("a.yaml")).load()
        merged.contexts["a"]?.cluster = "only-a"
        let config = try merged.clusterConfig(context: "a")
        #expect(config.tlsServerName == "api.only-a.example")
        #expect(config.proxyURL == "http://proxy.example:3128")
    }

    @Test func unknownContextListsTheContextsThatExist() throws {
        #expect(throws: KubeError.unknownContext("prod", available: ["a", "shared", "b", "dangling"])) {
            _ = try source(env: ["KUBECONFIG": "\(fixture("a.yaml")):\(fixture("b.yaml"))"], context: "prod").resolve()
        }
        let message = KubeError.unknownContext("prod", available: ["a", "b"]).description
        #expect(message == "context \"prod\" does not exist in the kubeconfig; contexts: a, b")
    }

    @Test func contextWithUnknownClusterSaysWhich() throws {
        #expect(throws: KubeError.unknownCluster("nowhere", context: "dangling")) {
            _ = try source(kubeconfig: fixture("b.yaml"), context: "dangling").resolve()
        }
    }

    @Test func missingFilesInKUBECONFIGAreSkippedButAnExplicitOneIsAnError() throws {
        let config = try source(env: ["KUBECONFIG": "/nonexistent/one:\(fixture("b.yaml"))"]).resolve()
        #expect(config.contextName == "b")
        #expect(throws: KubeError.kubeconfigMissing(file: "/nonexistent/kubeconfig")) {
            _ = try source(kubeconfig: "/nonexistent/kubeconfig").resolve()
        }
        #expect(throws: KubeError.noConfiguration) { _ = try source(env: ["KUBECONFIG": "/nonexistent/one"]).resolve() }
    }

    @Test func defaultIsHomeKubeConfig() throws {
        let home = try TemporaryDirectory()
        try home.write(".kube/config", try String(contentsOfFile: fixture("b.yaml"), encoding: .utf8))
        #expect(try source(home: home.url.path).resolve().contextName == "b")
    }

    @Test func syntaxErrorPointsAtFileLineAndColumn() throws {
        let error = #expect(throws: KubeError.self) { _ = try source(kubeconfig: fixture("syntax.yaml")).load() }
        guard case let .kubeconfigSyntax(file, line, column, reason)? = error else {
            Issue.record("expected a syntax error, got \(String(describing: error))")
            return
        }
        #expect(file == fixture("syntax.yaml"))
        #expect(line == 8 && column == 1)
        #expect(reason.contains("quoted scalar"))
        #expect(error?.description.hasPrefix("\(fixture("syntax.yaml")):8:1: ") == true)
    }

    @Test func invalidBase64PointsAtTheField() throws {
        #expect(throws: KubeError.kubeconfigInvalid(file: fixture("bad-base64.yaml"), line: 7, column: 33,
                                                    reason: "certificate-authority-data is not valid base64")) {
            _ = try source(kubeconfig: fixture("bad-base64.yaml")).load()
        }
    }

    @Test func relativePathsResolveAgainstTheKubeconfigDirectory() throws {
        let file = fixture("relative/config")
        let files = try source(kubeconfig: file).resolve()
        #expect(files.certificateAuthorityPEM == Array("placeholder CA bytes for path resolution tests\n".utf8))
        #expect(files.credentials.clientCertificatePEM == Array("placeholder client certificate bytes\n".utf8))
        #expect(files.credentials.clientKeyPEM == Array("placeholder client key bytes\n".utf8))
        let token = try source(kubeconfig: file, context: "token-file").resolve()
        #expect(token.credentials.token == "token-from-file")
        #expect(token.credentials.tokenFile == fixture("relative/certs/token"))
        let plugin = try source(kubeconfig: file, context: "plugin").resolve()
        #expect(plugin.credentials.exec?.command == fixture("relative/bin/credential-helper"))
        #expect(plugin.credentials.exec?.args == ["--cluster", "c"])
    }

    @Test func missingCertificateFileIsNamed() throws {
        #expect(throws: KubeError.credentialFile(path: fixture("relative/certs/absent.crt"), reason: "no such file or directory")) {
            _ = try source(kubeconfig: fixture("relative/config"), context: "missing").resolve()
        }
    }

    @Test func execV1RequiresInteractiveMode() throws {
        let tmp = try TemporaryDirectory()
        let file = try tmp.write("config", """
            users:
            - name: u
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: aws
            """)
        #expect(throws: KubeError.kubeconfigInvalid(file: file.path, line: 5, column: 7,
                                                    reason: "exec.interactiveMode is required for client.authentication.k8s.io/v1")) {
            _ = try source(kubeconfig: file.path).load()
        }
    }

    @Test func inClusterConfigurationWhenThereIsNoKubeconfig() throws {
        let sa = try TemporaryDirectory()
        try sa.write("token", "sa-token\n")
        try sa.write("ca.crt", "cluster ca")
        try sa.write("namespace", "flux-system")
        var src = source(env: ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"])
        src.serviceAccountDirectory = sa.url.path
        let config = try src.resolve()
        #expect(config.server == "https://10.0.0.1:443")
        #expect(config.credentials.token == "sa-token")
        #expect(config.certificateAuthorityPEM == Array("cluster ca".utf8))
        #expect(config.namespace == "flux-system")
    }
}
