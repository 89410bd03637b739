/// One API object as the server returned it (or as we will send it): the JSON, key order kept,
/// with typed access to the metadata and status fields gitopsctl reads.
public struct KubeObject: Sendable, Equatable {
    public var json: KubeJSON

    public init(_ json: KubeJSON) { self.json = json }

    public var apiVersion: String { json["apiVersion"]?.stringValue ?? "" }
    public var kind: String { json["kind"]?.stringValue ?? "" }
    public var groupVersionKind: GroupVersionKind { GroupVersionKind(apiVersion: apiVersion, kind: kind) }
    public var name: String { json.at("metadata.name")?.stringValue ?? "" }
    public var namespace: String? { json.at("metadata.namespace")?.stringValue }
    public var uid: String? { json.at("metadata.uid")?.stringValue }
    public var resourceVersion: String? { json.at("metadata.resourceVersion")?.stringValue }
    public var generation: Int? { json.at("metadata.generation")?.intValue }
    public var labels: [String: String] { stringMap("metadata.labels") }
    public var annotations: [String: String] { stringMap("metadata.annotations") }
    public var isTerminating: Bool { json.at("metadata.deletionTimestamp") != nil }
    public var observedGeneration: Int? { json.at("status.observedGeneration")?.intValue }

    /// `Kind/namespace/name`, how messages name an object.
    public var reference: String {
        [kind, namespace, name].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "/")
    }

    /// The `status.conditions` entry of `type`, if any.
    public func condition(_ type: String) -> Condition? {
        json.at("status.conditions")?.arrayValue?
            .first { $0["type"]?.stringValue == type }
            .map(Condition.init)
    }

    private func stringMap(_ path: String) -> [String: String] {
        var out: [String: String] = [:]
        for member in json.at(path)?.objectValue ?? [] { out[member.key] = member.value.stringValue ?? "" }
        return out
    }
}

/// A `metav1.Condition` (or the older condition shape core kinds use).
public struct Condition: Sendable, Equatable {
    /// A condition's `status`; anything unrecognised reads as Unknown.
    public enum Status: String, Sendable { case `true` = "True", `false` = "False", unknown = "Unknown" }

    public var type: String
    public var status: Status
    public var reason: String
    public var message: String
    public var observedGeneration: Int?

    public init(type: String, status: Status, reason: String, message: String, observedGeneration: Int? = nil) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.observedGeneration = observedGeneration
    }

    init(_ json: KubeJSON) {
        type = json["type"]?.stringValue ?? ""
        status = Status(rawValue: json["status"]?.stringValue ?? "") ?? .unknown
        reason = json["reason"]?.stringValue ?? ""
        message = json["message"]?.stringValue ?? ""
        observedGeneration = json["observedGeneration"]?.intValue
    }
}
