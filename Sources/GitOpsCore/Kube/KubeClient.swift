import Foundation

/// How a write is made: for real, or as a server-side dry run (`dryRun=All`), which runs
/// admission and validation but stores nothing.
public enum WriteMode: Sendable {
    case persist
    case dryRun
}

/// A patch body, by the patch type the API accepts.
public enum KubePatch: Sendable {
    /// RFC 7386 JSON merge patch.
    case merge(KubeJSON)
    /// RFC 6902 JSON patch operations.
    case json([KubeJSON])

    var contentType: String {
        switch self {
        case .merge: return "application/merge-patch+json"
        case .json: return "application/json-patch+json"
        }
    }

    var body: KubeJSON {
        switch self {
        case let .merge(value): return value
        case let .json(operations): return .array(operations)
        }
    }
}

/// What happens to an object's dependents when it is deleted.
public enum PropagationPolicy: String, Sendable {
    case foreground = "Foreground", background = "Background", orphan = "Orphan"
}

/// A page-by-page list, with the resourceVersion to start a watch from.
public struct KubeList: Sendable {
    public var items: [KubeObject]
    public var resourceVersion: String
}

/// Reads and writes API objects of any kind: discovery maps the kind to its resource, every
/// write can be a server-side dry run, and every non-2xx answer becomes `KubeError.api` with the
/// server's `Status` (NotFound, AlreadyExists, Conflict, Forbidden, Invalid with its causes…).
public final class KubeClient: Sendable {
    public let transport: KubeTransport
    let discovery = Discovery()

    public init(transport: KubeTransport) {
        self.transport = transport
    }

    /// The resource serving `kind`; reads discovery at most twice per run (once more on a miss,
    /// since a CRD may just have been installed).
    public func resource(for kind: GroupVersionKind) async throws(KubeError) -> APIResource {
        if let found = discovery.cached(kind) { return found }
        discovery.store(try await Discovery.load(self))
        if let found = discovery.cached(kind) { return found }
        throw .kindNotFound(kind: kind.kind, apiVersion: kind.apiVersion)
    }

    /// Every resource the server serves (for completion and `api-resources`-like output).
    public func serverResources() async throws(KubeError) -> [APIResource] {
        if !discovery.isLoaded { discovery.store(try await Discovery.load(self)) }
        return discovery.all
    }

    /// Forgets discovery, e.g. after installing CRDs.
    public func invalidateDiscovery() { discovery.store([]) }

    // MARK: - Reads

    public func get(_ kind: GroupVersionKind, name: String, namespace: String? = nil) async throws(KubeError) -> KubeObject {
        let resource = try await resource(for: kind)
        let response = try await call(KubeRequest(method: "GET", path: objectPath(resource, namespace, name)))
        return try object(response)
    }

    /// The object, or nil when the server says NotFound.
    public func getIfPresent(_ kind: GroupVersionKind, name: String,
                             namespace: String? = nil) async throws(KubeError) -> KubeObject? {
        do {
            return try await get(kind, name: name, namespace: namespace)
        } catch {
            if error.reason == .notFound { return nil }
            throw error
        }
    }

    /// Lists objects (namespace nil: all namespaces), following `continue` until the end.
    public func list(_ kind: GroupVersionKind, namespace: String? = nil, labelSelector: String? = nil,
                     fieldSelector: String? = nil, pageSize: Int = 500) async throws(KubeError) -> KubeList {
        let resource = try await resource(for: kind)
        var items: [KubeObject] = []
        var token: String?
        var version = ""
        repeat {
            var query: [(name: String, value: String)] = [("limit", String(pageSize))]
            if let labelSelector, !labelSelector.isEmpty { query.append(("labelSelector", labelSelector)) }
            if let fieldSelector, !fieldSelector.isEmpty { query.append(("fieldSelector", fieldSelector)) }
            if let token { query.append(("continue", token)) }
            let response = try await call(KubeRequest(method: "GET", path: resource.collectionPath(namespace: namespace),
                                                      query: query))
            let json = try parse(response)
            for item in json["items"]?.arrayValue ?? [] {
                var object = item
                // List items omit apiVersion/kind on real servers; put them back for callers.
                if object["kind"] == nil { object.set("kind", .string(kind.kind)) }
                if object["apiVersion"] == nil { object.set("apiVersion", .string(kind.apiVersion)) }
                items.append(KubeObject(object))
            }
            if version.isEmpty { version = json.at("metadata.resourceVersion")?.stringValue ?? "" }
            token = json.at("metadata.continue")?.stringValue
            if token?.isEmpty == true { token = nil }
        } while token != nil
        return KubeList(items: items, resourceVersion: version)
    }

    // MARK: - Writes

    public func create(_ object: KubeObject, mode: WriteMode = .persist) async throws(KubeError) -> KubeObject {
        let resource = try await resource(for: object.groupVersionKind)
        let request = KubeRequest(method: "POST", path: resource.collectionPath(namespace: object.namespace),
                                  query: writeQuery(mode), contentType: "application/json",
                                  body: Array(object.json.serialized.utf8))
        return try self.object(try await call(request))
    }

    /// Replaces an object (PUT); its resourceVersion must match the server's.
    public func replace(_ object: KubeObject, mode: WriteMode = .persist) async throws(KubeError) -> KubeObject {
        let resource = try await resource(for: object.groupVersionKind)
        let request = KubeRequest(method: "PUT", path: objectPath(resource, object.namespace, object.name),
                                  query: writeQuery(mode), contentType: "application/json",
                                  body: Array(object.json.serialized.utf8))
        return try self.object(try await call(request))
    }

    /// Server-side apply: the object is the complete intent of `fieldManager`; fields it applied
    /// before and leaves out now are removed. `force` takes fields other managers own.
    public func apply(_ object: KubeObject, fieldManager: String = "gitopsctl", force: Bool = false,
                      mode: WriteMode = .persist) async throws(KubeError) -> KubeObject {
        let resource = try await resource(for: object.groupVersionKind)
        var query = writeQuery(mode) + [("fieldManager", fieldManager)]
        if force { query.append(("force", "true")) }
        // JSON is YAML, so the apply body needs no YAML emitter.
        let request = KubeRequest(method: "PATCH", path: objectPath(resource, object.namespace, object.name),
                                  query: query, contentType: KubeRequest.applyPatch,
                                  body: Array(object.json.serialized.utf8))
        return try self.object(try await call(request))
    }

    /// Merge or JSON patch of the object, or of its status subresource.
    public func patch(_ kind: GroupVersionKind, name: String, namespace: String? = nil, _ patch: KubePatch,
                      status: Bool = false, fieldManager: String = "gitopsctl",
                      mode: WriteMode = .persist) async throws(KubeError) -> KubeObject {
        let resource = try await resource(for: kind)
        let path = objectPath(resource, namespace, name) + (status ? "/status" : "")
        let request = KubeRequest(method: "PATCH", path: path, query: writeQuery(mode) + [("fieldManager", fieldManager)],
                                  contentType: patch.contentType, body: Array(patch.body.serialized.utf8))
        return try object(try await call(request))
    }

    /// Deletes an object. Preconditions make the delete fail with a Conflict when the object
    /// changed (or was replaced) since it was read.
    @discardableResult
    public func delete(_ kind: GroupVersionKind, name: String, namespace: String? = nil,
                       propagation: PropagationPolicy? = nil, preconditionUID: String? = nil,
                       preconditionResourceVersion: String? = nil,
                       mode: WriteMode = .persist) async throws(KubeError) -> KubeObject {
        let resource = try await resource(for: kind)
        var options: KubeJSON = .object([("kind", .string("DeleteOptions")), ("apiVersion", .string("v1"))])
        if let propagation { options.set("propagationPolicy", .string(propagation.rawValue)) }
        var preconditions: KubeJSON = .object([])
        if let preconditionUID { preconditions.set("uid", .string(preconditionUID)) }
        if let preconditionResourceVersion { preconditions.set("resourceVersion", .string(preconditionResourceVersion)) }
        if preconditions.objectValue?.isEmpty == false { options.set("preconditions", preconditions) }
        if mode == .dryRun { options.set("dryRun", .array([.string("All")])) }
        let request = KubeRequest(method: "DELETE", path: objectPath(resource, namespace, name), query: writeQuery(mode),
                                  contentType: "application/json", body: Array(options.serialized.utf8))
        return try object(try await call(request))
    }

    // MARK: - Plumbing

    func raw(_ method: String, _ path: String, accept: String) async throws(KubeError) -> KubeResponse {
        var request = KubeRequest(method: method, path: path)
        request.accept = accept
        let response = try await transport.send(request)
        guard (200..<300).contains(response.status) else {
            throw .api(failure(response, request: "\(method) \(path)"))
        }
        return response
    }

    func call(_ request: KubeRequest) async throws(KubeError) -> KubeResponse {
        let response = try await transport.send(request)
        guard (200..<300).contains(response.status) else {
            throw .api(failure(response, request: transport.describe(request)))
        }
        return response
    }

    private func failure(_ response: KubeResponse, request: String) -> APIStatus {
        var status = APIStatus.decode(code: response.status, body: response.body, request: request)
        status.user = transport.config.userName
        return status
    }

    private func parse(_ response: KubeResponse) throws(KubeError) -> KubeJSON {
        do { return try KubeJSON.parse(response.body) } catch {
            throw .malformedResponse(server: transport.serverName, reason: error.description)
        }
    }

    private func object(_ response: KubeResponse) throws(KubeError) -> KubeObject {
        KubeObject(try parse(response))
    }

    private func writeQuery(_ mode: WriteMode) -> [(name: String, value: String)] {
        mode == .dryRun ? [("dryRun", "All")] : []
    }

    func objectPath(_ resource: APIResource, _ namespace: String?, _ name: String) -> String {
        resource.collectionPath(namespace: resource.namespaced ? (namespace ?? "default") : nil)
            + "/" + KubeClient.pathSegment(name)
    }

    static func pathSegment(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
