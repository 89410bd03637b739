import Foundation
import TestSupport
@testable import GitOpsCore

typealias TestAPIServer = KubeAPIServer

extension KubeAPIServer {
    /// A kubeconfig the server wrote (`kubeconfig`, `kubeconfig-rsa`, `-pkcs8`, `-viewer`), resolved.
    func clusterConfig(_ name: String = "kubeconfig") throws -> ClusterConfig {
        try KubeconfigSource(explicitPath: file(name), environment: [:]).resolve()
    }

    func client(_ name: String = "kubeconfig", options: TransportOptions = TransportOptions()) throws -> KubeClient {
        KubeClient(transport: try KubeTransport(config: try clusterConfig(name), options: options))
    }

    /// The requests the server saw (method, path, query, contentType, userAgent, connection, user).
    func requests() throws -> [KubeJSON] {
        try KubeJSON.parse(Array(admin("GET", "requests")))["requests"]?.arrayValue ?? []
    }

    /// Waits (up to 20 s) until the server has seen `count` requests matching `predicate`, so a
    /// test can order its steps after the client's without guessing with sleeps.
    func waitForRequests(_ count: Int = 1, _ predicate: (KubeJSON) -> Bool) async throws {
        for _ in 0..<200 {
            if try requests().filter(predicate).count >= count { return }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        throw KubeAPIServerError(message: "the expected requests did not arrive")
    }

    func waitForWatches(_ count: Int = 1) async throws {
        try await waitForRequests(count) { $0["query"]?.stringValue?.contains("watch=1") == true }
    }
}
