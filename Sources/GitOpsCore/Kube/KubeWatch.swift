import Foundation

/// One change seen by a watch.
public enum WatchEvent: Sendable, Equatable {
    case added(KubeObject)
    case modified(KubeObject)
    case deleted(KubeObject)
    /// The server's progress marker: nothing before this resourceVersion is still to come.
    case bookmark(resourceVersion: String)

    public var object: KubeObject? {
        switch self {
        case let .added(o), let .modified(o), let .deleted(o): return o
        case .bookmark: return nil
        }
    }
}

/// A watch that does not end by itself: it asks for bookmarks, reconnects from the last
/// resourceVersion when the stream closes or drops, and when the server says that version is
/// gone (410 Expired) it lists again and replays the current objects as `.added`, as an
/// informer's relist would.
public struct KubeWatch: AsyncSequence, Sendable {
    public typealias Element = WatchEvent

    let client: KubeClient
    let kind: GroupVersionKind
    let namespace: String?
    let labelSelector: String?
    let fieldSelector: String?
    let resourceVersion: String?
    /// How long the server keeps one stream open before we reconnect.
    let streamSeconds: Int

    public func makeAsyncIterator() -> Iterator {
        Iterator(watch: self, resourceVersion: resourceVersion)
    }

    /// Pulls events; all network work happens inside `next()`, on the consumer's task.
    public struct Iterator: AsyncIteratorProtocol {
        let watch: KubeWatch
        var resourceVersion: String?
        var pending: [WatchEvent] = []
        var bytes: AsyncThrowingStream<[UInt8], Error>.Iterator?
        var buffer: [UInt8] = []
        var failures = 0
        var resource: APIResource?

        init(watch: KubeWatch, resourceVersion: String?) {
            self.watch = watch
            self.resourceVersion = resourceVersion
        }

        public mutating func next() async throws -> WatchEvent? {
            while true {
                try Task.checkCancellation()
                if !pending.isEmpty { return pending.removeFirst() }
                if bytes == nil { try await connect() }
                let chunk: [UInt8]?
                do {
                    chunk = try await bytes?.next()
                } catch let error as KubeError {
                    bytes = nil
                    if case let .api(status) = error, status.code == 410 { try await relist(); continue }
                    if case .api = error { throw error }
                    try await reconnectAfterFailure(error)
                    continue
                }
                guard let chunk else {
                    bytes = nil  // the server ended this stream (timeoutSeconds); carry on from resourceVersion
                    continue
                }
                failures = 0
                buffer += chunk
                try await drainLines()
            }
        }

        private mutating func connect() async throws {
            let resource = try await resolvedResource()
            var query: [(name: String, value: String)] = [("watch", "1"), ("allowWatchBookmarks", "true"),
                                                           ("timeoutSeconds", String(watch.streamSeconds))]
            if let resourceVersion { query.append(("resourceVersion", resourceVersion)) }
            if let selector = watch.labelSelector, !selector.isEmpty { query.append(("labelSelector", selector)) }
            if let selector = watch.fieldSelector, !selector.isEmpty { query.append(("fieldSelector", selector)) }
            let request = KubeRequest(method: "GET", path: resource.collectionPath(namespace: watch.namespace), query: query)
            bytes = watch.client.transport.stream(request).makeAsyncIterator()
            buffer = []
        }

        private mutating func resolvedResource() async throws -> APIResource {
            if let resource { return resource }
            let found = try await watch.client.resource(for: watch.kind)
            resource = found
            return found
        }

        private mutating func reconnectAfterFailure(_ error: KubeError) async throws {
            failures += 1
            guard failures <= 5 else { throw error }
            try await Task.sleep(nanoseconds: UInt64(100_000_000 * (1 << Swift.min(failures, 5))))
        }

        private mutating func relist() async throws {
            let list = try await watch.client.list(watch.kind, namespace: watch.namespace,
                                                   labelSelector: watch.labelSelector, fieldSelector: watch.fieldSelector)
            resourceVersion = list.resourceVersion
            pending += list.items.map(WatchEvent.added)
        }

        private mutating func drainLines() async throws {
            while let newline = buffer.firstIndex(of: 0x0A) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                guard !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) else { continue }
                let event = try KubeJSON.parse(line)
                let object = event["object"] ?? .null
                let version = object.at("metadata.resourceVersion")?.stringValue
                switch event["type"]?.stringValue {
                case "ADDED": pending.append(.added(KubeObject(object)))
                case "MODIFIED": pending.append(.modified(KubeObject(object)))
                case "DELETED": pending.append(.deleted(KubeObject(object)))
                case "BOOKMARK": pending.append(.bookmark(resourceVersion: version ?? ""))
                case "ERROR":
                    let status = APIStatus.decode(code: object["code"]?.intValue ?? 500,
                                                  body: Array(object.serialized.utf8), request: "WATCH \(watch.kind)")
                    bytes = nil
                    if status.code == 410 { try await relist(); return }
                    throw KubeError.api(status)
                default:
                    throw KubeError.malformedResponse(server: watch.client.transport.serverName,
                                                      reason: "unknown watch event type")
                }
                if let version, !version.isEmpty { resourceVersion = version }
            }
        }
    }
}

extension KubeClient {
    /// Watches objects of `kind` from `resourceVersion` (nil: the current objects first, as ADDED).
    public func watch(_ kind: GroupVersionKind, namespace: String? = nil, labelSelector: String? = nil,
                      fieldSelector: String? = nil, resourceVersion: String? = nil,
                      streamSeconds: Int = 300) -> KubeWatch {
        KubeWatch(client: self, kind: kind, namespace: namespace, labelSelector: labelSelector,
                  fieldSelector: fieldSelector, resourceVersion: resourceVersion, streamSeconds: streamSeconds)
    }
}
