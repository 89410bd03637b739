import Foundation
import Testing
import TestSupport

/// A kubeconfig exec credential plugin through the built binary: its stderr is the user's, as
/// with kubectl (a device-code login prints its URL there), and its stdout only feeds the
/// credential.
@Suite("exec credential plugins")
struct ExecPluginCommandTests {
    private func kubeconfig(_ server: KubeAPIServer, plugin: String) throws -> String {
        try server.directory.write("plugin", plugin)
        let admin = try String(contentsOfFile: server.kubeconfig, encoding: .utf8)
        let cluster = try #require(admin.components(separatedBy: "contexts:").first)
        try server.directory.write("exec-kubeconfig", cluster + """
            contexts:
            - name: test
              context: {cluster: test, user: login}
            current-context: test
            users:
            - name: login
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: sh
                  args: ["\(server.file("plugin"))"]
                  interactiveMode: Never

            """)
        return server.file("exec-kubeconfig")
    }

    @Test func thePluginsStderrReachesTheUser() throws {
        let server = try KubeAPIServer(["--client-auth", "optional"], preloadCRDs: true)
        let config = try kubeconfig(server, plugin: """
            echo "To sign in, open https://login.example/device and enter ABCD-EFGH" >&2
            printf '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"admin-token"}}'
            """)
        let result = try ProcessRunner.gitopsctl(["get", "ks", "-A", "--kubeconfig", config])
        // Authenticated and answered: an empty cluster, which `get` reports as flux does.
        #expect(result.stderrText.contains("no Kustomization objects found in any namespace"), "\(result.stderrText)")
        #expect(result.stderrText.contains("To sign in, open https://login.example/device and enter ABCD-EFGH\n"))
        #expect(!result.stdoutText.contains("login.example"))
    }

    @Test func aFailingPluginsOwnMessageComesBeforeOurs() throws {
        let server = try KubeAPIServer(["--client-auth", "optional"], preloadCRDs: true)
        let config = try kubeconfig(server, plugin: """
            echo "error: refresh token expired, run: login-tool refresh" >&2
            exit 3
            """)
        let result = try ProcessRunner.gitopsctl(["get", "ks", "-A", "--kubeconfig", config])
        #expect(result.status != 0)
        let lines = result.stderrText.split(separator: "\n").map(String.init)
        let own = try #require(lines.firstIndex(of: "error: refresh token expired, run: login-tool refresh"))
        let ours = try #require(lines.firstIndex { $0.contains("exit status 3") && $0.contains("sh") })
        #expect(own < ours, "\(result.stderrText)")
    }
}
