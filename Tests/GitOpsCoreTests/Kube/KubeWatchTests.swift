import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

private func configMap(_ name: String, _ value: String) throws -> KubeObject {
    KubeObject(try KubeJSON.parse(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)","namespace":"default"},"data":{"v":"\#(value)"}}"#))
}

private func kustomization(_ name: String) throws -> KubeObject {
    KubeObject(try KubeJSON.parse(#"""
        {"apiVersion":"kustomize.toolkit.fluxcd.io/v1","kind":"Kustomization",
         "metadata":{"name":"\#(name)","namespace":"default"},
         "spec":{"interval":"10m","prune":true,"path":"./apps","sourceRef":{"kind":"GitRepository","name":"flux-system"}}}
        """#))
}

private func setStatus(_ server: TestAPIServer, _ name: String, _ status: String) async throws {
    try await server.status(#"{"group":"kustomize.toolkit.fluxcd.io","resource":"kustomizations","namespace":"default","name":"\#(name)","status":\#(status)}"#)
}

/// Collects events until `count` non-bookmark events (or `bookmarks` bookmarks) have arrived.
private func collect(_ watch: KubeWatch, events count: Int, bookmarks: Int = 0) async throws -> ([WatchEvent], Int) {
    var seen: [WatchEvent] = []
    var marks = 0
    for try await event in watch {
        if case .bookmark = event { marks += 1 } else { seen.append(event) }
        if seen.count >= count && marks >= bookmarks { break }
    }
    return (seen, marks)
}

@Suite("Watch and wait against the test API server")
struct KubeWatchTests {
    @Test func watchSeesChangesInOrderWithBookmarks() async throws {
        let server = try await TestAPIServer.start(["--bookmark-interval", "0.2"])
        let client = try server.client()
        let start = try await client.list(.configMap, namespace: "default")
        _ = try await client.create(try configMap("w", "1"))
        _ = try await client.apply(try configMap("w", "2"), force: true)
        try await client.delete(.configMap, name: "w", namespace: "default")
        let (events, marks) = try await collect(client.watch(.configMap, namespace: "default",
                                                             resourceVersion: start.resourceVersion),
                                                events: 3, bookmarks: 1)
        #expect(events.map { if case .added = $0 { "ADDED" } else if case .modified = $0 { "MODIFIED" } else { "DELETED" } }
                == ["ADDED", "MODIFIED", "DELETED"])
        #expect(events[1].object?.json.at("data.v")?.stringValue == "2")
        #expect(marks >= 1)
        #expect(try await server.log().contains { $0["query"]?.stringValue?.contains("allowWatchBookmarks=true") == true })
    }

    @Test func watchReconnectsWhenTheStreamEndsAndAfterADrop() async throws {
        let server = try await TestAPIServer.start()
        let client = try server.client()
        let start = try await client.list(.configMap, namespace: "default")
        try await server.fault(#"{"path": "configmaps$", "method": "GET", "action": "drop", "nth": 2}"#)
        let watch = client.watch(.configMap, namespace: "default", resourceVersion: start.resourceVersion, streamSeconds: 1)
        async let events = collect(watch, events: 2)
        _ = try await client.create(try configMap("a", "1"))
        // The first stream ends (timeoutSeconds=1), the reconnect is dropped, the next one holds.
        try await server.waitForWatches(3)
        _ = try await client.create(try configMap("b", "1"))
        let (seen, _) = try await events
        #expect(seen.compactMap(\.object?.name) == ["a", "b"])
        let watches = try await server.log().filter { $0["query"]?.stringValue?.contains("watch=1") == true }
        #expect(watches.count >= 3)
    }

    @Test func tooOldResourceVersionRelists() async throws {
        let server = try await TestAPIServer.start()
        let client = try server.client()
        let start = try await client.list(.configMap, namespace: "default")
        _ = try await client.create(try configMap("kept", "1"))
        try await server.adminCall("POST", "compact")
        let (seen, _) = try await collect(client.watch(.configMap, namespace: "default",
                                                       resourceVersion: start.resourceVersion), events: 1)
        #expect(seen == [.added(try await client.get(.configMap, name: "kept", namespace: "default"))])
    }

    @Test func waiterReturnsWhenReadyAndReportsProgress() async throws {
        let server = try await TestAPIServer.start(preloadCRDs: true)
        let client = try server.client()
        let created = try await client.create(try kustomization("apps"))
        #expect(ObjectStatus.of(created) == .inProgress("Kustomization generation is 1, but latest observed generation is -1"))
        let messages = Messages()
        async let result = KubeWaiter(client: client).wait(for: .kustomization, name: "apps", namespace: "default",
                                                           timeout: 20, progress: { messages.add($0) })
        try await server.waitForWatches()
        try await setStatus(server, "apps", #"{"observedGeneration":1,"conditions":[{"type":"Reconciling","status":"True","reason":"Progressing","message":"Building manifests"},{"type":"Ready","status":"Unknown","reason":"Progressing","message":"Reconciliation in progress"}]}"#)
        for _ in 0..<200 where !messages.all.contains("Building manifests") { try await Task.sleep(nanoseconds: 50_000_000) }
        try await setStatus(server, "apps", #"{"observedGeneration":1,"lastAppliedRevision":"main@sha1:abc","conditions":[{"type":"Ready","status":"True","reason":"ReconciliationSucceeded","message":"Applied revision: main@sha1:abc"}]}"#)
        let object = try await result
        #expect(object?.json.at("status.lastAppliedRevision")?.stringValue == "main@sha1:abc")
        #expect(messages.all.contains("Building manifests"))
    }

    @Test func waiterFailsFastOnStalled() async throws {
        let server = try await TestAPIServer.start(preloadCRDs: true)
        let client = try server.client()
        _ = try await client.create(try kustomization("bad"))
        try await setStatus(server, "bad", #"{"observedGeneration":1,"conditions":[{"type":"Stalled","status":"True","reason":"InvalidCELExpression","message":"bad expression"},{"type":"Ready","status":"False","reason":"InvalidCELExpression","message":"bad expression"}]}"#)
        await #expect(throws: KubeError.waitFailed(object: "Kustomization/default/bad", message: "bad expression")) {
            _ = try await KubeWaiter(client: client).wait(for: .kustomization, name: "bad", namespace: "default", timeout: 20)
        }
    }

    @Test func waiterTimesOutWithTheLastStatus() async throws {
        let server = try await TestAPIServer.start(preloadCRDs: true)
        let client = try server.client()
        _ = try await client.create(try kustomization("slow"))
        // Long enough for the first read to come back on a loaded machine, so the last status is known.
        await #expect(throws: KubeError.waitTimedOut(object: "Kustomization/default/slow", seconds: 3,
                                                     lastStatus: "Kustomization generation is 1, but latest observed generation is -1")) {
            _ = try await KubeWaiter(client: client).wait(for: .kustomization, name: "slow", namespace: "default", timeout: 3)
        }
    }

    /// A waiter that reaches its deadline before its own reads came back (a starved or suspended
    /// process) looks once more, and an object that is ready by then is not a timeout.
    @Test func deadlineLooksOnceMoreBeforeReportingATimeout() async throws {
        let server = try await TestAPIServer.start(preloadCRDs: true)
        let client = try server.client()
        _ = try await client.create(try kustomization("late"))
        try await setStatus(server, "late", #"{"observedGeneration":1,"conditions":[{"type":"Ready","status":"True","reason":"ReconciliationSucceeded","message":"Applied revision: main@sha1:1"}]}"#)
        // The waiter's list answers only after its 2 s deadline; a plain GET answers at once.
        try await server.fault(#"{"method":"GET","path":"/kustomizations$","action":"slow","seconds":6,"times":1}"#)
        let object = try await KubeWaiter(client: client).wait(for: .kustomization, name: "late", namespace: "default", timeout: 2)
        #expect(object?.name == "late")
    }

    @Test func waiterPollsWhenTheServerRefusesToWatch() async throws {
        let server = try await TestAPIServer.start()
        let client = try server.client()
        _ = try await client.create(try configMap("polled", "1"))
        try await server.fault(#"{"path": "configmaps$", "method": "GET", "action": "405", "nth": 2, "times": 100}"#)
        var waiter = KubeWaiter(client: client)
        waiter.pollInterval = 0.1
        async let gone = waiter.wait(for: .configMap, name: "polled", namespace: "default", timeout: 20,
                                     until: WaitVerdict.gone)
        try await server.waitForRequests { $0["path"]?.stringValue == "/api/v1/namespaces/default/configmaps/polled" }
        try await client.delete(.configMap, name: "polled", namespace: "default")
        #expect(try await gone == nil)
    }

    @Test func waiterSeesDeletion() async throws {
        let server = try await TestAPIServer.start()
        let client = try server.client()
        _ = try await client.create(try configMap("bye", "1"))
        async let gone = KubeWaiter(client: client).wait(for: .configMap, name: "bye", namespace: "default",
                                                         timeout: 20, until: WaitVerdict.gone)
        try await server.waitForWatches()
        try await client.delete(.configMap, name: "bye", namespace: "default")
        #expect(try await gone == nil)
    }

    @Test func statusSubresourceOnlyChangesStatus() async throws {
        let server = try await TestAPIServer.start(preloadCRDs: true)
        let client = try server.client()
        _ = try await client.create(try kustomization("s"))
        let patched = try await client.patch(.kustomization, name: "s", namespace: "default",
                                             .merge(try KubeJSON.parse(#"{"spec":{"suspend":true},"status":{"observedGeneration":1}}"#)),
                                             status: true)
        #expect(patched.observedGeneration == 1)
        #expect(patched.json.at("spec.suspend") == nil)
        let main = try await client.patch(.kustomization, name: "s", namespace: "default",
                                          .merge(try KubeJSON.parse(#"{"spec":{"suspend":true},"status":{"observedGeneration":7}}"#)))
        #expect(main.observedGeneration == 1, "the main endpoint ignores status")
        #expect(main.generation == 2, "a spec change bumps generation")
        let relabel = try await client.patch(.kustomization, name: "s", namespace: "default",
                                             .merge(try KubeJSON.parse(#"{"metadata":{"labels":{"a":"b"}}}"#)))
        #expect(relabel.generation == 2, "metadata changes leave generation alone")
    }
}

private final class Messages: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ m: String) { lock.lock(); items.append(m); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
}
