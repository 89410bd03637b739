import Foundation

/// The Flux kinds `get` lists from a cluster.
public enum FluxListedKind: Sendable, CaseIterable {
    case kustomization, helmRelease, gitRepository

    public var groupVersionKind: GroupVersionKind {
        switch self {
        case .kustomization: return .kustomization
        case .helmRelease: return .helmRelease
        case .gitRepository: return .gitRepository
        }
    }

    /// `flux get` shortens commit hashes for these kinds only; HelmRelease rows keep them.
    var shortensHashes: Bool { self != .helmRelease }
}

/// One row of `flux get`: the columns it shows, computed as flux2's `get` commands do.
public struct FluxStatusRow: Sendable, Equatable {
    public var namespace: String
    public var name: String
    public var revision: String
    public var suspended: Bool
    public var ready: String
    public var message: String

    init(_ object: KubeObject, kind: FluxListedKind) {
        namespace = object.namespace ?? ""
        name = object.name
        suspended = object.json.at("spec.suspend")?.boolValue ?? false
        switch kind {
        case .kustomization:
            revision = object.json.at("status.lastAppliedRevision")?.stringValue ?? ""
        case .gitRepository:
            revision = object.json.at("status.artifact.revision")?.stringValue ?? ""
        case .helmRelease:
            revision = object.json.at("status.history")?.arrayValue?.first?["chartVersion"]?.stringValue
                ?? object.json.at("status.lastAttemptedRevision")?.stringValue ?? ""
        }
        if let condition = object.condition("Ready") {
            ready = condition.status.rawValue
            message = condition.message
        } else {
            ready = "False"
            message = "waiting to be reconciled"
        }
        if kind.shortensHashes {
            revision = FluxStatusRow.shortenHashes(revision)
            message = FluxStatusRow.shortenHashes(message)
        }
    }

    /// Every run of 40–128 lowercase hex digits on word boundaries cut to its first 8.
    static func shortenHashes(_ text: String) -> String {
        guard let pattern = try? NSRegularExpression(pattern: "\\b([0-9a-f]{8})[0-9a-f]{32,120}\\b") else { return text }
        let range = NSRange(text.startIndex..., in: text)
        return pattern.stringByReplacingMatches(in: text, range: range, withTemplate: "$1")
    }
}

/// `--status-selector TYPE=STATUS` (or `TYPE!=STATUS`), matched case-insensitively.
public struct StatusSelector: Sendable, Equatable {
    public var type: String
    public var status: String
    public var negated: Bool

    public init(parsing text: String) throws(KubeError) {
        let negated = text.contains("!=")
        let parts = text.components(separatedBy: negated ? "!=" : "=")
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw .invalidStatusSelector(text) }
        type = parts[0]
        status = parts[1]
        self.negated = negated
    }

    func matches(_ object: KubeObject) -> Bool {
        let conditions = object.json.at("status.conditions")?.arrayValue ?? []
        let found = conditions.contains {
            $0["type"]?.stringValue?.lowercased() == type.lowercased()
                && $0["status"]?.stringValue?.lowercased() == status.lowercased()
        }
        return found != negated
    }
}

/// What `gitopsctl get ks|hr|sources git` lists from a cluster, with flux's messages when
/// nothing matches.
public struct FluxStatusListing: Sendable {
    public let client: KubeClient

    public init(client: KubeClient) { self.client = client }

    /// Rows in API order. `namespace` nil lists every namespace; `name` narrows to one object
    /// (by field selector, as flux does).
    public func rows(_ kind: FluxListedKind, namespace: String?, name: String? = nil, labelSelector: String? = nil,
                     statusSelector: StatusSelector? = nil) async throws(KubeError) -> [FluxStatusRow] {
        if let namespace, !FluxStatusListing.isDNSLabel(namespace) { throw .invalidNamespace(namespace) }
        let gvk = kind.groupVersionKind
        let list = try await client.list(gvk, namespace: namespace, labelSelector: labelSelector,
                                         fieldSelector: name.map { "metadata.name=\($0)" })
        let scope = namespace.map { "in \"\($0)\" namespace" } ?? "in any namespace"
        if list.items.isEmpty {
            if let name { throw .objectNotFound(kind: gvk.kind, name: name, scope: scope) }
            throw .noObjects(kind: gvk.kind, scope: scope)
        }
        return list.items
            .filter { statusSelector?.matches($0) ?? true }
            .map { FluxStatusRow($0, kind: kind) }
    }

    /// RFC 1123 label: what flux checks `-n` against before asking the server.
    static func isDNSLabel(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...63).contains(bytes.count) else { return false }
        let alnum: (UInt8) -> Bool = { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }
        guard let first = bytes.first, let last = bytes.last, alnum(first), alnum(last) else { return false }
        return bytes.allSatisfy { alnum($0) || $0 == 0x2D }
    }
}
