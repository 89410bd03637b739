import Foundation

/// Object names for shell completion, read from the cluster with a 1 s budget and cached on
/// disk for a minute, so pressing TAB twice does not ask the API server twice. Any failure
/// gives no names: completion never reports errors.
public struct CompletionNames: Sendable {
    /// The kinds whose names complete from a cluster.
    public enum Kind: String, Sendable {
        case kustomization, helmRelease, gitRepository, namespace

        var resource: APIResource {
            switch self {
            case .kustomization: return APIResource(kind: .kustomization, name: "kustomizations", namespaced: true,
                                                    verbs: [], shortNames: [], hasStatus: true)
            case .helmRelease: return APIResource(kind: .helmRelease, name: "helmreleases", namespaced: true,
                                                  verbs: [], shortNames: [], hasStatus: true)
            case .gitRepository: return APIResource(kind: .gitRepository, name: "gitrepositories", namespaced: true,
                                                    verbs: [], shortNames: [], hasStatus: true)
            case .namespace: return APIResource(kind: .namespace, name: "namespaces", namespaced: false,
                                                verbs: [], shortNames: [], hasStatus: true)
            }
        }
    }

    public var source: KubeconfigSource
    public var cacheDirectory: String
    public var maxAge: TimeInterval = 60

    public init(source: KubeconfigSource, cacheDirectory: String) {
        self.source = source
        self.cacheDirectory = cacheDirectory
    }

    /// Names of `kind` in `namespace` (all namespaces when nil, for namespaced kinds).
    public func names(_ kind: Kind, namespace: String?) -> [String] {
        guard let config = try? source.resolve() else { return [] }
        let key = [config.contextName, config.server, kind.rawValue, namespace ?? "*"].joined(separator: "|")
        let file = (cacheDirectory as NSString).appendingPathComponent("names-\(Self.digest(key)).txt")
        if let attributes = try? FileManager.default.attributesOfItem(atPath: file),
           let modified = attributes[.modificationDate] as? Date, Date().timeIntervalSince(modified) < maxAge,
           let text = try? String(contentsOfFile: file, encoding: .utf8) {
            return text.split(separator: "\n").map(String.init)
        }
        var options = TransportOptions()
        options.timeout = 1
        options.connectTimeout = 1
        options.maxRetries = 0
        guard let transport = try? KubeTransport(config: config, options: options) else { return [] }
        let request = KubeRequest(method: "GET", path: kind.resource.collectionPath(namespace: namespace),
                                  query: [("limit", "500")])
        guard case let .success(response) = transport.sendOnce(request), response.status == 200,
              let json = try? KubeJSON.parse(response.body) else { return [] }
        let names = (json["items"]?.arrayValue ?? []).compactMap { $0.at("metadata.name")?.stringValue }
        try? FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        try? Data(names.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
        return names
    }

    /// A stable file-name-safe digest (FNV-1a); the key holds no secret, only context and server.
    static func digest(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
