import Foundation

/// Reads one kubeconfig file into a `Kubeconfig`, resolving relative paths against its directory
/// (clientcmd's ResolveLocalPaths) and pointing every error at `file:line:col`.
struct KubeconfigParser {
    let file: String
    let directory: String

    init(file: String) {
        self.file = file
        directory = (file as NSString).deletingLastPathComponent
    }

    func parse(_ bytes: [UInt8]) throws(KubeError) -> Kubeconfig {
        let root = try KubeconfigNode.parse(bytes, file: file)
        guard root.members != nil else { throw invalid(root, "a kubeconfig must be a mapping") }
        var config = Kubeconfig()
        config.files = [file]
        config.currentContext = root["current-context"]?.string
        for entry in try list(root, "clusters") {
            let (name, body) = try named(entry, "cluster")
            guard config.clusters[name] == nil else { continue }
            config.clusters[name] = try cluster(name, body, entry)
        }
        for entry in try list(root, "users") {
            let (name, body) = try named(entry, "user")
            guard config.users[name] == nil else { continue }
            config.users[name] = try user(name, body, entry)
        }
        for entry in try list(root, "contexts") {
            let (name, body) = try named(entry, "context")
            guard config.contexts[name] == nil else { continue }
            config.contexts[name] = Kubeconfig.Context(
                name: name, cluster: body["cluster"]?.string ?? "", user: body["user"]?.string ?? "",
                namespace: body["namespace"]?.string, origin: origin(entry))
            config.contextNames.append(name)
        }
        return config
    }

    private func origin(_ node: KubeconfigNode) -> Kubeconfig.Origin {
        .init(file: file, line: node.line, column: node.column)
    }

    private func invalid(_ node: KubeconfigNode, _ reason: String) -> KubeError {
        .kubeconfigInvalid(file: file, line: node.line, column: node.column, reason: reason)
    }

    private func list(_ root: KubeconfigNode, _ key: String) throws(KubeError) -> [KubeconfigNode] {
        guard let node = root[key] else { return [] }
        guard let items = node.items else { throw invalid(node, "\(key) must be a list") }
        return items
    }

    private func named(_ entry: KubeconfigNode, _ key: String) throws(KubeError) -> (String, KubeconfigNode) {
        guard entry.members != nil else { throw invalid(entry, "each entry must be a mapping with name and \(key)") }
        guard let name = entry["name"]?.string, !name.isEmpty else { throw invalid(entry, "entry has no name") }
        let body = entry[key] ?? KubeconfigNode(value: .mapping([]), line: entry.line, column: entry.column)
        guard body.members != nil else { throw invalid(body, "\(key) of \"\(name)\" must be a mapping") }
        return (name, body)
    }

    private func path(_ node: KubeconfigNode?) -> String? {
        guard let value = node?.string, !value.isEmpty else { return nil }
        if value.hasPrefix("/") || directory.isEmpty { return value }
        if value.hasPrefix("~/") { return NSHomeDirectory() + value.dropFirst() }
        return (directory as NSString).appendingPathComponent(value)
    }

    private func base64(_ node: KubeconfigNode?, _ field: String) throws(KubeError) -> [UInt8]? {
        guard let node, let text = node.string else { return nil }
        let compact = text.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: compact) else {
            throw invalid(node, "\(field) is not valid base64")
        }
        return [UInt8](data)
    }

    private func cluster(_ name: String, _ body: KubeconfigNode,
                         _ entry: KubeconfigNode) throws(KubeError) -> Kubeconfig.Cluster {
        var insecure = false
        if let node = body["insecure-skip-tls-verify"] {
            guard let value = node.bool else { throw invalid(node, "insecure-skip-tls-verify must be true or false") }
            insecure = value
        }
        return Kubeconfig.Cluster(
            name: name, server: body["server"]?.string ?? "",
            certificateAuthorityData: try base64(body["certificate-authority-data"], "certificate-authority-data"),
            certificateAuthority: path(body["certificate-authority"]), insecureSkipTLSVerify: insecure,
            tlsServerName: body["tls-server-name"]?.string, proxyURL: body["proxy-url"]?.string,
            origin: origin(entry))
    }

    private func user(_ name: String, _ body: KubeconfigNode,
                      _ entry: KubeconfigNode) throws(KubeError) -> Kubeconfig.User {
        Kubeconfig.User(
            name: name,
            clientCertificateData: try base64(body["client-certificate-data"], "client-certificate-data"),
            clientCertificate: path(body["client-certificate"]),
            clientKeyData: try base64(body["client-key-data"], "client-key-data"),
            clientKey: path(body["client-key"]),
            token: body["token"]?.string, tokenFile: path(body["tokenFile"]),
            username: body["username"]?.string, password: body["password"]?.string,
            exec: try exec(body["exec"]), origin: origin(entry))
    }

    private func exec(_ node: KubeconfigNode?) throws(KubeError) -> Kubeconfig.ExecConfig? {
        guard let node, node.members.map({ !$0.isEmpty }) ?? true else { return nil }
        guard let command = node["command"]?.string, !command.isEmpty else {
            throw invalid(node, "exec needs a command")
        }
        let apiVersion = node["apiVersion"]?.string ?? ""
        let known = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]
        guard known.contains(apiVersion) else {
            throw invalid(node, "exec apiVersion \"\(apiVersion)\" is not supported; use \(known.joined(separator: " or "))")
        }
        var env: [(name: String, value: String)] = []
        for item in node["env"]?.items ?? [] {
            guard let name = item["name"]?.string else { throw invalid(item, "exec env entries need a name") }
            env.append((name, item["value"]?.string ?? ""))
        }
        // clientcmd resolves a relative command with a path separator against the kubeconfig's
        // directory; a bare name is looked up on PATH.
        let resolved = command.contains("/") && !command.hasPrefix("/")
            ? (directory as NSString).appendingPathComponent(command) : command
        let mode = node["interactiveMode"]?.string
        if apiVersion.hasSuffix("/v1"), mode == nil {
            throw invalid(node, "exec.interactiveMode is required for client.authentication.k8s.io/v1")
        }
        return Kubeconfig.ExecConfig(apiVersion: apiVersion, command: resolved,
                                     args: (node["args"]?.items ?? []).compactMap(\.string), env: env,
                                     interactiveMode: mode,
                                     provideClusterInfo: node["provideClusterInfo"]?.bool ?? false)
    }
}
