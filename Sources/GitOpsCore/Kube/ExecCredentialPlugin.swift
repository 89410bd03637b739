import Foundation

/// Runs a kubeconfig `exec` credential plugin (EKS, GKE, OIDC helpers) and caches what it
/// returns until its `expirationTimestamp`, as client-go's exec authenticator does. After a 401
/// the transport asks for a fresh credential once.
final class ExecCredentialPlugin: @unchecked Sendable {
    /// What a plugin hands back: a bearer token or a client certificate pair.
    struct Credential: Sendable {
        var token: String?
        var clientCertificatePEM: [UInt8]?
        var clientKeyPEM: [UInt8]?
        var expires: Date?
    }

    private let config: Kubeconfig.ExecConfig
    private let server: String
    private let lock = NSLock()
    private var cached: Credential?
    /// How many times the plugin has run; a 401 only re-runs it when no other request already has.
    private var runs = 0

    init(config: Kubeconfig.ExecConfig, server: String) {
        self.config = config
        self.server = server
    }

    /// The cached credential while it is valid, else a fresh one from the plugin.
    func credential() throws(KubeError) -> Credential {
        lock.lock()
        defer { lock.unlock() }
        if let cached, cached.expires.map({ $0 > Date() }) ?? true { return cached }
        return try runLocked()
    }

    /// The credential to send and the generation it belongs to, read together so a 401 after it
    /// refreshes only this credential.
    func current() throws(KubeError) -> (Credential, Int) {
        lock.lock()
        defer { lock.unlock() }
        if let cached, cached.expires.map({ $0 > Date() }) ?? true { return (cached, runs) }
        let fresh = try runLocked()
        return (fresh, runs)
    }

    /// Runs the plugin again unless a newer credential than `generation` exists already.
    func refresh(after generation: Int) throws(KubeError) {
        lock.lock()
        defer { lock.unlock() }
        guard runs == generation else { return }
        _ = try runLocked()
    }

    private func runLocked() throws(KubeError) -> Credential {
        let fresh = try run()
        cached = fresh
        runs += 1
        return fresh
    }

    private func run() throws(KubeError) -> Credential {
        var plugin = ChildProcess(program: config.command, arguments: config.args)
        var environment: [String: String] = [:]
        for entry in config.env { environment[entry.name] = entry.value }
        // client-go's rules: Never gets no stdin, IfAvailable gets the terminal when there is one,
        // Always insists on one.
        let terminal = isatty(STDIN_FILENO) == 1
        let interactive: Bool
        switch config.interactiveMode ?? "IfAvailable" {
        case "Never": interactive = false
        case "Always":
            guard terminal else {
                throw .execPlugin(command: config.command,
                                  reason: "interactiveMode is Always, but standard input is not a terminal")
            }
            interactive = true
        default: interactive = terminal
        }
        var spec: KubeJSON = .object([("interactive", .bool(interactive))])
        if config.provideClusterInfo { spec.set("cluster", .object([("server", .string(server))])) }
        environment["KUBERNETES_EXEC_INFO"] = KubeJSON.object([
            ("kind", .string("ExecCredential")), ("apiVersion", .string(config.apiVersion)), ("spec", spec),
        ]).serialized
        plugin.environment = .inherited(adding: environment)
        plugin.standardInput = interactive ? .inherited : .nullDevice
        // The plugin's stderr is the user's, as client-go wires it: device-code login URLs,
        // prompts and the plugin's own errors must reach them.
        plugin.standardError = .inherited
        let result: ChildProcessResult
        do { result = try plugin.run() } catch {
            throw .execPlugin(command: config.command, reason: "cannot start it: \(error.reason)")
        }
        guard result.succeeded else {
            throw .execPlugin(command: config.command, reason: "\(result.termination) (its own message, if any, is above)")
        }
        return try decode(result.standardOutput)
    }

    private func decode(_ bytes: [UInt8]) throws(KubeError) -> Credential {
        guard let json = try? KubeJSON.parse(bytes), json["kind"]?.stringValue == "ExecCredential" else {
            throw .execPlugin(command: config.command, reason: "its output is not an ExecCredential object")
        }
        guard json["apiVersion"]?.stringValue == config.apiVersion else {
            throw .execPlugin(command: config.command,
                              reason: "it returned apiVersion \(json["apiVersion"]?.stringValue ?? "(none)"), "
                                + "but the kubeconfig asks for \(config.apiVersion)")
        }
        let status = json["status"]
        var credential = Credential(token: status?["token"]?.stringValue,
                                    clientCertificatePEM: status?["clientCertificateData"]?.stringValue.map { Array($0.utf8) },
                                    clientKeyPEM: status?["clientKeyData"]?.stringValue.map { Array($0.utf8) })
        guard credential.token != nil || (credential.clientCertificatePEM != nil && credential.clientKeyPEM != nil) else {
            throw .execPlugin(command: config.command, reason: "its ExecCredential has neither a token nor a client certificate and key")
        }
        if let stamp = status?["expirationTimestamp"]?.stringValue {
            guard let date = ISO8601DateFormatter().date(from: stamp) else {
                throw .execPlugin(command: config.command, reason: "expirationTimestamp \(stamp) is not RFC 3339")
            }
            credential.expires = date
        }
        return credential
    }
}
