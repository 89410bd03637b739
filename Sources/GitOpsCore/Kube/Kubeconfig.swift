import Foundation

/// The merged view of one or more kubeconfig files, as kubectl builds it: for clusters, users and
/// contexts the first file that defines a name wins, and so does the first `current-context`.
/// Paths inside a file are already resolved against that file's directory.
public struct Kubeconfig: Sendable {
    /// Where a kubeconfig entry was read, for errors that point into the file.
    public struct Origin: Sendable, Equatable {
        public var file: String
        public var line: Int
        public var column: Int
    }

    /// A `clusters[].cluster` entry.
    public struct Cluster: Sendable {
        public var name: String
        public var server: String
        public var certificateAuthorityData: [UInt8]?
        public var certificateAuthority: String?
        public var insecureSkipTLSVerify = false
        public var tlsServerName: String?
        public var proxyURL: String?
        public var origin: Origin
    }

    /// An `exec` credential plugin (client.authentication.k8s.io v1 or v1beta1).
    public struct ExecConfig: Sendable, Equatable {
        public var apiVersion: String
        public var command: String
        public var args: [String]
        public var env: [(name: String, value: String)]
        public var interactiveMode: String?
        public var provideClusterInfo: Bool

        public static func == (a: ExecConfig, b: ExecConfig) -> Bool {
            a.apiVersion == b.apiVersion && a.command == b.command && a.args == b.args
                && a.env.map(\.name) == b.env.map(\.name) && a.env.map(\.value) == b.env.map(\.value)
        }
    }

    /// A `users[].user` entry. Secrets stay here only until a transport is built from them.
    public struct User: Sendable {
        public var name: String
        public var clientCertificateData: [UInt8]?
        public var clientCertificate: String?
        public var clientKeyData: [UInt8]?
        public var clientKey: String?
        public var token: String?
        public var tokenFile: String?
        public var username: String?
        public var password: String?
        public var exec: ExecConfig?
        public var origin: Origin
    }

    /// A `contexts[].context` entry.
    public struct Context: Sendable {
        public var name: String
        public var cluster: String
        public var user: String
        public var namespace: String?
        public var origin: Origin
    }

    public var clusters: [String: Cluster] = [:]
    public var users: [String: User] = [:]
    public var contexts: [String: Context] = [:]
    /// Context names in the order the files list them, for "contexts that exist" messages.
    public var contextNames: [String] = []
    public var currentContext: String?
    /// The files that were read, in precedence order.
    public var files: [String] = []

    public init() {}

    /// Adds a later (lower-precedence) file: it only fills in what earlier files left unset.
    mutating func merge(_ other: Kubeconfig) {
        for (name, cluster) in other.clusters where clusters[name] == nil { clusters[name] = cluster }
        for (name, user) in other.users where users[name] == nil { users[name] = user }
        for name in other.contextNames where contexts[name] == nil {
            contexts[name] = other.contexts[name]
            contextNames.append(name)
        }
        if currentContext == nil || currentContext == "" { currentContext = other.currentContext }
        files += other.files
    }
}
