import Foundation

/// What the API server serves: GroupVersionKind → resource and scope, read once per run from
/// aggregated discovery (`/api` and `/apis` with the apidiscovery v2 media type) and, on servers
/// without it, from the per-group-version documents. Read again once when a kind is missing,
/// because a CRD applied a moment ago makes its kind appear.
final class Discovery: @unchecked Sendable {
    private let lock = NSLock()
    private var resources: [GroupVersionKind: APIResource] = [:]
    private var loaded = false

    static let aggregatedAccept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
        + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"

    func cached(_ kind: GroupVersionKind) -> APIResource? {
        lock.lock()
        defer { lock.unlock() }
        return resources[kind]
    }

    var all: [APIResource] {
        lock.lock()
        defer { lock.unlock() }
        return Array(resources.values)
    }

    var isLoaded: Bool {
        lock.lock()
        defer { lock.unlock() }
        return loaded
    }

    func store(_ found: [APIResource]) {
        lock.lock()
        defer { lock.unlock() }
        resources = Dictionary(found.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
        loaded = true
    }

    /// Reads every group version the server serves.
    static func load(_ client: KubeClient) async throws(KubeError) -> [APIResource] {
        // One after the other: the second reuses the first one's connection. Two at once cost a
        // second TLS handshake, which takes longer than the small second answer (on loopback a
        // 60-group discovery went from ~120 to ~70 ms).
        let coreResponse = try await fetch(client, "/api").get()
        let groupsResponse = try await fetch(client, "/apis").get()
        if isAggregated(coreResponse), isAggregated(groupsResponse) {
            return try aggregated(coreResponse) + aggregated(groupsResponse)
        }
        return try await legacy(client, core: coreResponse, groups: groupsResponse)
    }

    private static func fetch(_ client: KubeClient, _ path: String) async -> Result<KubeResponse, KubeError> {
        do { return .success(try await client.raw("GET", path, accept: aggregatedAccept)) } catch {
            return .failure(error)
        }
    }

    private static func isAggregated(_ response: KubeResponse) -> Bool {
        (response.headers["content-type"] ?? "").contains("g=apidiscovery.k8s.io")
    }

    private static func aggregated(_ response: KubeResponse) throws(KubeError) -> [APIResource] {
        let json = try KubeJSON.parse(response.body)
        var out: [APIResource] = []
        for group in json["items"]?.arrayValue ?? [] {
            let groupName = group.at("metadata.name")?.stringValue ?? ""
            for version in group["versions"]?.arrayValue ?? [] {
                let versionName = version["version"]?.stringValue ?? ""
                for resource in version["resources"]?.arrayValue ?? [] {
                    guard let kind = resource.at("responseKind.kind")?.stringValue,
                          let name = resource["resource"]?.stringValue else { continue }
                    let subresources = resource["subresources"]?.arrayValue ?? []
                    out.append(APIResource(
                        kind: GroupVersionKind(group: groupName, version: versionName, kind: kind), name: name,
                        namespaced: resource["scope"]?.stringValue == "Namespaced",
                        verbs: resource["verbs"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                        shortNames: resource["shortNames"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                        hasStatus: subresources.contains { $0["subresource"]?.stringValue == "status" }))
                }
            }
        }
        return out
    }

    /// The pre-aggregation path alone, so tests can compare both.
    static func legacyForTests(_ client: KubeClient) async throws(KubeError) -> [APIResource] {
        let core = try await client.raw("GET", "/api", accept: "application/json")
        let groups = try await client.raw("GET", "/apis", accept: "application/json")
        return try await legacy(client, core: core, groups: groups)
    }

    private static func legacy(_ client: KubeClient, core: KubeResponse,
                               groups: KubeResponse) async throws(KubeError) -> [APIResource] {
        var paths: [String] = []
        for version in try KubeJSON.parse(core.body)["versions"]?.arrayValue ?? [] {
            if let v = version.stringValue { paths.append("/api/\(v)") }
        }
        for group in try KubeJSON.parse(groups.body)["groups"]?.arrayValue ?? [] {
            for version in group["versions"]?.arrayValue ?? [] {
                if let gv = version["groupVersion"]?.stringValue { paths.append("/apis/\(gv)") }
            }
        }
        do {
            return try await withThrowingTaskGroup(of: [APIResource].self) { group in
                for path in paths {
                    group.addTask { try await resourceList(client, path) }
                }
                var out: [APIResource] = []
                for try await part in group { out += part }
                return out
            }
        } catch let error as KubeError {
            throw error
        } catch {
            throw .transport(server: client.transport.serverName, reason: "\(error)")
        }
    }

    private static func resourceList(_ client: KubeClient, _ path: String) async throws(KubeError) -> [APIResource] {
        let response = try await client.raw("GET", path, accept: "application/json")
        guard response.status == 200 else { return [] }
        let json = try KubeJSON.parse(response.body)
        let kind = GroupVersionKind(apiVersion: json["groupVersion"]?.stringValue ?? "", kind: "")
        let entries = json["resources"]?.arrayValue ?? []
        let names = Set(entries.compactMap { $0["name"]?.stringValue })
        return entries.compactMap { entry in
            guard let name = entry["name"]?.stringValue, !name.contains("/"),
                  let k = entry["kind"]?.stringValue else { return nil }
            return APIResource(kind: GroupVersionKind(group: kind.group, version: kind.version, kind: k), name: name,
                               namespaced: entry["namespaced"]?.boolValue ?? false,
                               verbs: entry["verbs"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                               shortNames: entry["shortNames"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                               hasStatus: names.contains(name + "/status"))
        }
    }
}
