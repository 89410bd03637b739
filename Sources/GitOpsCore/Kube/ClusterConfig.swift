import Foundation

/// Everything needed to talk to one cluster as one user: the outcome of picking a context from
/// the kubeconfig (or of in-cluster configuration), with certificate and token files read.
public struct ClusterConfig: Sendable {
    /// How requests prove who is asking.
    public struct Credentials: Sendable {
        public var clientCertificatePEM: [UInt8]?
        public var clientKeyPEM: [UInt8]?
        public var token: String?
        /// Re-read when the server answers 401, as client-go does for rotated tokens.
        public var tokenFile: String?
        public var basic: (username: String, password: String)?
        public var exec: Kubeconfig.ExecConfig?

        public init() {}
    }

    public var server: String
    public var certificateAuthorityPEM: [UInt8]?
    public var insecureSkipTLSVerify = false
    public var tlsServerName: String?
    public var proxyURL: String?
    public var credentials = Credentials()
    /// The context's namespace, when it sets one.
    public var namespace: String?
    public var contextName: String
    /// The kubeconfig user name, for messages such as "rejected the credentials of user …".
    public var userName: String

    public init(server: String, contextName: String = "", userName: String = "") {
        self.server = server
        self.contextName = contextName
        self.userName = userName
    }
}

/// Where kubeconfig comes from: `--kubeconfig`, `$KUBECONFIG`, `~/.kube/config`, in that order,
/// then the pod's service account when running inside a cluster.
public struct KubeconfigSource: Sendable {
    public var explicitPath: String?
    public var context: String?
    public var environment: [String: String]
    public var homeDirectory: String
    public var serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    public init(explicitPath: String? = nil, context: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                homeDirectory: String = NSHomeDirectory()) {
        self.explicitPath = explicitPath
        self.context = context
        self.environment = environment
        self.homeDirectory = homeDirectory
    }

    /// The files to merge, highest precedence first. An explicit path must exist; entries of
    /// `KUBECONFIG` that do not exist are skipped, as kubectl skips them.
    func files() throws(KubeError) -> [String] {
        if let explicitPath, !explicitPath.isEmpty {
            guard FileManager.default.fileExists(atPath: explicitPath) else {
                throw .kubeconfigMissing(file: explicitPath)
            }
            return [explicitPath]
        }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            var seen = Set<String>()
            return list.split(separator: ":").map(String.init)
                .filter { !$0.isEmpty && seen.insert($0).inserted && FileManager.default.fileExists(atPath: $0) }
        }
        let home = (homeDirectory as NSString).appendingPathComponent(".kube/config")
        return FileManager.default.fileExists(atPath: home) ? [home] : []
    }

    /// Reads and merges the kubeconfig files.
    public func load() throws(KubeError) -> Kubeconfig {
        var merged = Kubeconfig()
        for file in try files() {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw .credentialFile(path: file, reason: "permission denied")
            }
            merged.merge(try KubeconfigParser(file: file).parse([UInt8](data)))
        }
        return merged
    }

    /// The cluster and credentials to use: the chosen context of the kubeconfig, or the pod's
    /// service account when there is no kubeconfig and `KUBERNETES_SERVICE_HOST` is set.
    public func resolve() throws(KubeError) -> ClusterConfig {
        let config = try load()
        if config.files.isEmpty, context == nil, let inCluster = try inClusterConfig() { return inCluster }
        guard !config.files.isEmpty else { throw .noConfiguration }
        return try config.clusterConfig(context: context)
    }

    func inClusterConfig() throws(KubeError) -> ClusterConfig? {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], let port = environment["KUBERNETES_SERVICE_PORT"],
              !host.isEmpty, !port.isEmpty else { return nil }
        let dir = serviceAccountDirectory as NSString
        let hostPart = host.contains(":") ? "[\(host)]" : host
        var cluster = ClusterConfig(server: "https://\(hostPart):\(port)", contextName: "in-cluster",
                                    userName: "serviceaccount")
        cluster.certificateAuthorityPEM = try readFile(dir.appendingPathComponent("ca.crt"))
        let tokenPath = dir.appendingPathComponent("token")
        cluster.credentials.token = String(decoding: try readFile(tokenPath), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        cluster.credentials.tokenFile = tokenPath
        if let ns = FileManager.default.contents(atPath: dir.appendingPathComponent("namespace")) {
            cluster.namespace = String(decoding: ns, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return cluster
    }
}

func readFile(_ path: String) throws(KubeError) -> [UInt8] {
    guard FileManager.default.fileExists(atPath: path) else {
        throw .credentialFile(path: path, reason: "no such file or directory")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw .credentialFile(path: path, reason: "permission denied")
    }
    return [UInt8](data)
}

func readFile(ifSet path: String?) throws(KubeError) -> [UInt8]? {
    guard let path else { return nil }
    return try readFile(path)
}

extension Kubeconfig {
    /// Picks `context` (or the current context) and reads the files it names.
    public func clusterConfig(context requested: String?) throws(KubeError) -> ClusterConfig {
        let name: String
        if let requested, !requested.isEmpty {
            name = requested
        } else if let current = currentContext, !current.isEmpty {
            name = current
        } else {
            throw .noCurrentContext(available: contextNames)
        }
        guard let context = contexts[name] else { throw .unknownContext(name, available: contextNames) }
        guard let cluster = clusters[context.cluster] else { throw .unknownCluster(context.cluster, context: name) }
        guard let user = users[context.user] ?? (context.user.isEmpty ? emptyUser(context) : nil) else {
            throw .unknownUser(context.user, context: name)
        }
        guard !cluster.server.isEmpty else {
            throw .kubeconfigInvalid(file: cluster.origin.file, line: cluster.origin.line, column: cluster.origin.column,
                                     reason: "cluster \"\(cluster.name)\" has no server")
        }
        var out = ClusterConfig(server: cluster.server, contextName: name, userName: user.name)
        out.namespace = context.namespace
        out.insecureSkipTLSVerify = cluster.insecureSkipTLSVerify
        out.tlsServerName = cluster.tlsServerName
        out.proxyURL = cluster.proxyURL
        out.certificateAuthorityPEM = cluster.certificateAuthorityData
        if out.certificateAuthorityPEM == nil { out.certificateAuthorityPEM = try readFile(ifSet: cluster.certificateAuthority) }
        var credentials = ClusterConfig.Credentials()
        credentials.clientCertificatePEM = user.clientCertificateData
        if credentials.clientCertificatePEM == nil {
            credentials.clientCertificatePEM = try readFile(ifSet: user.clientCertificate)
        }
        credentials.clientKeyPEM = user.clientKeyData
        if credentials.clientKeyPEM == nil { credentials.clientKeyPEM = try readFile(ifSet: user.clientKey) }
        if (credentials.clientCertificatePEM == nil) != (credentials.clientKeyPEM == nil) {
            throw .kubeconfigInvalid(file: user.origin.file, line: user.origin.line, column: user.origin.column,
                                     reason: "user \"\(user.name)\" needs both a client certificate and a client key")
        }
        credentials.token = user.token
        if credentials.token == nil, let file = user.tokenFile {
            credentials.token = String(decoding: try readFile(file), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            credentials.tokenFile = file
        }
        if let username = user.username, let password = user.password { credentials.basic = (username, password) }
        credentials.exec = user.exec
        out.credentials = credentials
        return out
    }

    private func emptyUser(_ context: Context) -> User {
        User(name: "", origin: context.origin)
    }
}
