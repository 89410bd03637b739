import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

private func quickRetries(_ timeout: Double = 10) -> TransportOptions {
    var options = TransportOptions()
    options.initialBackoff = 0.01
    options.maxRetries = 3
    options.timeout = timeout
    return options
}

private func requests(_ server: TestAPIServer, _ method: String, _ path: String) async throws -> [KubeJSON] {
    try await server.log().filter { $0["method"]?.stringValue == method && $0["path"]?.stringValue == path }
}

private func failure(_ body: () async throws -> Void) async -> KubeError? {
    do { try await body() } catch let error as KubeError { return error } catch {}
    return nil
}

/// Writes a kubeconfig named `name` next to the server's certificates: one cluster with the extra
/// inline fields `cluster`, one user `userName` whose entry is the YAML `user`, one current context.
private func writeKubeconfig(_ server: TestAPIServer, _ name: String, cluster: String, userName: String = "u",
                             user: String = "{client-certificate: admin.crt, client-key: admin.key}") throws {
    try server.directory.write(name, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster: {server: "\(server.server)", \(cluster)}
        users:
        - name: \(userName)
          user: \(user)
        contexts:
        - name: x
          context: {cluster: c, user: \(userName)}
        current-context: x
        """)
}

@Suite("Kube transport: retries, faults, TLS and credentials")
struct KubeTransportTests {
    let path = "/api/v1/namespaces/default"

    @Test func tooManyRequestsIsRetriedAfterRetryAfter() async throws {
        let server = try await TestAPIServer.start()
        try await server.fault(#"{"path": "^/api/v1/namespaces/default$", "method": "GET", "action": "429", "retryAfter": 1}"#)
        let client = try server.client(options: quickRetries())
        _ = try await client.get(.namespace, name: "default")
        // The server answers a retry that comes before Retry-After with another 429 and marks
        // it: exactly one retry, none early, although the backoff alone would be 10 ms.
        let log = try await requests(server, "GET", path)
        #expect(log.count == 2)
        #expect(log.allSatisfy { $0["earlyRetry"] == nil })
    }

    @Test func serverErrorOnAnApplyIsRetriedButNotOnAMergePatch() async throws {
        let server = try await TestAPIServer.start()
        let client = try server.client(options: quickRetries())
        let cm = KubeObject(try KubeJSON.parse(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"default"},"data":{"a":"1"}}"#))
        try await server.fault(#"{"path": "configmaps/x$", "method": "PATCH", "action": "503"}"#)
        _ = try await client.apply(cm)
        #expect(try await requests(server, "PATCH", "/api/v1/namespaces/default/configmaps/x").count == 2)
        try await server.fault(#"{"path": "configmaps/x$", "method": "PATCH", "action": "503"}"#)
        let error = await failure {
            _ = try await client.patch(.configMap, name: "x", namespace: "default",
                                       .merge(.object([("data", .object([("b", .string("2"))]))])))
        }
        #expect(error?.reason == .internalError)
        #expect(try await requests(server, "PATCH", "/api/v1/namespaces/default/configmaps/x").count == 3)
    }

    @Test func connectionThatNeverCompletesIsUnreachableWithinTheConnectTimeout() async throws {
        let hole = try await ReadyProcess.blackhole()
        var config = ClusterConfig(server: "https://127.0.0.1:\(hole.port)", contextName: "x", userName: "u")
        config.insecureSkipTLSVerify = true
        var options = quickRetries()
        options.connectTimeout = 0.5
        let client = KubeClient(transport: try KubeTransport(config: config, options: options))
        let error = await failure { _ = try await client.get(.namespace, name: "default") }
        #expect(error?.description == "cannot reach https://127.0.0.1:\(hole.port): no connection within 0.5s")
    }

    @Test func http2IsNegotiatedWhenTheServerOffersIt() async throws {
        let server = try await TestAPIServer.start()
        let front = try await ReadyProcess.http2Front(for: server)
        var config = try server.clusterConfig()
        config.server = "https://127.0.0.1:\(front.port)"
        let transport = try KubeTransport(config: config)
        // Discovery and a read through the HTTP/2-only front, with the in-memory client
        // certificate it requires.
        #expect(try await KubeClient(transport: transport).get(.namespace, name: "default").name == "default")
        for _ in 0..<5 {
            let response = try await transport.send(KubeRequest(method: "GET", path: "/version"))
            #expect(response.status == 200 && response.httpVersion == 2)
        }
        let stats = try KubeJSON.parse(try await transport.send(KubeRequest(method: "GET", path: "/__h2/stats")).body)
        #expect(stats["alpn"]?.arrayValue?.allSatisfy { $0.stringValue == "h2" } == true)
        // One connection for all of it.
        #expect(stats["sessions"]?.intValue == 1, "\(stats.serialized)")
        #expect(try await server.log().contains { $0["userAgent"]?.stringValue == "gitopsctl/\(BuildInfo.version)" })
        // The HTTP/1.1-only test server is spoken to in HTTP/1.1.
        let plain = try await server.client().transport.send(KubeRequest(method: "GET", path: "/version"))
        #expect(plain.status == 200 && plain.httpVersion == 1)
    }

    @Test func proxyURLTunnelsThroughTheProxy() async throws {
        let server = try await TestAPIServer.start()
        let log = server.file("proxy.log")
        let proxy = try await ReadyProcess.connectProxy(log: log)
        try writeKubeconfig(server, "proxied.yaml",
                            cluster: #"certificate-authority: ca.pem, proxy-url: "http://127.0.0.1:\#(proxy.port)""#)
        let client = try server.client("proxied.yaml")
        #expect(try await client.get(.namespace, name: "default").name == "default")
        let tunnels = try String(contentsOfFile: log, encoding: .utf8)
        #expect(tunnels.contains("CONNECT 127.0.0.1:\(server.port)"), "\(tunnels)")
    }

    @Test func serverErrorOnAReadIsRetried() async throws {
        let server = try await TestAPIServer.start()
        try await server.fault(#"{"path": "^/api/v1/namespaces/default$", "method": "GET", "action": "500", "nth": 1, "times": 2}"#)
        let client = try server.client(options: quickRetries())
        _ = try await client.get(.namespace, name: "default")
        #expect(try await requests(server, "GET", path).count == 3)
    }

    @Test func serverErrorOnACreateIsNotRetried() async throws {
        let server = try await TestAPIServer.start()
        try await server.fault(#"{"path": "configmaps$", "method": "POST", "action": "500"}"#)
        let client = try server.client(options: quickRetries())
        let cm = KubeObject(try KubeJSON.parse(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"default"}}"#))
        let error = await failure { _ = try await client.create(cm) }
        #expect(error?.reason == .internalError)
        #expect(try await requests(server, "POST", "/api/v1/namespaces/default/configmaps").count == 1)
    }

    @Test func droppedConnectionIsRetriedForReads() async throws {
        let server = try await TestAPIServer.start()
        try await server.fault(#"{"path": "^/api/v1/namespaces/default$", "action": "drop"}"#)
        let client = try server.client(options: quickRetries())
        let ns = try await client.get(.namespace, name: "default")
        #expect(ns.name == "default")
        // A create may have been carried out before the connection dropped: our retries leave it
        // alone. (libcurl itself resends once on a fresh connection when a reused one turns out to
        // be dead before any answer, the keep-alive race every HTTP client handles.)
        try await server.fault(#"{"path": "configmaps$", "method": "POST", "action": "drop", "times": 10}"#)
        let cm = KubeObject(try KubeJSON.parse(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"default"}}"#))
        let error = await failure { _ = try await client.create(cm) }
        guard case let .transport(_, reason)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(reason.hasPrefix("connection closed: "), "\(reason)")
        #expect(try await requests(server, "POST", "/api/v1/namespaces/default/configmaps").count <= 2)
    }

    /// A server that has never answered and closes every new connection unanswered is what a
    /// TLS 1.3 server refusing the client certificate can look like; once it has answered, a
    /// closed connection is just that.
    @Test func connectionsClosedUnansweredOnEveryAttemptNameTheLikelyCause() async throws {
        let server = try await TestAPIServer.start()
        try await server.fault(#"{"path": "^/api", "action": "drop", "times": 100}"#)
        let client = try server.client(options: quickRetries())
        let error = await failure { _ = try await client.get(.namespace, name: "default") }
        guard case let .transport(_, reason)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(reason.hasPrefix("every new connection was closed without an answer"), "\(reason)")
        #expect(reason.hasSuffix("when it does not accept the one of user \"admin\""), "\(reason)")
    }

    @Test func slowAnswerTimesOut() async throws {
        let server = try await TestAPIServer.start()
        try await server.fault(#"{"path": "^/version$", "action": "slow", "seconds": 6}"#)
        var options = quickRetries()
        options.maxRetries = 0
        let transport = try KubeTransport(config: try server.clusterConfig(), options: options)
        var request = KubeRequest(method: "GET", path: "/version")
        request.timeout = 1
        let error = await failure { _ = try await transport.send(request) }
        #expect(error == .timedOut(server: server.server, seconds: 1))
    }

    @Test func gatewayTimeoutStatusIsDecodedAfterRetries() async throws {
        let server = try await TestAPIServer.start()
        try await server.fault(#"{"path": "^/api/v1/namespaces/default$", "action": "504", "times": 10}"#)
        let client = try server.client(options: quickRetries())
        let error = await failure { _ = try await client.get(.namespace, name: "default") }
        #expect(error?.reason == .timeout)
        #expect(try await requests(server, "GET", path).count == 4)
    }

    @Test func unauthorizedNamesTheUser() async throws {
        let server = try await TestAPIServer.start()
        try await server.fault(#"{"path": "^/api/v1/namespaces/default$", "action": "401"}"#)
        let client = try server.client(options: quickRetries())
        let error = await failure { _ = try await client.get(.namespace, name: "default") }
        #expect(error?.description == "\(server.server) rejected the credentials of user \"admin\": Unauthorized")
    }

    @Test func connectionsAreReusedAndUserAgentIsSent() async throws {
        let server = try await TestAPIServer.start()
        let client = try server.client()
        for _ in 0..<10 { _ = try await client.get(.namespace, name: "default") }
        let log = try await requests(server, "GET", path)
        #expect(log.count == 10)
        #expect(Set(log.compactMap { $0["connection"]?.intValue }).count == 1)
        #expect(log.allSatisfy { $0["userAgent"]?.stringValue == "gitopsctl/\(BuildInfo.version)" })
    }

    @Test func wrongCertificateAuthorityIsATLSErrorNamingTheServer() async throws {
        let server = try await TestAPIServer.start()
        try writeKubeconfig(server, "wrong-ca.yaml", cluster: "certificate-authority: other-ca.pem")
        let client = try server.client("wrong-ca.yaml")
        let error = await failure { _ = try await client.get(.namespace, name: "default") }
        guard case let .tls(name, reason)? = error else { Issue.record("expected a TLS error, got \(String(describing: error))"); return }
        #expect(name == server.server)
        #expect(reason.contains("certificate"))
    }

    @Test func certificateForAnotherNameReportsTheMismatch() async throws {
        let server = try await TestAPIServer.start()
        var config = try server.clusterConfig()
        config.tlsServerName = "wrong.example"
        let client = KubeClient(transport: try KubeTransport(config: config))
        let error = await failure { _ = try await client.get(.namespace, name: "default") }
        guard case let .tls(_, reason)? = error else { Issue.record("expected a TLS error, got \(String(describing: error))"); return }
        #expect(reason.contains("wrong.example"))
        config.tlsServerName = "localhost"
        let good = KubeClient(transport: try KubeTransport(config: config))
        #expect(try await good.get(.namespace, name: "default").name == "default")
    }

    @Test func unreachableServerSaysConnectionRefused() async throws {
        var config = ClusterConfig(server: "https://127.0.0.1:1", contextName: "x", userName: "u")
        config.insecureSkipTLSVerify = true
        let client = KubeClient(transport: try KubeTransport(config: config))
        let error = await failure { _ = try await client.get(.namespace, name: "default") }
        #expect(error?.description == "cannot reach https://127.0.0.1:1: connection refused")
    }

    @Test func missingClientCertificateIsRejected() async throws {
        let server = try await TestAPIServer.start()
        var config = try server.clusterConfig()
        config.credentials = ClusterConfig.Credentials()
        let client = KubeClient(transport: try KubeTransport(config: config, options: quickRetries()))
        let error = await failure { _ = try await client.get(.namespace, name: "default") }
        // The TLS 1.3 alert either arrives (a TLS error) or is lost to the server's reset (every
        // fresh connection closed unanswered); both must name the refused client certificate.
        switch error {
        case .tls?: break
        case let .transport(_, reason)?: #expect(reason.contains("does not accept the one of user"), "\(reason)")
        default: Issue.record("expected a TLS error, got \(String(describing: error))")
        }
    }

    @Test func bearerTokenAndBasicAuth() async throws {
        let server = try await TestAPIServer.start(["--client-auth", "optional"])
        var config = try server.clusterConfig()
        config.credentials = ClusterConfig.Credentials()
        config.credentials.token = "admin-token"
        _ = try await KubeClient(transport: try KubeTransport(config: config)).get(.namespace, name: "default")
        #expect(try await server.log().last?["user"]?.stringValue == "token-admin")
        config.credentials.token = nil
        config.credentials.basic = ("basic-user", "basic-pass")
        _ = try await KubeClient(transport: try KubeTransport(config: config)).get(.namespace, name: "default")
        #expect(try await server.log().last?["user"]?.stringValue == "basic-user")
        config.credentials.basic = nil
        config.credentials.token = "expired-token"
        config.userName = "ci"
        let error = await failure {
            _ = try await KubeClient(transport: try KubeTransport(config: config)).get(.namespace, name: "default")
        }
        #expect(error?.description.contains("rejected the credentials of user \"ci\"") == true)
    }

    @Test(arguments: ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"])
    func execPluginIsCachedAndRerunOnceAfter401(_ apiVersion: String) async throws {
        let server = try await TestAPIServer.start(["--client-auth", "optional"])
        // First run hands out an expired token, later runs a good one; each run is counted.
        try server.directory.write("plugin.src", """
            #!/bin/sh
            dir=$(dirname "$0")
            echo run >> "$dir/runs"
            if [ "$(wc -l < "$dir/runs")" -eq 1 ]; then token=expired-token; else token=admin-token; fi
            test -n "$KUBERNETES_EXEC_INFO" || exit 3
            printf '{"kind":"ExecCredential","apiVersion":"%s","status":{"token":"%s","expirationTimestamp":"2099-01-01T00:00:00Z"}}' "$API" "$token"
            """)
        // Installed by a child process: an executable this process wrote itself could still be
        // open in another test's freshly forked child when it runs (ETXTBSY).
        let install = try await offPool {
            try ProcessRunner.run(tool: "install", ["-m", "755", server.file("plugin.src"), server.file("plugin.sh")])
        }
        #expect(install.status == 0)
        try writeKubeconfig(server, "exec.yaml", cluster: "certificate-authority: ca.pem", userName: "eks", user: """
            {exec: {apiVersion: \(apiVersion), command: ./plugin.sh, env: [{name: API, value: \(apiVersion)}],
                    interactiveMode: Never}}
            """)
        let client = try server.client("exec.yaml")
        _ = try await client.get(.namespace, name: "default")
        _ = try await client.get(.namespace, name: "kube-system")
        let runs = try String(contentsOfFile: server.file("runs"), encoding: .utf8)
        #expect(runs.split(separator: "\n").count == 2)
        #expect(try await server.log().last?["user"]?.stringValue == "token-admin")
    }

    @Test(arguments: [("false", "Never", "exit status 1 (its own message, if any, is above)"),
                      ("true", "Always", "interactiveMode is Always, but standard input is not a terminal")])
    func execPluginFailuresNameTheCommand(_ testCase: (String, String, String)) async throws {
        let server = try await TestAPIServer.start(["--client-auth", "optional"])
        var config = try server.clusterConfig()
        config.credentials = ClusterConfig.Credentials()
        config.credentials.exec = Kubeconfig.ExecConfig(apiVersion: "client.authentication.k8s.io/v1", command: testCase.0,
                                                        args: [], env: [], interactiveMode: testCase.1,
                                                        provideClusterInfo: false)
        let client = KubeClient(transport: try KubeTransport(config: config))
        let error = await failure { _ = try await client.get(.namespace, name: "default") }
        #expect(error == .execPlugin(command: testCase.0, reason: testCase.2))
    }

    /// A transport for a kubeconfig whose user runs `script` (written next to it) as its exec plugin.
    /// The script runs through its interpreter: executing a file this process has just written
    /// races with other tests' child processes still holding it open (ETXTBSY).
    private func execTransport(_ server: TestAPIServer, script: String, interpreter: String = "sh",
                               apiVersion: String = "client.authentication.k8s.io/v1beta1") throws -> KubeTransport {
        try server.directory.write("plugin", script)
        try writeKubeconfig(server, "exec-plugin.yaml", cluster: "certificate-authority: ca.pem", userName: "plugin-user",
                            user: """
            {exec: {apiVersion: \(apiVersion), command: \(interpreter), args: ["\(server.file("plugin"))"],
                    interactiveMode: Never}}
            """)
        return try KubeTransport(config: try server.clusterConfig("exec-plugin.yaml"))
    }

    private func pluginRuns(_ server: TestAPIServer) -> Int {
        ((try? String(contentsOfFile: server.file("runs"), encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    @Test(arguments: [("2000-01-01T00:00:00Z", 3), ("2099-01-01T00:00:00Z", 1)])
    func execCredentialIsCachedUntilItExpires(_ testCase: (String, Int)) async throws {
        let server = try await TestAPIServer.start(["--client-auth", "optional"])
        let transport = try execTransport(server, script: """
            echo run >> "$(dirname "$0")/runs"
            printf '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","status":{"token":"admin-token","expirationTimestamp":"\(testCase.0)"}}'
            """)
        for _ in 0..<3 {
            #expect(try await transport.send(KubeRequest(method: "GET", path: "/api/v1/namespaces/default")).status == 200)
        }
        #expect(pluginRuns(server) == testCase.1)
    }

    @Test func execPluginIsRerunOnlyOnceWhenTheServerKeepsRefusing() async throws {
        let server = try await TestAPIServer.start(["--client-auth", "optional"])
        let transport = try execTransport(server, script: """
            echo run >> "$(dirname "$0")/runs"
            printf '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","status":{"token":"expired-token"}}'
            """)
        let error = await failure {
            _ = try await transport.send(KubeRequest(method: "GET", path: "/api/v1/namespaces/default"))
        }
        #expect(error == .unauthorized(server: server.server, user: "plugin-user", message: "Unauthorized"))
        #expect(pluginRuns(server) == 2)
    }

    @Test func execPluginMayHandOutAClientCertificate() async throws {
        let server = try await TestAPIServer.start()
        let transport = try execTransport(server, script: """
            import json, os
            d = os.path.dirname(os.path.abspath(__file__))
            read = lambda n: open(os.path.join(d, n)).read()
            print(json.dumps({"kind": "ExecCredential", "apiVersion": "client.authentication.k8s.io/v1",
                              "status": {"clientCertificateData": read("viewer.crt"), "clientKeyData": read("viewer.key")}}))
            """, interpreter: "python3", apiVersion: "client.authentication.k8s.io/v1")
        #expect(try await transport.send(KubeRequest(method: "GET", path: "/api/v1/namespaces/default")).status == 200)
        #expect(try await server.log().last?["user"]?.stringValue == "viewer")
    }

    @Test func insecureSkipsVerification() async throws {
        let server = try await TestAPIServer.start()
        var config = try server.clusterConfig()
        config.certificateAuthorityPEM = nil
        config.insecureSkipTLSVerify = true
        let client = KubeClient(transport: try KubeTransport(config: config))
        #expect(try await client.get(.namespace, name: "default").name == "default")
    }

    @Test func aggregatedAndLegacyDiscoveryAgree() async throws {
        let server = try await TestAPIServer.start(preloadCRDs: true)
        let client = try server.client()
        let aggregated = try await client.serverResources()
        let ks = try await client.resource(for: .kustomization)
        #expect(ks.name == "kustomizations" && ks.namespaced && ks.hasStatus)
        #expect(try await client.resource(for: .namespace).namespaced == false)
        // Legacy per-group documents, as older servers serve them.
        let legacy = try await Discovery.legacyForTests(client)
        #expect(Set(aggregated.map(\.kind)) == Set(legacy.map(\.kind)))
        #expect(Set(aggregated) == Set(legacy))
    }

    @Test func rotatedTokenFileIsReadAgainAfter401() async throws {
        let server = try await TestAPIServer.start(["--client-auth", "optional"])
        let token = try server.directory.write("token", "expired-token\n")
        var config = try server.clusterConfig()
        config.credentials = ClusterConfig.Credentials()
        config.credentials.token = "expired-token"
        config.credentials.tokenFile = token.path
        let client = KubeClient(transport: try KubeTransport(config: config))
        try server.directory.write("token", "admin-token\n")
        _ = try await client.get(.namespace, name: "default")
        let users = try await server.log().compactMap { $0["user"]?.stringValue }
        #expect(users.last == "token-admin")
    }

    @Test func logsAndErrorsNeverCarryCredentials() async throws {
        let server = try await TestAPIServer.start(["--client-auth", "optional"])
        var config = try server.clusterConfig()
        let key = try #require(config.credentials.clientKeyPEM)
        config.credentials.clientCertificatePEM = nil
        config.credentials.clientKeyPEM = nil
        config.credentials.token = "expired-token"
        let lines = LogLines()
        let client = KubeClient(transport: try KubeTransport(config: config, log: { lines.add($0) }))
        let error = await failure { _ = try await client.get(.secret, name: "s", namespace: "default") }
        let text = lines.all.joined(separator: "\n") + (error?.description ?? "") + (error?.hint ?? "")
        #expect(!lines.all.isEmpty)
        #expect(!text.contains("expired-token"))
        #expect(!text.contains(String(decoding: key, as: UTF8.self).split(separator: "\n")[1]))
        #expect(lines.all.allSatisfy { $0.hasPrefix("GET https://127.0.0.1:") })
    }
}

private final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}
