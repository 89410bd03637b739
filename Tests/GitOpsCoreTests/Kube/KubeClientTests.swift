import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

private func configMap(_ name: String, namespace: String = "default", data: [(String, String)],
                       labels: [(String, String)] = []) -> KubeObject {
    var metadata: KubeJSON = .object([("name", .string(name)), ("namespace", .string(namespace))])
    if !labels.isEmpty { metadata.set("labels", .object(labels.map { ($0.0, .string($0.1)) })) }
    return KubeObject(.object([
        ("apiVersion", .string("v1")), ("kind", .string("ConfigMap")), ("metadata", metadata),
        ("data", .object(data.map { ($0.0, .string($0.1)) })),
    ]))
}

private func apiReason(_ body: () async throws -> Void) async -> APIStatus? {
    do { try await body() } catch let error as KubeError {
        if case let .api(status) = error { return status }
    } catch {}
    return nil
}

@Suite("KubeClient against the test API server")
struct KubeClientTests {
    @Test func createGetAndAlreadyExists() async throws {
        let server = try await TestAPIServer.start()
        let client = try server.client()
        let created = try await client.create(configMap("settings", data: [("a", "1")]))
        #expect(created.uid != nil)
        #expect(created.resourceVersion != nil)
        let read = try await client.get(.configMap, name: "settings", namespace: "default")
        #expect(read.json.at("data.a")?.stringValue == "1")
        let status = await apiReason { _ = try await client.create(configMap("settings", data: [])) }
        #expect(status?.reason == .alreadyExists)
        #expect(status?.message == "configmaps \"settings\" already exists")
    }

    @Test func getMissingObjectIsNotFound() async throws {
        let server = try await TestAPIServer.start()
        let client = try server.client()
        let status = await apiReason { _ = try await client.get(.configMap, name: "nope", namespace: "default") }
        #expect(status?.reason == .notFound)
        #expect(status?.code == 404)
    }

    @Test func createInMissingNamespaceIsNotFound() async throws {
        let server = try await TestAPIServer.start()
        let client = try server.client()
        let status = await apiReason { _ = try await client.create(configMap("x", namespace: "ghost", data: [])) }
        #expect(status?.message == "namespaces \"ghost\" not found")
    }

    @Test func invalidNameCarriesFieldCause() async throws {
        let server = try await TestAPIServer.start()
        let client = try server.client()
        let status = await apiReason { _ = try await client.create(configMap("Bad_Name", data: [])) }
        #expect(status?.reason == .invalid)
        #expect(status?.causes.first?.field == "metadata.name")
    }

    @Test func listFollowsPaginationAndSelectors() async throws {
        let server = try await TestAPIServer.start()
        let client = try server.client()
        for i in 0..<7 {
            _ = try await client.create(configMap("cm-\(i)", data: [], labels: [("tier", i % 2 == 0 ? "even" : "odd")]))
        }
        let all = try await client.list(.configMap, namespace: "default", pageSize: 2)
        #expect(all.items.map(\.name) == (0..<7).map { "cm-\($0)" })
        #expect(!all.resourceVersion.isEmpty)
        let even = try await client.list(.configMap, namespace: "default", labelSelector: "tier=even")
        #expect(even.items.map(\.name) == ["cm-0", "cm-2", "cm-4", "cm-6"])
        let one = try await client.list(.configMap, namespace: nil, fieldSelector: "metadata.name=cm-3")
        #expect(one.items.map(\.name) == ["cm-3"])
        let pages = try await server.log().filter { $0["path"]?.stringValue == "/api/v1/namespaces/default/configmaps" }
        #expect(pages.count >= 4 + 1)
    }

    @Test func serverSideApplyOwnsFieldsAndConflicts() async throws {
        let server = try await TestAPIServer.start()
        let client = try server.client()
        _ = try await client.apply(configMap("app", data: [("x", "1"), ("y", "2")]))
        let second = try await client.apply(configMap("app", data: [("x", "1")]))
        #expect(second.json.at("data.y") == nil, "a field the sole owner stops applying is removed")
        let status = await apiReason {
            _ = try await client.apply(configMap("app", data: [("x", "9")]), fieldManager: "other")
        }
        #expect(status?.reason == .conflict)
        #expect(status?.causes.first?.field == ".data.x")
        #expect(status?.message.contains("conflict with \"gitopsctl\"") == true)
        let forced = try await client.apply(configMap("app", data: [("x", "9")]), fieldManager: "other", force: true)
        #expect(forced.json.at("data.x")?.stringValue == "9")
        let log = try await server.log().filter { $0["method"]?.stringValue == "PATCH" }
        #expect(log.allSatisfy { $0["contentType"]?.stringValue == "application/apply-patch+yaml" })
        #expect(log.first?["query"]?.stringValue?.contains("fieldManager=gitopsctl") == true)
    }

    @Test func dryRunStoresNothing() async throws {
        let server = try await TestAPIServer.start()
        let client = try server.client()
        let result = try await client.apply(configMap("ghost", data: [("a", "1")]), mode: .dryRun)
        #expect(result.name == "ghost")
        let status = await apiReason { _ = try await client.get(.configMap, name: "ghost", namespace: "default") }
        #expect(status?.reason == .notFound)
        _ = try await client.create(configMap("real", data: [("a", "1")]))
        _ = try await client.create(configMap("ghost2", data: []), mode: .dryRun)
        let patched = try await client.patch(.configMap, name: "real", namespace: "default",
                                             .merge(.object([("data", .object([("a", .string("2"))]))])), mode: .dryRun)
        #expect(patched.json.at("data.a")?.stringValue == "2")
        try await client.delete(.configMap, name: "real", namespace: "default", mode: .dryRun)
        let kept = try await client.get(.configMap, name: "real", namespace: "default")
        #expect(kept.json.at("data.a")?.stringValue == "1")
        #expect(try await client.getIfPresent(.configMap, name: "ghost2", namespace: "default") == nil)
        let writes = try await server.log().filter { $0["method"]?.stringValue != "GET" }
        #expect(writes.filter { $0["query"]?.stringValue?.contains("dryRun=All") == true }.count == 4)
    }

    @Test func mergeAndJSONPatch() async throws {
        let server = try await TestAPIServer.start()
        let client = try server.client()
        _ = try await client.create(configMap("p", data: [("a", "1")]))
        let merged = try await client.patch(.configMap, name: "p", namespace: "default",
                                            .merge(.object([("data", .object([("b", .string("2"))]))])))
        #expect(merged.json.at("data.a")?.stringValue == "1")
        #expect(merged.json.at("data.b")?.stringValue == "2")
        let patched = try await client.patch(.configMap, name: "p", namespace: "default", .json([
            .object([("op", .string("remove")), ("path", .string("/data/a"))]),
        ]))
        #expect(patched.json.at("data.a") == nil)
    }

    @Test func deletePreconditionMismatchIsConflict() async throws {
        let server = try await TestAPIServer.start()
        let client = try server.client()
        let created = try await client.create(configMap("d", data: []))
        let status = await apiReason {
            try await client.delete(.configMap, name: "d", namespace: "default", preconditionUID: "not-the-uid")
        }
        #expect(status?.reason == .conflict)
        try await client.delete(.configMap, name: "d", namespace: "default", propagation: .background,
                                preconditionUID: created.uid)
        let gone = await apiReason { _ = try await client.get(.configMap, name: "d", namespace: "default") }
        #expect(gone?.reason == .notFound)
    }

    @Test func discoveryIsReadOncePerRun() async throws {
        let server = try await TestAPIServer.start(preloadCRDs: true)
        let client = try server.client()
        _ = try await client.create(configMap("once", data: []))
        _ = try await client.get(.configMap, name: "once", namespace: "default")
        _ = try await client.list(.kustomization, namespace: "flux-system")
        _ = try await client.apply(configMap("once", data: [("a", "1")]))
        let log = try await server.log()
        #expect(log.filter { $0["path"]?.stringValue == "/api" }.count == 1)
        #expect(log.filter { $0["path"]?.stringValue == "/apis" }.count == 1)
        let groupDocuments = log.compactMap { $0["path"]?.stringValue }.filter {
            $0 == "/api/v1" || ($0.hasPrefix("/apis/") && $0.split(separator: "/").count == 3)
        }
        #expect(groupDocuments.isEmpty, "aggregated discovery needs no per-group documents")
    }

    @Test func discoveryOfSixtyExtraGroups() async throws {
        let server = try await TestAPIServer.start(["--extra-groups", "60"])
        let resources = try await server.client().serverResources()
        let groups = Set(resources.map(\.kind.group).filter { $0.hasSuffix(".bench.example.com") })
        #expect(groups.count == 60)
        #expect(Set(resources.map(\.kind)).isSuperset(of: [.namespace, .configMap]))
    }

    @Test func replaceAndStatusPatchHonourDryRun() async throws {
        let server = try await TestAPIServer.start(preloadCRDs: true)
        let client = try server.client()
        let created = try await client.create(configMap("r", data: [("a", "1")]))
        var changed = created.json
        changed.set("data", .object([("a", .string("2"))]))
        let replaced = try await client.replace(KubeObject(changed), mode: .dryRun)
        #expect(replaced.json.at("data.a")?.stringValue == "2")
        #expect(try await client.get(.configMap, name: "r", namespace: "default").json.at("data.a")?.stringValue == "1")
        let ks = KubeObject(try KubeJSON.parse(#"{"apiVersion":"kustomize.toolkit.fluxcd.io/v1","kind":"Kustomization","metadata":{"name":"k","namespace":"default"},"spec":{"interval":"1m","prune":true,"sourceRef":{"kind":"GitRepository","name":"g"}}}"#))
        _ = try await client.create(ks)
        let status = try await client.patch(.kustomization, name: "k", namespace: "default",
                                            .merge(try KubeJSON.parse(#"{"status":{"observedGeneration":1}}"#)),
                                            status: true, mode: .dryRun)
        #expect(status.observedGeneration == 1)
        #expect(try await client.get(.kustomization, name: "k", namespace: "default").observedGeneration == -1)
        let writes = try await server.log().filter { ["PUT", "PATCH"].contains($0["method"]?.stringValue ?? "") }
        #expect(writes.count == 2 && writes.allSatisfy { $0["query"]?.stringValue?.contains("dryRun=All") == true })
    }

    @Test func deleteSendsPropagationPolicyAndResourceVersionPrecondition() async throws {
        let server = try await TestAPIServer.start()
        let client = try server.client()
        let created = try await client.create(configMap("d", data: []))
        let foreground = try await client.delete(.configMap, name: "d", namespace: "default", propagation: .foreground,
                                                 mode: .dryRun)
        #expect(foreground.json.at("metadata.finalizers")?.arrayValue?.contains(.string("foregroundDeletion")) == true)
        let status = await apiReason {
            try await client.delete(.configMap, name: "d", namespace: "default", preconditionResourceVersion: "1")
        }
        #expect(status?.reason == .conflict)
        #expect(status?.message.contains("ResourceVersion in precondition: 1") == true)
        try await client.delete(.configMap, name: "d", namespace: "default", propagation: .orphan,
                                preconditionResourceVersion: created.resourceVersion)
        #expect(try await client.getIfPresent(.configMap, name: "d", namespace: "default") == nil)
    }

    @Test func viewerIsForbiddenWithRBACMessage() async throws {
        let server = try await TestAPIServer.start()
        let client = try server.client("kubeconfig-viewer")
        let status = await apiReason { _ = try await client.create(configMap("x", data: [])) }
        #expect(status?.reason == .forbidden)
        #expect(status?.message == "configmaps is forbidden: User \"viewer\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"default\"")
    }

    @Test(arguments: ["kubeconfig", "kubeconfig-rsa", "kubeconfig-pkcs8"])
    func clientCertificateKeyForms(_ kubeconfig: String) async throws {
        let server = try await TestAPIServer.start()
        let client = try server.client(kubeconfig)
        _ = try await client.get(.namespace, name: "default")
        #expect(try await server.log().last?["user"]?.stringValue == "admin")
    }

    @Test func missingKindSaysSoInUserWords() async throws {
        let server = try await TestAPIServer.start()
        let client = try server.client()
        do {
            _ = try await client.list(.kustomization, namespace: "flux-system")
            Issue.record("expected kindNotFound")
        } catch {
            #expect(error.description == "no Kustomization (kustomize.toolkit.fluxcd.io/v1) on this cluster — is Flux installed?")
        }
    }

    @Test func installingACRDMakesItsKindAppear() async throws {
        let server = try await TestAPIServer.start()
        let client = try server.client()
        await #expect(throws: KubeError.self) { _ = try await client.list(.gitRepository) }
        let text = try String(contentsOf: TestPaths.crds.appendingPathComponent("source.toolkit.fluxcd.io_gitrepositories.yaml"), encoding: .utf8)
        let manifest = try #require(try KubeObject.objects(fromYAML: text).first)
        let crd = try await client.apply(manifest)
        #expect(ObjectStatus.of(crd) == .current("CRD is established"))
        let list = try await client.list(.gitRepository)
        #expect(list.items.isEmpty)
    }

    @Test func applyAllKeepsOrderAndBoundsConnections() async throws {
        let server = try await TestAPIServer.start()
        let client = try server.client()
        let objects = (0..<30).map { configMap("bulk-\($0)", data: [("i", "\($0)")]) }
        let applied = try await client.applyAll(objects, parallelism: 4)
        #expect(applied.map(\.name) == objects.map(\.name))
        #expect(try await client.list(.configMap, namespace: "default").items.count == 30)
        let patches = try await server.log().filter { $0["method"]?.stringValue == "PATCH" }
        #expect(Set(patches.compactMap { $0["connection"]?.intValue }).count <= 4)
    }

    @Test func stagedApplyInstallsCRDsBeforeTheirObjects() async throws {
        let server = try await TestAPIServer.start()
        let client = try server.client()
        let crd = try String(contentsOf: TestPaths.crds.appendingPathComponent("kustomize.toolkit.fluxcd.io_kustomizations.yaml"),
                             encoding: .utf8)
        // The Kustomization comes first in the stream, as it may in a user's manifests.
        let manifests = try KubeObject.objects(fromYAML: """
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata: {name: flux-system, namespace: flux-system}
            spec: {interval: 10m, prune: true, path: ./clusters/prod, sourceRef: {kind: GitRepository, name: flux-system}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: flux-system}

            """ + crd)
        let dryRun = try await client.applyStaged(manifests, mode: .dryRun)
        #expect(dryRun.count == 3)
        await #expect(throws: KubeError.kindNotFound(kind: "Kustomization", apiVersion: "kustomize.toolkit.fluxcd.io/v1")) {
            _ = try await client.list(.kustomization)
        }
        let applied = try await client.applyStaged(manifests)
        #expect(applied.map(\.kind) == ["Kustomization", "Namespace", "CustomResourceDefinition"])
        #expect(applied[0].uid != nil)
        #expect(try await client.list(.kustomization, namespace: "flux-system").items.map(\.name) == ["flux-system"])
    }
}
