import Foundation

/// The loopback Kubernetes API test server (Tests/Support/kube-apiserver/server.py) for one
/// test: its own CA and client certificates, an ephemeral port, and a kubeconfig in a private
/// directory. It stops when the value goes away (stdin EOF, then SIGKILL, because a child of a
/// Swift Testing thread inherits a blocked SIGTERM).
public final class KubeAPIServer: @unchecked Sendable {
    public let directory: TemporaryDirectory
    public var port: Int { child.port }
    private let child: ReadyProcess

    /// The admin kubeconfig (user `admin`, group `system:masters`).
    public var kubeconfig: String { directory.path("kubeconfig").path }
    public var server: String { "https://127.0.0.1:\(port)" }
    public func file(_ name: String) -> String { directory.path(name).path }

    public init(_ arguments: [String] = [], preloadCRDs: Bool = false) throws {
        directory = try TemporaryDirectory(prefix: "kube-apiserver")
        let script = TestPaths.repoRoot.appendingPathComponent("Tests/Support/kube-apiserver/server.py")
        child = try ReadyProcess(["python3", script.path, directory.url.path]
                                 + (preloadCRDs ? ["--preload-crds", TestPaths.crds.path] : []) + arguments,
                                 name: "test API server")
    }

    /// Calls the server's `/__admin/` API (reset, faults, requests, compact, tokens, status)
    /// with the curl CLI, independent of the code under test. Returns the JSON body.
    @discardableResult
    public func admin(_ method: String, _ what: String, _ body: String? = nil) throws -> Data {
        var args = ["-sS", "--fail-with-body", "--cacert", file("ca.pem"), "--cert", file("admin.crt"),
                    "--key", file("admin.key"), "-X", method, "\(server)/__admin/\(what)"]
        if let body { args += ["-H", "Content-Type: application/json", "--data-binary", body] }
        let result = try ProcessRunner.run(tool: "curl", args)
        guard result.status == 0 else {
            throw KubeAPIServerError(message: "admin \(what) failed: \(result.stderrText) \(result.stdoutText)")
        }
        return result.stdout
    }

    /// Adds a fault rule: `{"path": REGEX, "method": M, "action": "429"|"500"|"504"|"401"|"drop"|"slow",
    /// "nth": N, "times": K, "retryAfter": S, "seconds": S}`.
    public func inject(_ fault: String) throws { try admin("POST", "faults", fault) }

    /// Sets an object's status as a controller would (`{"group","resource","namespace","name","status"}`).
    public func setStatus(_ json: String) throws { try admin("POST", "status", json) }

    /// Applies manifests through kubectl (server-side apply), an independent client.
    public func kubectlApply(_ yaml: String) throws {
        let result = try ProcessRunner.run(tool: "kubectl", ["apply", "--server-side", "--validate=false", "-f", "-"],
                                           stdin: Data(yaml.utf8), environment: ["KUBECONFIG": kubeconfig])
        guard result.status == 0 else { throw KubeAPIServerError(message: "kubectl apply failed: \(result.stderrText)") }
    }

    /// The flux-system Namespace and a `sops-age` Secret holding `identity`, as
    /// `kubectl create secret generic sops-age --from-file=age.agekey=FILE` leaves it.
    public func applySopsAgeSecret(_ identity: String) throws {
        try kubectlApply("""
            apiVersion: v1
            kind: Namespace
            metadata: {name: flux-system}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: sops-age, namespace: flux-system}
            data:
              age.agekey: \(Data(identity.utf8).base64EncodedString())
            """)
    }
}

public struct KubeAPIServerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
    public init(message: String) { self.message = message }
}
