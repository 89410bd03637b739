import Foundation
import TestSupport
@testable import GitOpsCore

typealias TestAPIServer = KubeAPIServer

extension KubeAPIServer {
    /// Starts a server without blocking a concurrency pool thread while Python starts up.
    static func start(_ arguments: [String] = [], preloadCRDs: Bool = false) async throws -> KubeAPIServer {
        try await offPool { try KubeAPIServer(arguments, preloadCRDs: preloadCRDs) }
    }

    /// A kubeconfig the server wrote (`kubeconfig`, `kubeconfig-rsa`, `-pkcs8`, `-viewer`), resolved.
    func clusterConfig(_ name: String = "kubeconfig") throws -> ClusterConfig {
        try KubeconfigSource(explicitPath: file(name), environment: [:]).resolve()
    }

    func client(_ name: String = "kubeconfig", options: TransportOptions = TransportOptions()) throws -> KubeClient {
        KubeClient(transport: try KubeTransport(config: try clusterConfig(name), options: options))
    }

    /// Adds a fault rule (see `inject`), off the pool: the admin call waits for a curl process.
    func fault(_ json: String) async throws { try await offPool { try self.inject(json) } }

    /// Sets an object's status as its controller would, off the pool.
    func status(_ json: String) async throws { try await offPool { try self.setStatus(json) } }

    /// Any other admin call, off the pool.
    @discardableResult
    func adminCall(_ method: String, _ what: String, _ body: String? = nil) async throws -> Data {
        try await offPool { try self.admin(method, what, body) }
    }

    /// The requests the server saw, from a synchronous test (async tests use `log()`).
    func requests() throws -> [KubeJSON] {
        try KubeJSON.parse(Array(admin("GET", "requests")))["requests"]?.arrayValue ?? []
    }

    /// The requests the server saw (method, path, query, contentType, userAgent, connection, user,
    /// earlyRetry).
    func log() async throws -> [KubeJSON] {
        try KubeJSON.parse(Array(try await adminCall("GET", "requests")))["requests"]?.arrayValue ?? []
    }

    /// Waits (up to 20 s) until the server has seen `count` requests matching `predicate`, so a
    /// test can order its steps after the client's without guessing with sleeps.
    func waitForRequests(_ count: Int = 1, _ predicate: (KubeJSON) -> Bool) async throws {
        for _ in 0..<200 {
            if try await log().filter(predicate).count >= count { return }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        throw KubeAPIServerError(message: "the expected requests did not arrive")
    }

    func waitForWatches(_ count: Int = 1) async throws {
        try await waitForRequests(count) { $0["query"]?.stringValue?.contains("watch=1") == true }
    }
}

/// The helper processes of Tests/Support/kube-apiserver beside the test API server.
extension ReadyProcess {
    private static let directory = TestPaths.repoRoot.appendingPathComponent("Tests/Support/kube-apiserver")

    /// An HTTP/2-only TLS front (node's http2 module) for `server`, with the same certificates.
    static func http2Front(for server: KubeAPIServer) async throws -> ReadyProcess {
        try await offPool {
            try ReadyProcess(["node", directory.appendingPathComponent("h2-front.js").path,
                              server.directory.url.path, String(server.port)], name: "h2-front.js")
        }
    }

    /// A port whose connections never complete (its accept backlog is full).
    static func blackhole() async throws -> ReadyProcess {
        try await offPool { try ReadyProcess(["python3", directory.appendingPathComponent("blackhole.py").path], name: "blackhole.py") }
    }

    /// An HTTP CONNECT proxy that logs each tunnel it opens to `log`.
    static func connectProxy(log: String) async throws -> ReadyProcess {
        try await offPool {
            try ReadyProcess(["python3", directory.appendingPathComponent("connect-proxy.py").path, log], name: "connect-proxy.py")
        }
    }
}
