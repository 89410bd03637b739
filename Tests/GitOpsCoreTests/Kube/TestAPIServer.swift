import Foundation
import TestSupport
@testable import GitOpsCore

/// The loopback API server (Tests/Support/kube-apiserver/server.py) for one test: started on an
/// ephemeral port with its own CA, stopped when the value goes away (stdin EOF, then SIGKILL).
final class TestAPIServer: @unchecked Sendable {
    let directory: TemporaryDirectory
    let port: Int
    private let process: Process
    private let stdin: Pipe

    var kubeconfig: String { directory.path("kubeconfig").path }
    var server: String { "https://127.0.0.1:\(port)" }
    func file(_ name: String) -> String { directory.path(name).path }

    init(_ arguments: [String] = [], preloadCRDs: Bool = false) throws {
        directory = try TemporaryDirectory(prefix: "kube-apiserver")
        let script = TestPaths.repoRoot.appendingPathComponent("Tests/Support/kube-apiserver/server.py")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, directory.url.path]
            + (preloadCRDs ? ["--preload-crds", TestPaths.crds.path] : []) + arguments
        stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        var line = Data()
        let reader = stdout.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("READY "), let port = Int(text.dropFirst(6).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw TestServerError(message: "test API server did not start: \(text)")
        }
        self.port = port
    }

    deinit {
        try? stdin.fileHandleForWriting.close()
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The admin kubeconfig, resolved.
    func clusterConfig(_ name: String = "kubeconfig") throws -> ClusterConfig {
        try KubeconfigSource(explicitPath: file(name), environment: [:]).resolve()
    }

    func client(_ name: String = "kubeconfig", options: TransportOptions = TransportOptions()) throws -> KubeClient {
        KubeClient(transport: try KubeTransport(config: try clusterConfig(name), options: options))
    }

    /// Calls the server's `/__admin/` API with the curl CLI, independent of the code under test.
    @discardableResult
    func admin(_ method: String, _ what: String, _ body: String? = nil) throws -> KubeJSON {
        var args = ["-sS", "--cacert", file("ca.pem"), "--cert", file("admin.crt"), "--key", file("admin.key"),
                    "-X", method, "\(server)/__admin/\(what)"]
        if let body { args += ["-H", "Content-Type: application/json", "--data-binary", body] }
        let result = try ProcessRunner.run(tool: "curl", args)
        return try KubeJSON.parse(Array(result.stdout))
    }

    func inject(_ fault: String) throws { try admin("POST", "faults", fault) }

    /// The requests the server saw (method, path, query, contentType, userAgent, connection, user).
    func requests() throws -> [KubeJSON] {
        try admin("GET", "requests")["requests"]?.arrayValue ?? []
    }
}

struct TestServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
