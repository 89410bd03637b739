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

/// A helper process from Tests/Support/kube-apiserver that prints `READY <port>` and exits when
/// its stdin closes: the HTTP/2 front (`node h2-front.js`), the CONNECT proxy, the black hole.
final class LoopbackHelper: @unchecked Sendable {
    let port: Int
    private let process: Process
    private let stdin: Pipe

    private init(_ arguments: [String]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("READY "), let port = Int(text.dropFirst(6).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL)
            throw KubeAPIServerError(message: "\(arguments.joined(separator: " ")) did not start: \(text)")
        }
        self.port = port
    }

    deinit {
        try? stdin.fileHandleForWriting.close()
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    private static let directory = TestPaths.repoRoot.appendingPathComponent("Tests/Support/kube-apiserver")

    /// An HTTP/2-only TLS front (node's http2 module) for `server`, with the same certificates.
    static func http2Front(for server: KubeAPIServer) async throws -> LoopbackHelper {
        try await offPool {
            try LoopbackHelper(["node", directory.appendingPathComponent("h2-front.js").path,
                                server.directory.url.path, String(server.port)])
        }
    }

    /// A port whose connections never complete (its accept backlog is full).
    static func blackhole() async throws -> LoopbackHelper {
        try await offPool { try LoopbackHelper(["python3", directory.appendingPathComponent("blackhole.py").path]) }
    }

    /// An HTTP CONNECT proxy that logs each tunnel it opens to `log`.
    static func connectProxy(log: String) async throws -> LoopbackHelper {
        try await offPool {
            try LoopbackHelper(["python3", directory.appendingPathComponent("connect-proxy.py").path, log])
        }
    }
}
