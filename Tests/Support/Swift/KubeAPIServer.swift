import Foundation

/// The loopback Kubernetes API test server (Tests/Support/kube-apiserver/server.py) for one
/// test: its own CA and client certificates, an ephemeral port, and a kubeconfig in a private
/// directory. It stops when the value goes away (stdin EOF, then SIGKILL, because a child of a
/// Swift Testing thread inherits a blocked SIGTERM).
public final class KubeAPIServer: @unchecked Sendable {
    public let directory: TemporaryDirectory
    public let port: Int
    private let process: Process
    private let stdin: Pipe

    /// The admin kubeconfig (user `admin`, group `system:masters`).
    public var kubeconfig: String { directory.path("kubeconfig").path }
    public var server: String { "https://127.0.0.1:\(port)" }
    public func file(_ name: String) -> String { directory.path(name).path }

    public init(_ arguments: [String] = [], preloadCRDs: Bool = false) throws {
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
        guard text.hasPrefix("READY "),
              let port = Int(text.dropFirst(6).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL)
            throw KubeAPIServerError(message: "test API server did not start: \(text)")
        }
        self.port = port
    }

    deinit {
        try? stdin.fileHandleForWriting.close()
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
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
}

public struct KubeAPIServerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
    public init(message: String) { self.message = message }
}
